import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as FileFormat from './file-format.js';
import type { FileDialect } from './file-format.js';

// Loaded afresh for each test: the constants and schemas are built at module load, and Stryker
// credits a test only with the code that runs during it (per-test coverage).
let format: typeof FileFormat;
beforeEach(async () => {
  vi.resetModules();
  format = await import('./file-format.js');
});

const RFC_4180: FileDialect = { delimiter: 'comma', quote: 'double', decimalComma: false, rowNumbers: false, trailingColumn: false };

describe('Constants: the characters of a dialect', () => {
  it('maps each delimiter name to the character the CSV reader splits on', () => {
    expect(format.DELIMITER_CHARACTERS).toEqual({ comma: ',', semicolon: ';', tab: '\t', pipe: '|' });
  });

  it('maps each quote style to its character', () => {
    expect(format.QUOTE_CHARACTERS).toEqual({ double: '"', single: "'" });
  });
});

describe('Function: describeDialect', () => {
  it.each([
    ['RFC 4180', RFC_4180, 'comma'],
    ['single quotes', { ...RFC_4180, quote: 'single' }, 'comma, single quotes'],
    ['a European export', { ...RFC_4180, delimiter: 'semicolon', decimalComma: true }, 'semicolon, decimal comma'],
    ['pandas with its index', { ...RFC_4180, rowNumbers: true }, 'comma, row numbers'],
    ['a separator at each line end', { ...RFC_4180, trailingColumn: true }, 'comma, trailing column'],
    ['every habit at once', { delimiter: 'tab', quote: 'single', decimalComma: true, rowNumbers: true, trailingColumn: true }, 'tab, single quotes, decimal comma, row numbers, trailing column'],
  ] as const)('names %s', (_, dialect, phrase) => {
    expect(format.describeDialect(dialect)).toBe(phrase);
  });
});

describe('Schema: FileDialect and LinesSkipped', () => {
  it('reads a dialect and refuses one with a field missing or mistyped', () => {
    expect(format.FileDialectSchema.parse(RFC_4180)).toEqual(RFC_4180);
    expect(format.FileDialectSchema.safeParse({ ...RFC_4180, rowNumbers: undefined }).success).toBe(false);
    expect(format.FileDialectSchema.safeParse({ ...RFC_4180, delimiter: 'colon' }).success).toBe(false);
  });

  it('reads counts of skipped lines and refuses a negative or fractional one', () => {
    const skipped = { blank: 1, header: 1, preamble: 0, footnote: 2 };
    expect(format.LinesSkippedSchema.parse(skipped)).toEqual(skipped);
    expect(format.LinesSkippedSchema.safeParse({ ...skipped, footnote: undefined }).success).toBe(false);
    expect(format.LinesSkippedSchema.safeParse({ ...skipped, blank: -1 }).success).toBe(false);
    expect(format.LinesSkippedSchema.safeParse({ ...skipped, header: 0.5 }).success).toBe(false);
  });
});
