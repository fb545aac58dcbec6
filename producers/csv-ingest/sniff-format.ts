import { parse } from 'csv-parse/sync';
import {
  DELIMITER_CHARACTERS,
  Delimiter,
  FileLayout,
  QuoteStyle,
  type FileDialect,
} from '../../contracts/index.js';
import { isLegacyRow, LAYOUT_COLUMNS, type DataLayout } from './map-row.js';
import { columnsOf, isSaleLike, startsWithDate } from './line-shape.js';

/** How a file is to be read: its CSV dialect and its column layout. */
export interface FileFormat {
  readonly dialect: FileDialect;
  readonly layout: DataLayout;
}

export type SniffResult = { readonly ok: true; readonly format: FileFormat } | { readonly ok: false };

/** Lines of the sample parsed per candidate dialect when the first few do not settle it: enough to outvote a few damaged rows. */
export const SNIFF_LINES = 50;
/** Lines parsed first: when every one reads as the layout in one dialect, that is the dialect (most files; sniffing is per file, so it must be cheap). */
const QUICK_LINES = 12;

/** A standard comma file: what a file with nothing in it to go by is read as. */
export const DEFAULT_DIALECT: FileDialect = { delimiter: Delimiter.Comma, quote: QuoteStyle.Double, decimalComma: false, rowNumbers: false, trailingColumn: false };

const SEPARATOR_HINT = /^sep=(.)\s*$/i;
const DECIMAL_COMMA = /^\d+,\d{1,2}$/;
const SIZE_WORD = /^(?:regular|large)\b/i;

interface Candidate {
  readonly delimiter: Delimiter;
  readonly quote: QuoteStyle;
  readonly score: number;
  readonly rowNumbers: boolean;
  readonly trailingColumn: boolean;
  /** The sample's sale rows as the layout's seven columns. */
  readonly rows: readonly (readonly string[])[];
  /** Every record parsed read as a sale row or a seven-column header: nothing more lines could outvote. */
  readonly clean: boolean;
}

/** Parses the sample in one dialect; a record still open at the sample's end is dropped. */
function recordsIn(text: string, delimiter: string, quote: string): string[][] {
  return parse(text, {
    delimiter,
    quote,
    escape: quote,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    trim: true,
  }) as string[][];
}

/**
 * Scores one dialect by how many sample records it reads as the layout's seven
 * columns: 3 for a sale row (a date first), 1 for another seven-column line (a
 * header, a row with a bad date). A leading row-number column or a trailing
 * empty column is taken to be the file's habit only when most sale rows have it,
 * so a row damaged into eight columns is not read as the habit.
 */
function score(records: readonly string[][], delimiter: Delimiter, quote: QuoteStyle): Candidate {
  let seven = 0;
  let headers = 0;
  let numbered = 0;
  let trailing = 0;
  let both = 0;
  for (const record of records) {
    const width = record.length;
    const last = record[width - 1];
    if (width === LAYOUT_COLUMNS) {
      if (startsWithDate(record[0])) seven++;
      else headers++;
    } else if (width === LAYOUT_COLUMNS + 1 && /^\d+$/.test(record[0] as string) && startsWithDate(record[1])) numbered++;
    else if (width === LAYOUT_COLUMNS + 1 && last === '' && startsWithDate(record[0])) trailing++;
    else if (width === LAYOUT_COLUMNS + 2 && last === '' && /^\d+$/.test(record[0] as string) && startsWithDate(record[1])) both++;
  }
  // Each habit must be had by more sale rows than lack it.
  const rowNumbers = numbered + both > seven + trailing;
  const trailingColumn = trailing + both > seven + numbered;
  const rows: (readonly string[])[] = [];
  for (const record of records) {
    const columns = columnsOf(record, { rowNumbers, trailingColumn });
    if (columns.length === LAYOUT_COLUMNS && startsWithDate(columns[0])) rows.push(columns);
  }
  return { delimiter, quote, score: rows.length * 3 + headers, rowNumbers, trailingColumn, rows, clean: rows.length > 0 && rows.length + headers === records.length };
}

/** A basket item written with its size slot left blank (`, ␠␠Iced latte - 2.35`): the 2020 Generation export. */
function hasBlankSizeSlot(basket: string): boolean {
  return basket.split(', ').some((part) => /^\s+\S/.test(part) && !SIZE_WORD.test(part.trimStart()));
}

