import { describe, expect, it } from 'vitest';
import { parseBasket, parseLegacyBasket } from './parse-basket.js';

describe('Function: parseBasket (item shapes)', () => {
  it.each([
    ['blanks only', '   ', {}, []],
    ['blanks after the price', 'Large Latte - 2.45  ', {}, [{ size: 'Large', name: 'Latte', price: '2.45' }]],
    ['a size and no name', 'Large - 2.45', {}, [{ size: 'Large', name: '', price: '2.45' }]],
    ['a size word in capitals, sizes optional', 'LARGE Latte - 2.45', { sizeOptional: true }, [{ size: 'LARGE', name: 'Latte', price: '2.45' }]],
    ['a word that starts like a size, sizes optional', 'Regularly Latte - 2.45', { sizeOptional: true }, [{ size: '', name: 'Regularly Latte', price: '2.45' }]],
    ['a word that ends like a size, sizes optional', 'Xlarge Latte - 2.45', { sizeOptional: true }, [{ size: '', name: 'Xlarge Latte', price: '2.45' }]],
    ['no size word, sizes optional', 'Latte - 2.45', { sizeOptional: true }, [{ size: '', name: 'Latte', price: '2.45' }]],
    ['a size word after a blank slot', ' Large Latte - 2.45', {}, [{ size: 'Large', name: 'Latte', price: '2.45' }]],
    ['a blank slot before a word that is not a size', ' Cortado - 2.05', {}, [{ size: '', name: 'Cortado', price: '2.05' }]],
    ['nothing before the price separator', ' - 1.00', {}, [{ size: '', name: '', price: '1.00' }]],
    ['items not joined by ", "', 'Large Latte - 2.45,Regular Tea - 1.50', {}, [{ size: 'Large', name: 'Latte - 2.45,Regular Tea', price: '1.50' }]],
  ])('reads %s', (_name, basket, options, expected) => {
    expect(parseBasket(basket, options)).toEqual(expected);
  });

  it('refuses the basket when any item has no price separator', () => {
    expect(parseBasket('Large Latte - 2.45, Regular Tea')).toBeUndefined();
    expect(parseBasket('Large Latte -2.45')).toBeUndefined();
  });
});

describe('Function: parseLegacyBasket (item shapes)', () => {
  it.each([
    ['blanks only', '  ', []],
    ['blanks around the list', ' Large,Latte,2.45 ', [{ size: 'Large', name: 'Latte', price: '2.45' }]],
    ['two triples', 'Large,Latte,2.45,Regular,Tea,1.50', [{ size: 'Large', name: 'Latte', price: '2.45' }, { size: 'Regular', name: 'Tea', price: '1.50' }]],
  ])('reads %s', (_name, basket, expected) => {
    expect(parseLegacyBasket(basket)).toEqual(expected);
  });

  it.each([['one field', 'Latte'], ['four fields', 'Large,Latte,2.45,Regular']])('refuses %s', (_name, basket) => {
    expect(parseLegacyBasket(basket)).toBeUndefined();
  });
});
