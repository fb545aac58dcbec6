import { describe, expect, it } from 'vitest';
import { keyedHash } from '../../contracts/index.js';
import { customerKey } from './customer-key.js';

const PEPPER = 'test-pepper-not-secret';
const CARD = '4111111111111111';

describe('Function: customerKey', () => {
  it('is the keyed hash of "customer/v1|<name>|<card>": the format every stored key and every erasure depends on', () => {
    expect(customerKey(PEPPER, 'Test Customer', CARD)).toBe(keyedHash(PEPPER, `customer/v1|test customer|${CARD}`));
    expect(customerKey(PEPPER, 'Test Customer', null)).toBe(keyedHash(PEPPER, 'customer/v1|test customer|'));
  });

  it.each([
    ['case', 'TEST customer'],
    ['surrounding spaces', '  Test Customer\t'],
    ['runs of white space inside', 'Test \t  Customer'],
  ])('gives the same customer the same key whatever the %s', (_, name) => {
    expect(customerKey(PEPPER, name, CARD)).toBe(customerKey(PEPPER, 'Test Customer', CARD));
  });

  it('folds compatibility forms of non-ASCII names (NFKC), so a full-width name is the same customer', () => {
    // 'Ｔｅｓｔ' is full-width; NFKC makes it 'Test'. 'ﬁ' (a ligature) becomes 'fi'.
    expect(customerKey(PEPPER, 'Ｔｅｓｔ Customer', CARD)).toBe(customerKey(PEPPER, 'Test Customer', CARD));
    expect(customerKey(PEPPER, 'ＴＥＳＴ', null)).toBe(customerKey(PEPPER, 'test', null));
    expect(customerKey(PEPPER, 'Joséﬁne', null)).toBe(keyedHash(PEPPER, 'customer/v1|joséfine|'));
  });

  it.each([
    ['no name', null],
    ['an empty name', ''],
    ['a name of white space only', ' \t '],
  ])('has no key for %s (the sale is nobody’s)', (_, name) => {
    expect(customerKey(PEPPER, name, CARD)).toBeNull();
  });

  it('tells customers apart by card and by pepper', () => {
    const key = customerKey(PEPPER, 'Test Customer', CARD);
    expect(customerKey(PEPPER, 'Test Customer', '5500000000000004')).not.toBe(key);
    expect(customerKey(PEPPER, 'Test Customer', null)).not.toBe(key);
    expect(customerKey('another-pepper', 'Test Customer', CARD)).not.toBe(key);
  });
});
