import { z } from 'zod';

/**
 * How long a stored text may be, in UTF-8 bytes. Redshift sizes `VARCHAR(n)` in
 * bytes, not characters, so a limit counted in characters lets multibyte text
 * (`Ελληνικός καφές`, 2 bytes a letter) through validation and then fails the
 * whole COPY it is in. One definition here serves the raw-sale and till-sale
 * contracts (which reject longer text as `field_too_long`) and the warehouse DDL
 * (`warehouse-tables.ts`, which sizes each column from it), so nothing accepted
 * can overflow a column.
 */
export const FieldLimitBytes = {
  /** Any raw text field of a sale as found (before normalising): an input bound. */
  rawField: 256,
  /** The raw timestamp text. */
  rawTimestamp: 64,
  /** The raw card number text (digits, or a spreadsheet's mangled form). */
  rawCardNumber: 64,
  /** The raw card brand text, when a layout carries one. */
  rawCardBrand: 32,
  /** A branch name after normalising (`sales.branch`, `ingest_files.branch`). */
  branch: 128,
  /** A product name without its flavour (`sale_items.product`). */
  product: 128,
  /** A flavour (`sale_items.flavour`). */
  flavour: 128,
  /** A customer name (never stored; bounded so a sale stays small). */
  customerName: 256,
  /** An upload's object key or a till id (`source_ref`, `ingest_files.file`): S3 keys are at most 1024 bytes. */
  sourceRef: 1024,
  /** A field path in a rejection (`items.12.price`). */
  fieldPath: 128,
} as const;

export type FieldLimitName = keyof typeof FieldLimitBytes;

/**
 * The UTF-8 length of `text` in bytes, counted without encoding it: 1 byte below
 * U+0080, 2 below U+0800, 4 for a surrogate pair (an astral character), else 3
 * (a lone surrogate is written as U+FFFD, also 3 bytes).
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    // A high surrogate then a low one. Past the end charCodeAt gives NaN, which the mask makes 0: a lone high surrogate at the end is 3.
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * True when `text` takes at most `maxBytes` bytes in UTF-8. A UTF-16 unit never
 * takes more than 3 bytes, so short text is decided without counting: validation
 * runs on every field of every row.
 */
export function fitsBytes(text: string, maxBytes: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut only: length * 3 bounds the UTF-8 length, so counting gives the same answer
  if (text.length * 3 <= maxBytes) return true;
  return utf8ByteLength(text) <= maxBytes;
}

/**
 * A zod string of at most `maxBytes` UTF-8 bytes; longer text fails as
 * `field_too_long`. The character bound it implies (`maxLength` in JSON Schema)
 * is declared too, so an OpenAPI reader sees a limit; the description says bytes.
 */
export function boundedText(maxBytes: number) {
  return z
    .string()
    .max(maxBytes, { message: 'field_too_long' })
    .refine((value) => fitsBytes(value, maxBytes), { message: 'field_too_long' })
    .describe(`At most ${maxBytes} bytes of UTF-8 (a letter outside ASCII takes 2–4).`);
}
