import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rawSale } from '../test/helpers/factories.js';
import { FieldLimitBytes, boundedText, fitsBytes, utf8ByteLength } from './field-limits.js';
import { RawSaleSchema } from './raw-sale.js';
import { TillSaleSchema } from './till-sale.js';

const GREEK = 'λ'; // 2 bytes in UTF-8
const HAN = '咖'; // 3 bytes
const EMOJI = '☕️'; // U+2615 U+FE0F: 3 + 3 bytes
const ASTRAL = '𝄞'; // a surrogate pair: 4 bytes

const issuesOf = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  result.success ? [] : (result.error?.issues ?? []).map((issue) => [issue.message, issue.path.join('.')]);

describe('Function: utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['Latte', 5],
    [GREEK, 2],
    [HAN, 3],
    [EMOJI, 6],
    [ASTRAL, 4],
    ['\ud800', 3],
    // Each boundary of the encoding: the last 1-byte and first 2-byte units, the last 2-byte and first 3-byte.
    ['\u007f', 1],
    ['\u0080', 2],
    ['\u07ff', 2],
    ['\u0800', 3],
    // Surrogates: the highest pair (U+10FFFF), and lone ones, each written as U+FFFD (3 bytes).
    ['\udbff\udfff', 4],
    ['\ud83d', 3],
    ['\ud83da', 4],
    ['\ud83d\u20ac', 6],
    ['\ude00', 3],
    ['\udc00\udc00', 6],
    ['\u20ac\udc00', 6],
    ['\ud7ff\udc00', 6],
  ])('counts %j as %i bytes', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });

  it('agrees with the UTF-8 encoder for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
    );
  });
});

describe('Function: fitsBytes', () => {
  it('decides at the byte limit, not the character limit', () => {
    expect(fitsBytes(GREEK.repeat(64), 128)).toBe(true);
    expect(fitsBytes(GREEK.repeat(65), 128)).toBe(false);
    expect(fitsBytes('x'.repeat(128), 128)).toBe(true);
    expect(fitsBytes('x'.repeat(129), 128)).toBe(false);
  });

  it('refuses text over the limit in characters and in bytes, each as field_too_long', () => {
    expect(boundedText(4).safeParse('abcde').error?.issues.map((issue) => [issue.code, issue.message])).toEqual([
      ['too_big', 'field_too_long'],
      ['custom', 'field_too_long'],
    ]);
  });

  it('declares its limit to a JSON Schema (OpenAPI) reader, in characters, and says it counts bytes', () => {
    expect(z.toJSONSchema(boundedText(4))).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'string',
      maxLength: 4,
      description: 'At most 4 bytes of UTF-8 (a letter outside ASCII takes 2–4).',
    });
  });

  it('refuses through boundedText as field_too_long', () => {
    expect(boundedText(8).safeParse(HAN.repeat(3)).error?.issues[0]?.message).toBe('field_too_long');
    expect(boundedText(9).safeParse(HAN.repeat(3)).success).toBe(true);
  });
});

describe('Schema: RawSale, limits in bytes', () => {
  const withItem = (name: string) => rawSale({ items: [{ size: 'Large', name, price: '2.45' }], total: '2.45' });

  it('accepts a multibyte product name that fills its column exactly', () => {
    // Act
    const sale = RawSaleSchema.parse(withItem(GREEK.repeat(64)));

    // Assess
    expect(utf8ByteLength(sale.items[0]?.product ?? '')).toBe(FieldLimitBytes.product);
  });

  it.each([
    ['a Greek product of 65 letters (130 bytes)', `${GREEK.repeat(65)}`],
    ['a product of 43 Han characters (129 bytes)', HAN.repeat(43)],
    ['a flavour of 33 astral characters (132 bytes)', `Tea - ${ASTRAL.repeat(33)}`],
    ['an ASCII product of 129 characters', 'x'.repeat(129)],
  ])('rejects %s as field_too_long at the item name', (_, name) => {
    expect(issuesOf(RawSaleSchema.safeParse(withItem(name)))).toEqual([['field_too_long', 'items.0.name']]);
  });

  it('rejects a branch longer than its column in bytes', () => {
    expect(issuesOf(RawSaleSchema.safeParse(rawSale({ branch: GREEK.repeat(65) })))).toEqual([['field_too_long', 'branch']]);
    expect(RawSaleSchema.safeParse(rawSale({ branch: GREEK.repeat(64) })).success).toBe(true);
  });

  it('bounds a raw field in bytes too', () => {
    expect(issuesOf(RawSaleSchema.safeParse(rawSale({ customerName: GREEK.repeat(129) })))).toEqual([['field_too_long', 'customerName']]);
  });
});

describe('Schema: TillSale, limits in bytes', () => {
  const tillSale = (product: string) => ({
    saleId: 'S-1',
    branch: 'Leeds',
    occurredAt: '2024-03-05T09:00:00Z',
    items: [{ size: 'Large', product, pricePence: 245 }],
    totalPence: 245,
    paymentMethod: 'CASH',
  });

  it('refuses a product of 65 Greek letters (130 bytes) as field_too_long', () => {
    expect(issuesOf(TillSaleSchema.safeParse(tillSale(GREEK.repeat(65))))).toEqual([['field_too_long', 'items.0.product']]);
  });

  it('takes one of 64 (128 bytes)', () => {
    expect(TillSaleSchema.safeParse(tillSale(GREEK.repeat(64))).success).toBe(true);
  });
});
