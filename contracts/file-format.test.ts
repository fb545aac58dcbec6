import { describe, expect, it } from 'vitest';
import { DELIMITER_CHARACTERS, describeDialect, FileDialectSchema, LinesSkippedSchema, QUOTE_CHARACTERS, type FileDialect } from './file-format.js';

const RFC_4180: FileDialect = { delimiter: 'comma', quote: 'double', decimalComma: false, rowNumbers: false, trailingColumn: false };

describe('Constants: the characters of a dialect', () => {
  it('maps each delimiter name to the character the CSV reader splits on', () => {
    expect(DELIMITER_CHARACTERS).toEqual({ comma: ',', semicolon: ';', tab: '\t', pipe: '|' });
  });

  it('maps each quote style to its character', () => {
    expect(QUOTE_CHARACTERS).toEqual({ double: '"', single: "'" });
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
    expect(describeDialect(dialect)).toBe(phrase);
  });
});

describe('Schema: FileDialect and LinesSkipped', () => {
  it('reads a dialect and refuses one with a field missing or mistyped', () => {
    expect(FileDialectSchema.parse(RFC_4180)).toEqual(RFC_4180);
    expect(FileDialectSchema.safeParse({ ...RFC_4180, rowNumbers: undefined }).success).toBe(false);
    expect(FileDialectSchema.safeParse({ ...RFC_4180, delimiter: 'colon' }).success).toBe(false);
  });

  it('reads counts of skipped lines and refuses a negative or fractional one', () => {
    const skipped = { blank: 1, header: 1, preamble: 0, footnote: 2 };
    expect(LinesSkippedSchema.parse(skipped)).toEqual(skipped);
    expect(LinesSkippedSchema.safeParse({ ...skipped, footnote: undefined }).success).toBe(false);
    expect(LinesSkippedSchema.safeParse({ ...skipped, blank: -1 }).success).toBe(false);
    expect(LinesSkippedSchema.safeParse({ ...skipped, header: 0.5 }).success).toBe(false);
  });
});
