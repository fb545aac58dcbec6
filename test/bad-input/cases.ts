import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../../tools/generator/generate-sales.js';
import type { FileRefusalCode, RejectReasonCode } from '../../contracts/index.js';

/**
 * The bad-input corpus and what each file must become. Small text files are
 * committed under `corpus/`; large, binary and deliberately mis-encoded ones are
 * written at test time (`write`), so the repository holds no blobs. README.md in
 * this folder documents the same table for people.
 */

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

/** A rejected row as the quarantine table records it. */
export interface ExpectedRejection {
  readonly line: number;
  readonly reason: RejectReasonCode;
  readonly field: string | null;
}

export type ExpectedOutcome =
  | {
      readonly kind: 'loaded';
      /** Sales that reach the warehouse from this file. */
      readonly sales: number;
      /** Every rejected row, in line order. */
      readonly rejected: readonly ExpectedRejection[];
      readonly linesSkipped?: number;
      readonly layout?: 'standard' | 'header';
    }
  | {
      readonly kind: 'refused';
      readonly refusal: FileRefusalCode;
      readonly linesSkipped?: number;
    };

export interface BadInputCase {
  /** The file's name (in `corpus/`, or in the test's temp folder when `write` is given). */
  readonly file: string;
  /** What the case is about, as the test title says it. */
  readonly about: string;
  readonly outcome: ExpectedOutcome;
  /** Writes a generated file to `path`. */
  readonly write?: (path: string) => Promise<void>;
}

const rejected = (line: number, reason: RejectReasonCode, field: string | null = null): ExpectedRejection => ({ line, reason, field });

/** One well-formed standard row for a generated file. */
export function goodRow(branch: string, index: number, name = `Corpus Customer ${index}`): string {
  const minute = String(index % 60).padStart(2, '0');
  const hour = String(9 + Math.floor(index / 60) % 10).padStart(2, '0');
  return `13/03/2024 ${hour}:${minute},${branch},${name},Large Latte - 2.45,2.45,CASH,`;
}

const lines = (rows: readonly string[]) => `${rows.join('\n')}\n`;
const TEN_MB = 10 * 1024 * 1024;

/** Bytes that start like a PNG image: the binary file a phone upload might be. */
function pngLike(): Buffer {
  const random = seededRandom(99);
  const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  return Buffer.concat([header, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)))]);
}

