import { describe, expect, it } from 'vitest';
import { isLegacyRow, mapRow } from './map-row.js';
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
    const unchanged = mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte - 2,45', '2,45', 'CASH', ''], 'standard');
    expect(unchanged.ok && [unchanged.sale.total, unchanged.sale.items.map((item) => item.price)]).toEqual(['2,45', ['2,45']]);
  });

  it('splits the legacy card into brand and number', () => {
    const mapped = mapRow(['2021-02-23 09:00:48', 'Isle of Wight', 'x', 'Large,Latte,2.45', 'CARD', '2.45', 'visa16,4111111111111111'], 'legacy-2021');
    expect(mapped.ok && [mapped.sale.cardBrand, mapped.sale.paymentMethod, mapped.sale.total]).toEqual(['visa16', 'CARD', '2.45']);
  });
});

describe('Function: mapRow (columns of each layout)', () => {
  const legacy = (card: string) => mapRow(['2021-02-23 09:00:48', 'Isle of Wight', 'x', 'Large,Latte,2.45', 'CARD', '2.45', card], 'legacy-2021');

  it.each([
    ['no card', '', { cardNumber: null, cardBrand: null }],
    ['None', 'None', { cardNumber: null, cardBrand: null }],
    ['NONE, padded', ' NONE ', { cardNumber: null, cardBrand: null }],
    ['a number without a brand', ' 4111111111111111 ', { cardNumber: '4111111111111111', cardBrand: null }],
    ['a brand and a number', 'visa16,4111111111111111', { cardNumber: '4111111111111111', cardBrand: 'visa16' }],
    ['an empty brand before the comma', ',4111111111111111', { cardNumber: '4111111111111111', cardBrand: '' }],
  ])('reads the legacy card field with %s', (_name, card, expected) => {
    expect(legacy(card)).toMatchObject({ ok: true, sale: expected });
  });

  it('reads every column of a standard row in place, the card as it is', () => {
    expect(mapRow([' 25/08/2021 09:00 ', 'Leeds', 'Ann', 'Large Latte - 2.45', '2.45', 'CARD', '4111111111111111'], 'standard')).toEqual({
      ok: true,
      sale: { timestamp: '2021-08-25 09:00', branch: 'Leeds', customerName: 'Ann', items: [{ size: 'Large', name: 'Latte', price: '2.45' }], total: '2.45', paymentMethod: 'CARD', cardNumber: '4111111111111111', cardBrand: null },
    });
  });

  it('reads every column of a legacy row: payment fifth, total sixth, the basket as triples', () => {
    expect(mapRow(['2021-02-23 09:00:48', 'Isle of Wight', 'Morgan', 'Large,Hot chocolate,2.9', 'CASH', '2,90', 'None'], 'legacy-2021', { decimalComma: true })).toEqual({
      ok: true,
      sale: { timestamp: '2021-02-23 09:00:48', branch: 'Isle of Wight', customerName: 'Morgan', items: [{ size: 'Large', name: 'Hot chocolate', price: '2.9' }], total: '2.90', paymentMethod: 'CASH', cardNumber: null, cardBrand: null },
    });
  });

  it('reads sizeless items only in the 2020 export', () => {
    const row = ['11/10/2020 08:12', 'Aberdeen', 'x', 'Filter coffee - 1.50', '1.50', 'CASH', ''];
    expect(mapRow(row, 'gen-2020')).toMatchObject({ ok: true, sale: { items: [{ size: '', name: 'Filter coffee', price: '1.50' }] } });
    expect(mapRow(row, 'standard')).toMatchObject({ ok: true, sale: { items: [{ size: 'Filter', name: 'coffee', price: '1.50' }] } });
  });

  it('rejects a basket it cannot split, at items, in either basket layout', () => {
    expect(mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte', '2.45', 'CASH', ''], 'standard')).toEqual({ ok: false, reason: 'basket_malformed', field: 'items' });
    expect(mapRow(['2021-02-23 09:00', 'Leeds', 'x', 'Large,Latte', 'CASH', '2.45', ''], 'legacy-2021')).toEqual({ ok: false, reason: 'basket_malformed', field: 'items' });
    expect(mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large,Latte,2.45', '2.45', 'CASH', ''], 'standard')).toEqual({ ok: false, reason: 'basket_malformed', field: 'items' });
  });

  it.each([
    ['2,15', '2.15'],
    [' 2,5 ', ' 2.5 '],
    ['2,155', '2,155'],
    ['1,234,56', '1,234,56'],
    ['a2,15', 'a2,15'],
  ])('reads the decimal-comma total %j as %j', (total, expected) => {
    const mapped = mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte - 2,15', total, 'CASH', ''], 'standard', { decimalComma: true });
    expect(mapped.ok && mapped.sale.total).toBe(expected);
  });

  it('rejects eight columns as a column count', () => {
    expect(mapRow(['25/08/2021 09:00', 'Leeds', 'x', 'Large Latte - 2.45', '2.45', 'CASH', '', ''], 'standard')).toEqual({ ok: false, reason: 'column_count', field: null });
  });
});

describe('Function: isLegacyRow', () => {
  it.each([
    ['an ISO date and a payment fifth', ['2021-02-23 09:00:48', 'x', 'x', 'x', 'CASH', '2.90', ''], true],
    ['blanks and lower case', [' 2021-02-23 09:00', 'x', 'x', 'x', ' card ', '2.90', ''], true],
    ['a day-first date', ['23/02/2021 09:00', 'x', 'x', 'x', 'CASH', '2.90', ''], false],
    ['a total fifth', ['2021-02-23 09:00', 'x', 'x', 'x', '2.90', 'CASH', ''], false],
    ['an ISO date later in the field', ['on 2021-02-23', 'x', 'x', 'x', 'CASH', '2.90', ''], false],
    ['a short record', ['2021-02-23 09:00'], false],
    ['a date with a one-digit day', ['2021-02-3 09:00', 'x', 'x', 'x', 'CASH', '2.90', ''], false],
    ['an empty record', [], false],
  ])('%s → %s', (_name, record, expected) => {
    expect(isLegacyRow(record)).toBe(expected);
  });
});
