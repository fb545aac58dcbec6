import { describe, expect, it } from 'vitest';
import { matchSales, saleMatchKey, type MatchableSale } from './reconcile.js';

const at = (time: string) => Date.parse(`2021-09-10T${time}Z`);
const latte = { size: 'Large', product: 'Latte', flavour: null, pricePence: 245 };
const tea = { size: 'Regular', product: 'Speciality Tea', flavour: 'Camomile', pricePence: 130 };

const sale = (id: string, time: string, items = [latte, tea], paymentMethod = 'CARD'): MatchableSale => ({
  id,
  occurredAtMs: at(time),
  totalPence: items.reduce((sum, item) => sum + item.pricePence, 0),
  paymentMethod,
  items,
});

describe('Function: saleMatchKey', () => {
  it('ignores the order of basket lines but not repeats', () => {
    expect(saleMatchKey(sale('a', '09:00:00', [latte, tea]))).toBe(saleMatchKey(sale('b', '09:00:00', [tea, latte])));
    expect(saleMatchKey(sale('a', '09:00:00', [latte, tea]))).not.toBe(saleMatchKey(sale('b', '09:00:00', [latte, tea, tea])));
  });
});

describe('Function: matchSales', () => {
  it('pairs a file row with the live sale inside its minute', () => {
    // Prepare: the file keeps 09:00, the till 09:00:42
    const file = [sale('line-1', '09:00:00')];
    const live = [sale('till-1', '09:00:42')];
    // Act
    const result = matchSales(file, live);
    // Assess
    expect(result.pairs.map(([f, l]) => [f.id, l.id])).toEqual([['line-1', 'till-1']]);
    expect(result.fileOnly).toEqual([]);
    expect(result.liveOnly).toEqual([]);
  });

  it('tolerates a minute of clock disagreement, not more', () => {
    const file = [sale('line-1', '09:00:00'), sale('line-2', '10:00:00')];
    const live = [sale('till-1', '08:59:10'), sale('till-2', '10:02:30')];
    const result = matchSales(file, live);
    expect(result.pairs.map(([f, l]) => [f.id, l.id])).toEqual([['line-1', 'till-1']]);
    expect(result.fileOnly.map((f) => f.id)).toEqual(['line-2']);
    expect(result.liveOnly.map((l) => l.id)).toEqual(['till-2']);
  });

  it('needs the same payment, total and basket', () => {
    const file = [sale('cash', '09:00:00', [latte, tea], 'CASH'), sale('other', '09:00:00', [latte])];
    const live = [sale('till-1', '09:00:30')];
    const result = matchSales(file, live);
    expect(result.pairs).toEqual([]);
    expect(result.fileOnly).toHaveLength(2);
  });

  it('pairs identical sales in the same minute one to one, and reports the surplus', () => {
    // Prepare: three identical baskets in the file's minute, two posted live
    const file = [sale('line-1', '09:00:00'), sale('line-2', '09:00:00'), sale('line-3', '09:00:00')];
    const live = [sale('till-1', '09:00:10'), sale('till-2', '09:00:50')];
    // Act
    const result = matchSales(file, live);
    // Assess
    expect(result.pairs).toHaveLength(2);
    expect(new Set(result.pairs.map(([, l]) => l.id))).toEqual(new Set(['till-1', 'till-2']));
    expect(result.fileOnly).toHaveLength(1);
    expect(result.liveOnly).toEqual([]);
  });

  it('prefers the live sale nearest the middle of the file minute', () => {
    const file = [sale('line-1', '09:01:00')];
    const live = [sale('previous-minute', '09:00:50'), sale('this-minute', '09:01:20')];
    expect(matchSales(file, live).pairs[0]?.[1].id).toBe('this-minute');
  });
});