export const CASES: readonly BadInputCase[] = [
  // Whole files with nothing to load.
  { file: 'empty.csv', about: 'an empty file is refused as empty', outcome: { kind: 'refused', refusal: 'file_empty' } },
  { file: 'blank-lines.csv', about: 'a file of blank lines is refused as empty', outcome: { kind: 'refused', refusal: 'file_empty', linesSkipped: 3 } },
  { file: 'header-only.csv', about: 'a header with no rows is refused as empty', outcome: { kind: 'refused', refusal: 'file_empty', linesSkipped: 1 } },

  // Rows rejected with their reason and line; the rows around them load.
  {
    file: 'wrong-column-counts.csv',
    about: 'rows with 6, 8, 1 and 10 columns are rejected as column_count',
    outcome: { kind: 'loaded', sales: 2, rejected: [2, 3, 4, 5].map((line) => rejected(line, 'column_count')) },
  },
  {
    file: 'dates.csv',
    about: '31/02, 25:00, 09:60, 29/02 of a common year and day 0 are impossible; words, other orders and missing times are unparsable',
    outcome: {
      kind: 'loaded',
      sales: 3,
      rejected: [
        ...[2, 3, 4, 5, 6].map((line) => rejected(line, 'date_impossible', 'timestamp')),
        ...[8, 9, 10, 11, 12].map((line) => rejected(line, 'date_unparsable', 'timestamp')),
      ],
    },
  },
  {
    file: 'first-row-bad-date.csv',
    about: 'a bad date on the first line is a rejected row, not a skipped header',
    outcome: { kind: 'loaded', sales: 1, rejected: [rejected(1, 'date_unparsable', 'timestamp'), rejected(2, 'date_impossible', 'timestamp')] },
  },
  {
    file: 'totals-invalid.csv',
    about: 'negative, non-numeric, empty, £-prefixed, three-decimal, comma-decimal and NaN totals are total_invalid; a negative price is price_invalid',
    outcome: {
      kind: 'loaded',
      sales: 2,
      rejected: [...[2, 3, 4, 5, 6, 7, 8].map((line) => rejected(line, 'total_invalid', 'total')), rejected(9, 'price_invalid', 'items.0.price')],
    },
  },
  {
    file: 'totals-mismatch.csv',
    about: 'totals that are not the sum of the basket, to the penny, are total_mismatch',
    outcome: { kind: 'loaded', sales: 2, rejected: [2, 3, 4, 5].map((line) => rejected(line, 'total_mismatch', 'total')) },
  },
  {
    file: 'payment-methods.csv',
    about: 'VOUCHER, an empty method and AMEX are payment_unknown; card and Cash in any case are accepted',
    outcome: { kind: 'loaded', sales: 4, rejected: [2, 3, 4].map((line) => rejected(line, 'payment_unknown', 'paymentMethod')) },
  },
  {
    file: 'card-missing.csv',
    about: 'CARD with an empty, "None" or blank card number is card_missing; a mangled number still proves a card; a CASH card number is dropped',
    outcome: { kind: 'loaded', sales: 4, rejected: [2, 3, 4].map((line) => rejected(line, 'card_missing', 'cardNumber')) },
  },
  { file: 'utf8-bom.csv', about: 'a UTF-8 byte-order mark does not spoil the first date', outcome: { kind: 'loaded', sales: 3, rejected: [], layout: 'standard' } },
  {
    file: 'utf8-bom-header.csv',
    about: 'a byte-order mark before a header: the header is still recognised and skipped',
    outcome: { kind: 'loaded', sales: 2, rejected: [], linesSkipped: 1, layout: 'header' },
  },
  {
    file: 'embedded-newlines.csv',
    about: 'quoted fields spanning lines are read whole and reported at their first line',
    outcome: { kind: 'loaded', sales: 4, rejected: [rejected(7, 'total_mismatch', 'total'), rejected(9, 'payment_unknown', 'paymentMethod')] },
  },
  {
    file: 'broken-quotes.csv',
    about: 'a stray quote, a quote inside a bare field and a quote never closed each cost one line, not the rest of the file',
    outcome: { kind: 'loaded', sales: 6, rejected: [2, 4, 6].map((line) => rejected(line, 'row_malformed')) },
  },
  {
    file: 'formula-injection.csv',
    about: 'spreadsheet formulas in names, products and branches are kept as text; an unquoted formula with quotes is not CSV',
    outcome: { kind: 'loaded', sales: 6, rejected: [rejected(6, 'row_malformed')] },
  },
  {
    file: 'sql-injection.csv',
    about: 'SQL in names, products, branches, flavours and card numbers is data; in a total or payment method it is rejected',
    outcome: { kind: 'loaded', sales: 5, rejected: [rejected(5, 'total_invalid', 'total'), rejected(6, 'payment_unknown', 'paymentMethod')] },
  },

  // Generated at test time: too large, binary or deliberately mis-encoded to commit.
  {
    file: 'long-lines.csv',
    about: 'a 10 MB line (bare or quoted) is field_too_long and the rows after it still load; a 300-character name is field_too_long at its field',
    outcome: {
      kind: 'loaded',
      sales: 3,
      rejected: [rejected(2, 'field_too_long'), rejected(4, 'field_too_long'), rejected(5, 'field_too_long', 'customerName')],
    },
    write: (path) =>
      writeFile(
        path,
        lines([
          goodRow('Bad Input Long Lines', 1),
          `13/03/2024 09:02,Bad Input Long Lines,${'x'.repeat(TEN_MB)},Large Latte - 2.45,2.45,CASH,`,
          goodRow('Bad Input Long Lines', 3),
          `13/03/2024 09:04,Bad Input Long Lines,"${'y'.repeat(TEN_MB)}",Large Latte - 2.45,2.45,CASH,`,
          `13/03/2024 09:05,Bad Input Long Lines,${'z'.repeat(300)},Large Latte - 2.45,2.45,CASH,`,
          goodRow('Bad Input Long Lines', 6),
        ]),
      ),
  },
  {
    file: 'nul-bytes-late.csv',
    about: 'NUL bytes past the binary sniff (a zero-filled tail) reject their lines; the rows before and between load',
    outcome: { kind: 'loaded', sales: 151, rejected: [rejected(151, 'row_malformed'), rejected(153, 'row_malformed')] },
    write: (path) => {
      // 150 rows (~12 KB) put the NULs beyond the first 8 KiB, which the decoder sniffs for binary content.
      const rows = Array.from({ length: 150 }, (_, index) => goodRow('Bad Input NUL', index));
      const text = `${lines([...rows, '13/03/2024 12:00,Bad Input NUL,Avery Corpus,Large Lat\0te - 2.45,2.45,CASH,', goodRow('Bad Input NUL', 151)])}${'\0'.repeat(512)}`;
      return writeFile(path, text);
    },
  },
  {
    file: "x'); DROP TABLE ingest_files;--.csv",
    about: 'SQL in the file name itself is stored as the file name',
    outcome: { kind: 'loaded', sales: 1, rejected: [] },
    write: (path) => writeFile(path, lines([goodRow('Bad Input File Name', 1)])),
  },
  {
    file: 'latin1-export.csv',
    about: 'a Windows-1252 export (invalid UTF-8) is refused as file_encoding_invalid',
    outcome: { kind: 'refused', refusal: 'file_encoding_invalid' },
    write: (path) => writeFile(path, Buffer.from(lines([goodRow('Bad Input Latin-1', 1, 'José Núñez'), goodRow('Bad Input Latin-1', 2)]), 'latin1')),
  },
  {
    file: 'binary.csv',
    about: 'a binary file named .csv is refused as file_binary',
    outcome: { kind: 'refused', refusal: 'file_binary' },
    write: (path) => writeFile(path, pngLike()),
  },
  {
    file: 'gzipped.csv.gz',
    about: 'a gzip file is refused as file_compressed (upload it uncompressed)',
    outcome: { kind: 'refused', refusal: 'file_compressed' },
    write: (path) => writeFile(path, gzipSync(lines([goodRow('Bad Input Gzip', 1)]))),
  },
  {
    file: 'workbook.xlsx',
    about: 'an Excel workbook (a zip) is refused as file_compressed',
    outcome: { kind: 'refused', refusal: 'file_compressed' },
    write: (path) => writeFile(path, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), pngLike()])),
  },
];

/** Products and branches that must be stored exactly as written, by the file that holds them. */
export const KEPT_AS_TEXT = {
  products: ['=HYPERLINK("http://evil.example","Click")', '@SUM(A1:A9)', "+cmd|' /C calc'!A0", '=1+1', "'); DROP TABLE sales;--"],
  branches: ['=1+1', "x'; DELETE FROM quarantine;--"],
  flavours: ["Earl Grey' OR '1'='1"],
} as const;
