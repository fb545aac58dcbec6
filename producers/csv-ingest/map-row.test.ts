import { describe, expect, it } from 'vitest';
import { mapRow } from './map-row.js';
import { parseBasket, parseLegacyBasket } from './parse-basket.js';

describe('Function: parseBasket', () => {
  it('splits the price on the last separator', () => {
    expect(parseBasket('Regular Speciality Tea - English breakfast - 1.30, Large Latte - 2.45')).toEqual([
      { size: 'Regular', name: 'Speciality Tea - English breakfast', price: '1.30' },
      { size: 'Large', name: 'Latte', price: '2.45' },
    ]);
  });

  it('keeps names with ampersands and repeated items as separate lines', () => {
    const items = parseBasket('Large Frappes - Strawberries & Cream - 3.25, Large Frappes - Strawberries & Cream - 3.25');
    expect(items).toHaveLength(2);
    expect(items?.[0]?.name).toBe('Frappes - Strawberries & Cream');
  });

  it('refuses an item with no price', () => expect(parseBasket('Large Latte')).toBeUndefined());

  it('reads an item whose size slot is blank (the 2020 export) as sizeless, in any layout', () => {
    expect(parseBasket(' Speciality Tea - Camomile - 1.30,  Iced latte - 2.35, Large Latte - 2.45')).toEqual([
      { size: '', name: 'Speciality Tea - Camomile', price: '1.30' },
      { size: '', name: 'Iced latte', price: '2.35' },
      { size: 'Large', name: 'Latte', price: '2.45' },
    ]);
  });

  it('keeps a first word that is not a size as the size, unless sizes are optional', () => {
    expect(parseBasket('Babyccino - 0.00')).toEqual([{ size: 'Babyccino', name: '', price: '0.00' }]);
    expect(parseBasket('Babyccino - 0.00', { sizeOptional: true })).toEqual([{ size: '', name: 'Babyccino', price: '0.00' }]);
    expect(parseBasket('large Latte - 2.45', { sizeOptional: true })).toEqual([{ size: 'large', name: 'Latte', price: '2.45' }]);
  });
  it('reads an empty basket as no items', () => expect(parseBasket('')).toEqual([]));
});

describe('Function: parseLegacyBasket', () => {
  it('reads size, name, price triples with empty sizes', () => {
    expect(parseLegacyBasket(',Cortado,2.05,Large,Speciality Tea - Camomile,1.6')).toEqual([
      { size: '', name: 'Cortado', price: '2.05' },
      { size: 'Large', name: 'Speciality Tea - Camomile', price: '1.6' },
    ]);
  });
  it('refuses a list that is not whole triples', () => expect(parseLegacyBasket('Large,Latte')).toBeUndefined());
});

describe('Function: mapRow', () => {
  it('rewrites Excel dates without zero padding', () => {
    const mapped = mapRow(['9/5/2023 9:00', 'Leeds', 'x', 'Large Latte - 2.45', '2.45', 'CASH', ''], 'standard');
    expect(mapped.ok && mapped.sale.timestamp).toBe('2023-05-09 09:00');
  });
  it('rejects a wrong column count', () => {
    expect(mapRow(['25/08/2021 09:00', 'Leeds'], 'standard')).toEqual({ ok: false, reason: 'column_count', field: null });
  });
  it('rejects a date it cannot read', () => {
    expect(mapRow(['Aug 25', 'Leeds', 'x', 'Large Latte - 2.45', '2.45', 'CASH', ''], 'standard')).toMatchObject({ ok: false, reason: 'date_unparsable' });
  });
  it('reads decimal commas in the total and the prices when told to', () => {
    const mapped = mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte - 2,45, Regular Tea - 1,50', '3,95', 'CASH', ''], 'standard', { decimalComma: true });
    expect(mapped.ok && [mapped.sale.total, mapped.sale.items.map((item) => item.price)]).toEqual(['3.95', ['2.45', '1.50']]);
    const unchanged = mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte - 2.45', '2,45', 'CASH', ''], 'standard');
    expect(unchanged.ok && unchanged.sale.total).toBe('2,45');
  });

  it('splits the legacy card into brand and number', () => {
    const mapped = mapRow(['2021-02-23 09:00:48', 'Isle of Wight', 'x', 'Large,Latte,2.45', 'CARD', '2.45', 'visa16,4111111111111111'], 'legacy-2021');
    expect(mapped.ok && [mapped.sale.cardBrand, mapped.sale.paymentMethod, mapped.sale.total]).toEqual(['visa16', 'CARD', '2.45']);
  });
});
