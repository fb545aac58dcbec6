import { z } from 'zod';

/**
 * How an uploaded file was written, as the csv-ingest producer found it: the text
 * encoding of its bytes, the CSV dialect of its text, its line endings, and why
 * each line that held no sale was skipped. Recorded in `FileIngested` and the
 * `ingest_files` table, so an odd export can be explained without the file.
 */

/** The text encodings a branch file is read in (a byte-order mark says which, else UTF-8, else Windows-1252). */
export const FileEncoding = {
  Utf8: 'utf-8',
  Utf8Bom: 'utf-8-bom',
  Utf16Le: 'utf-16le',
  Utf16Be: 'utf-16be',
  Windows1252: 'windows-1252',
} as const;

export type FileEncoding = (typeof FileEncoding)[keyof typeof FileEncoding];

export const FileEncodingSchema = z.enum(Object.values(FileEncoding) as [FileEncoding, ...FileEncoding[]]);

/** The field separators a branch file may use, by name (a tab is awkward to print). */
export const Delimiter = { Comma: 'comma', Semicolon: 'semicolon', Tab: 'tab', Pipe: 'pipe' } as const;

export type Delimiter = (typeof Delimiter)[keyof typeof Delimiter];

export const DelimiterSchema = z.enum(Object.values(Delimiter) as [Delimiter, ...Delimiter[]]);

/** The character each delimiter name stands for. */
export const DELIMITER_CHARACTERS: { readonly [name in Delimiter]: string } = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

/** The quote character of a file: `"` (RFC 4180) or `'`. */
export const QuoteStyle = { Double: 'double', Single: 'single' } as const;

export type QuoteStyle = (typeof QuoteStyle)[keyof typeof QuoteStyle];

export const QuoteStyleSchema = z.enum(Object.values(QuoteStyle) as [QuoteStyle, ...QuoteStyle[]]);

/** The character each quote style stands for. */
export const QUOTE_CHARACTERS: { readonly [name in QuoteStyle]: string } = { double: '"', single: "'" };

/** The line endings found in a file: one kind, several (`mixed`), or none (a single line). */
export const LineEndings = { None: 'none', Lf: 'lf', Crlf: 'crlf', Cr: 'cr', Mixed: 'mixed' } as const;

export type LineEndings = (typeof LineEndings)[keyof typeof LineEndings];

export const LineEndingsSchema = z.enum(Object.values(LineEndings) as [LineEndings, ...LineEndings[]]);

/** A file's CSV dialect: separator, quote, and the column and number habits of the program that wrote it. */
export const FileDialectSchema = z.object({
  delimiter: DelimiterSchema,
  quote: QuoteStyleSchema,
  /** Amounts written `2,15` (European locales, with `;` or another separator than the comma). */
  decimalComma: z.boolean(),
  /** A first column of row numbers before the seven (pandas `to_csv` with its index). */
  rowNumbers: z.boolean(),
  /** An empty column after the seven (a separator at the end of every line). */
  trailingColumn: z.boolean(),
});

export type FileDialect = z.infer<typeof FileDialectSchema>;

/** Why a line that holds no sale was skipped. */
export const SkipReason = {
  /** Nothing but blanks or separators. */
  Blank: 'blank',
  /** Column names: the layout's width, and no date, amount or payment method. */
  Header: 'header',
  /** Before the first sale row and not one (a title, an export note, Excel's `sep=` hint). */
  Preamble: 'preamble',
  /** After sale rows and not one: no date and no basket (a note, a total line, a small second table). */
  Footnote: 'footnote',
} as const;

export type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

/** Skipped lines counted by reason. */
export const LinesSkippedSchema = z.object({
  blank: z.number().int().nonnegative(),
  header: z.number().int().nonnegative(),
  preamble: z.number().int().nonnegative(),
  footnote: z.number().int().nonnegative(),
});

export type LinesSkipped = z.infer<typeof LinesSkippedSchema>;

/**
 * A dialect as one short, stable phrase for the `ingest_files.dialect` column:
 * the separator, then only what differs from RFC 4180 — `comma`,
 * `semicolon, decimal comma`, `tab, single quotes, row numbers, trailing column`.
 */
export function describeDialect(dialect: FileDialect): string {
  const parts: string[] = [dialect.delimiter];
  if (dialect.quote === QuoteStyle.Single) parts.push('single quotes');
  if (dialect.decimalComma) parts.push('decimal comma');
  if (dialect.rowNumbers) parts.push('row numbers');
  if (dialect.trailingColumn) parts.push('trailing column');
  return parts.join(', ');
}
