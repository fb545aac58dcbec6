import { describe, expect, it } from 'vitest';
import { customerKey } from '../sales-transform/customer-key.js';
import { ErasureRequestError, erasureKeys, normaliseCard } from './erasure-keys.js';

const PEPPER = 'test-pepper-not-secret';
const NAME = 'Test Customer';

describe('Function: normaliseCard', () => {
  it.each([
    ['12 digits (the shortest whole number)', '411111111111', '411111111111'],
    ['19 digits (the longest)', '4111111111111111111', '4111111111111111111'],
    ['spaces, tabs and hyphens', ' 4111 1111\t1111-1111 ', '4111111111111111'],
  ])('reads %s', (_, card, digits) => {
    expect(normaliseCard(card)).toBe(digits);
  });

  it.each([
    ['11 digits', '41111111111'],
    ['20 digits', '41111111111111111111'],
    ['a letter before the digits', 'x4111111111111111'],
    ['a letter after the digits', '4111111111111111x'],
    ['a spreadsheet-mangled number', '4.11111E+15'],
    ['nothing', ''],
  ])('refuses %s, with a message that does not repeat it', (_, card) => {
    // Act
    const act = () => normaliseCard(card);
    // Assess
    expect(act).toThrow(new ErasureRequestError('a card number must have 12 to 19 digits (spaces and hyphens allowed)'));
    expect(act).toThrow(ErasureRequestError);
  });
});

describe('Function: erasureKeys', () => {
  it('gives one key per card and no name-only key unless asked', () => {
    expect(erasureKeys(PEPPER, { name: NAME, cards: ['4111111111111111'] })).toEqual([customerKey(PEPPER, NAME, '4111111111111111')]);
    expect(erasureKeys(PEPPER, { name: NAME, cards: ['4111111111111111'], includeCash: false })).toEqual([customerKey(PEPPER, NAME, '4111111111111111')]);
  });

  it('lists a card written two ways once', () => {
    expect(erasureKeys(PEPPER, { name: NAME, cards: ['4111111111111111', '4111-1111-1111-1111'] })).toEqual([customerKey(PEPPER, NAME, '4111111111111111')]);
  });

  it('names its errors as erasure request errors', () => {
    // Act
    const error = (() => {
      try {
        erasureKeys(PEPPER, { name: '', cards: [] });
      } catch (thrown) {
        return thrown as Error;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(ErasureRequestError);
    expect(error?.name).toBe('ErasureRequestError');
    expect(error?.message).toBe('the customer name is empty');
  });
});
