import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../../tools/generator/generate-sales.js';
import type { FileEncoding, FileRefusalCode, LineEndings, LinesSkipped, RejectReasonCode } from '../../contracts/index.js';

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
      /** Skipped lines by reason (they add up to `linesSkipped`). */
      readonly skipped?: Partial<LinesSkipped>;
      readonly layout?: 'standard' | 'header' | 'gen-2020';
      readonly encoding?: FileEncoding;
      /** As `ingest_files.dialect` phrases it: `semicolon, decimal comma`. */
      readonly dialect?: string;
      readonly lineEndings?: LineEndings;
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
  {
    file: 'dialect-unknown.csv',
    about: 'sale rows that no separator splits into seven columns: the file is refused as file_dialect_unknown, saying how to re-save it',
    outcome: { kind: 'refused', refusal: 'file_dialect_unknown' },
  },

  // Dialects, each read right.
  {
    file: 'semicolon-decimal-comma.csv',
    about: 'a ";"-separated European export with decimal commas in totals and prices loads',
    outcome: { kind: 'loaded', sales: 3, rejected: [], dialect: 'semicolon, decimal comma' },
  },
  { file: 'tab-separated.csv', about: 'a tab-separated file loads, a quoted comma in a name included', outcome: { kind: 'loaded', sales: 3, rejected: [], dialect: 'tab' } },
  { file: 'pipe-separated.csv', about: 'a "|"-separated file loads', outcome: { kind: 'loaded', sales: 2, rejected: [], dialect: 'pipe' } },
  { file: 'all-fields-quoted.csv', about: 'every field quoted, a doubled quote inside one, loads', outcome: { kind: 'loaded', sales: 2, rejected: [], dialect: 'comma' } },
  { file: 'single-quoted.csv', about: "fields quoted with ' (and '' inside) load", outcome: { kind: 'loaded', sales: 2, rejected: [], dialect: 'comma, single quotes' } },
  {
    file: 'trailing-empty-column.csv',
    about: 'a separator at the end of every line (an empty eighth column) loads',
    outcome: { kind: 'loaded', sales: 3, rejected: [], dialect: 'comma, trailing column' },
  },
  {
    file: 'row-number-column.csv',
    about: "a leading row-number column (pandas' index) and its header load",
    outcome: { kind: 'loaded', sales: 3, rejected: [], linesSkipped: 1, skipped: { header: 1 }, layout: 'header', dialect: 'comma, row numbers' },
  },
  { file: 'spaces-around-fields.csv', about: 'spaces around fields and around quoted fields are dropped', outcome: { kind: 'loaded', sales: 2, rejected: [] } },
  {
    file: 'preamble-and-footnotes.csv',
    about: 'title lines before the sales, and a totals line, a note and a second small table after them, are skipped with their reasons',
    outcome: { kind: 'loaded', sales: 2, rejected: [], linesSkipped: 11, skipped: { blank: 2, header: 1, preamble: 3, footnote: 5 }, layout: 'header' },
  },
  {
    file: 'repeated-header.csv',
    about: 'two exports joined end to end: the second header is skipped too',
    outcome: { kind: 'loaded', sales: 2, rejected: [], linesSkipped: 2, skipped: { header: 2 }, layout: 'header' },
  },
  {
    file: 'row-damage.csv',
    about: 'an unquoted comma in a name, a stray quote, a row with another separator and a row missing a field each cost that row only',
    outcome: { kind: 'loaded', sales: 2, rejected: [rejected(2, 'column_count'), rejected(3, 'row_malformed'), rejected(4, 'column_count'), rejected(5, 'column_count')] },
  },

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
    about: 'a Windows-1252 export (bytes that are not UTF-8) is read as Windows-1252, and says so',
    outcome: { kind: 'loaded', sales: 2, rejected: [], encoding: 'windows-1252' },
    write: (path) => writeFile(path, Buffer.from(lines([goodRow('Bad Input Latin-1', 1, 'José Núñez'), goodRow('Bad Input Latin-1', 2)]), 'latin1')),
  },
  {
    file: 'utf16le-bom.csv',
    about: 'UTF-16LE with a byte-order mark (Excel "Unicode text") loads',
    outcome: { kind: 'loaded', sales: 2, rejected: [], encoding: 'utf-16le' },
    write: (path) => writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines([goodRow('Bad Input UTF-16LE', 1, 'Zoë Corpus'), goodRow('Bad Input UTF-16LE', 2)]), 'utf16le')])),
  },
  {
    file: 'utf16be-bom.csv',
    about: 'UTF-16BE with a byte-order mark loads',
    outcome: { kind: 'loaded', sales: 2, rejected: [], encoding: 'utf-16be' },
    write: (path) => writeFile(path, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(lines([goodRow('Bad Input UTF-16BE', 1, 'Zoë Corpus'), goodRow('Bad Input UTF-16BE', 2)]), 'utf16le').swap16()])),
  },
  {
    file: 'utf16-no-bom.csv',
    about: 'UTF-16 without a byte-order mark is refused as file_encoding_invalid, saying how to re-save it',
    outcome: { kind: 'refused', refusal: 'file_encoding_invalid' },
    write: (path) => writeFile(path, Buffer.from(lines([goodRow('Bad Input UTF-16', 1), goodRow('Bad Input UTF-16', 2)]), 'utf16le')),
  },
  {
    file: 'mixed-line-endings.csv',
    about: 'CRLF, LF and bare CR line endings in one file, record by record, inside quotes too',
    outcome: { kind: 'loaded', sales: 4, rejected: [], lineEndings: 'mixed' },
    write: (path) =>
      writeFile(
        path,
        `${goodRow('Bad Input Line Endings', 1)}\r\n${goodRow('Bad Input Line Endings', 2)}\n${goodRow('Bad Input Line Endings', 3, '"Two\r\nLines"')}\r${goodRow('Bad Input Line Endings', 4)}\r\n`,
      ),
  },
  {
    file: 'encoding-mixed.csv',
    about: 'a Windows-1252 byte in a UTF-8 file (rows pasted from another export) rejects that row as encoding_invalid; the others load',
    outcome: { kind: 'loaded', sales: 2, rejected: [rejected(3, 'encoding_invalid')], encoding: 'utf-8' },
    write: (path) =>
      writeFile(
        path,
        Buffer.concat([
          Buffer.from(lines([goodRow('Bad Input Mixed', 1, 'Zoë Corpus'), goodRow('Bad Input Mixed', 2)]), 'utf8'),
          Buffer.from(lines([goodRow('Bad Input Mixed', 3, 'José Corpus')]), 'latin1'),
        ]),
      ),
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