// The same mark in raw text, where nothing else writes it: an item after a comma and two blanks, or after a quote and a blank.
const BLANK_SIZE_SLOT = /(?:,\s{2,}|["']\s+)(?!regular\b|large\b)\p{L}[^,;\t|"'\n]*? - \d+[.,]\d{2}/iu;

/** Which layout the sample's sale rows are in (the whole sample is searched for the 2020 export's mark). */
function layoutOf(rows: readonly (readonly string[])[], sample: string): DataLayout {
  const first = rows[0];
  if (first && isLegacyRow(first)) return FileLayout.Legacy2021;
  return rows.some((row) => hasBlankSizeSlot(row[3] as string)) || BLANK_SIZE_SLOT.test(sample) ? FileLayout.Gen2020 : FileLayout.Standard;
}

/** The first `count` whole lines of the sample (the sample may end part way through one). */
function firstLines(sample: string, complete: boolean, count: number): string {
  let end = sample.length;
  for (let lines = 0, at = -1; lines < count; lines++) {
    at = sample.indexOf('\n', at + 1);
    if (at < 0) {
      end = complete ? sample.length : Math.max(0, sample.lastIndexOf('\n'));
      break;
    }
    end = at;
  }
  return sample.slice(0, end);
}

/** The dialect that reads the most of these lines as the layout's seven columns. */
function bestDialect(text: string): Candidate | undefined {
  const hint = SEPARATOR_HINT.exec(text.split('\n', 1)[0] as string)?.[1];
  // Stryker disable next-line MethodExpression: a separator the text lacks reads no line as seven columns, so never wins
  const present = (Object.values(Delimiter) as Delimiter[]).filter((name) => text.includes(DELIMITER_CHARACTERS[name]));
  let best: Candidate | undefined;
  for (const delimiter of present) {
    const character = DELIMITER_CHARACTERS[delimiter];
    const double = recordsIn(text, character, '"');
    let candidate = score(double, delimiter, QuoteStyle.Double);
    // A single quote opening a field, right after a separator or at a line's start: try it as the quote.
    // Each separator escaped: `\,` `\;` `\|` and a backslash before a tab are all the character itself in a class.
    if (new RegExp(`(?:^|[\\${character}])\\s*'`, 'm').test(text)) {
      const single = score(recordsIn(text, character, "'"), delimiter, QuoteStyle.Single);
      // On a tie (no quoted field holds a separator), fields still wrapped in ' when read with " decide.
      if (single.score > candidate.score || (single.score === candidate.score && double.some((record) => record.some((field) => /^'.*'$/s.test(field))))) candidate = single;
    }
    // On a tie the earlier separator stays, unless this one is Excel's `sep=` hint.
    if (!best || candidate.score > best.score || (candidate.score === best.score && character === hint)) best = candidate;
  }
  return best;
}

/**
 * Finds how a file is written from the start of its text (line endings already
 * LF): the separator (`,` `;` tab `|`, and Excel's `sep=` hint line), the quote
 * character (`"` or `'`), a leading row-number or trailing empty column, decimal
 * commas, and the layout (standard, legacy 2021, 2020 Generation). Each candidate
 * dialect parses the first {@link SNIFF_LINES} lines and the one that reads the
 * most of them as the layout's seven columns wins; ties go to the comma and the
 * double quote. Only characters the sample holds are tried, and when the first
 * twelve lines all read as the layout in one dialect no more are parsed, so a
 * plain comma file costs one parse of twelve lines.
 *
 * A sample with sale-like lines (dates, basket items) that no dialect reads as
 * seven columns is `ok: false`: the file is refused, since reading it would only
 * reject every row. A sample with nothing sale-like (empty, blank, a header
 * alone) is read as a standard comma file, which then has no rows.
 */
export function sniffFormat(sample: string, complete: boolean): SniffResult {
  const quick = firstLines(sample, complete, QUICK_LINES);
  let text = quick;
  let best = bestDialect(quick);
  if (!best?.clean) {
    text = firstLines(sample, complete, SNIFF_LINES);
    // Parsed again even when the sample has no more lines: that is a file of twelve lines at most.
    best = bestDialect(text);
  }

  if (!best || best.score === 0) {
    // Nothing reads as the layout. Refuse a file that has sales in it; read one that has none, to be refused as empty.
    return text.split('\n').some((line) => isSaleLike([line])) ? { ok: false } : { ok: true, format: { dialect: DEFAULT_DIALECT, layout: FileLayout.Standard } };
  }
  const layout = layoutOf(best.rows, sample);
  const totalColumn = layout === FileLayout.Legacy2021 ? 5 : 4;
  const decimalComma = best.delimiter !== Delimiter.Comma && best.rows.some((row) => DECIMAL_COMMA.test(row[totalColumn] as string));
  return {
    ok: true,
    format: {
      dialect: { delimiter: best.delimiter, quote: best.quote, decimalComma, rowNumbers: best.rowNumbers, trailingColumn: best.trailingColumn },
      layout,
    },
  };
}
