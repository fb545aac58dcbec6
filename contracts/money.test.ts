import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Money from './money.js';

// Loaded afresh for each test: the pattern is built at module load, and Stryker credits a test
// only with the code that runs during it (per-test coverage).
let money: typeof Money;
beforeEach(async () => {
  vi.resetModules();
  money = await import('./money.js');
});

describe('Function: poundsToPence', () => {
  it.each([
    ['6', 600],
    ['5.2', 520],
    ['2.45', 245],
    ['0.05', 5],
    [' 2.45 ', 245],
    ['9999999.99', 999_999_999],
  ])('reads %j as %i pence', (text, pence) => {
    expect(money.poundsToPence(text)).toBe(pence);
  });

  it.each([
    ['eight digits of pounds', '10000000'],
    ['three decimals', '1.555'],
    ['a point with no decimals', '1.'],
    ['no pounds before the point', '.5'],
    ['text before the amount', 'x1'],
    ['text after the amount', '1x'],
    ['a minus sign', '-5.20'],
    ['nothing', ''],
  ])('refuses %s', (_, text) => {
    expect(money.poundsToPence(text)).toBeUndefined();
  });
});

describe('Function: penceToPounds', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [245, '2.45'],
    [600, '6.00'],
  ])('writes %i pence as %s', (pence, text) => {
    expect(money.penceToPounds(pence)).toBe(text);
  });
});
