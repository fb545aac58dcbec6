import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import { DELIMITER_CHARACTERS, FileRefusal, QUOTE_CHARACTERS, RejectReason, type FileEncoding, type LineEndings, type RejectReasonCode } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { decodeUpload } from './decode-upload.js';
import { guardRecords, REFUSED_LINE_MARK } from './guard-records.js';
import { createLineEndingNormaliser, type LineEndingNormaliser } from './line-endings.js';
import { sniffFormat, type FileFormat } from './sniff-format.js';

/** One unit of a file as read: a CSV record and the lines it spans, or a line refused before it could be parsed. */
export type FileLine =
  | { readonly kind: 'record'; readonly fields: string[]; readonly line: number; readonly span: number }
  | { readonly kind: 'refused'; readonly line: number; readonly reason: RejectReasonCode };

/** How the file was written, told as it is found out (and once more when reading stops, however it stops). */
export interface FileFound {
  readonly encoding?: FileEncoding;
  readonly format?: FileFormat;
  readonly lineEndings?: LineEndings;
}

export interface ReadFileLinesOptions {
  /** Records longer than this many bytes (UTF-8) are refused as a line, not read into memory. */
  readonly maxRowChars: number;
  readonly found: (found: FileFound) => void;
}

/** Text read before the format is sniffed; the sniffer parses its first lines. */
const SAMPLE_CHARS = 16 * 1024;

const DIALECT_UNKNOWN =
  "no line has the 7 columns of a branch file (date, branch, customer, items, total, payment, card) separated by commas, semicolons, tabs or pipes: re-save it as 'CSV UTF-8 (Comma delimited)' with those 7 columns and upload it again";

type ParsedRecord = { record: string[]; info: Info };

/** Line breaks inside a record's quoted fields (the text has LF endings only). */
function lineBreaksWithin(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) breaks++;
  return breaks;
}

async function readSample(text: AsyncIterator<string>, normaliser: LineEndingNormaliser): Promise<{ text: string; complete: boolean }> {
  let sample = '';
  while (sample.length < SAMPLE_CHARS) {
    const next = await text.next();
    // A CR held at the very end becomes its line ending in `normalisedText`; the sniffer reads a last line without one alike.
    if (next.done) return { text: sample, complete: true };
    sample += normaliser.normalise(next.value);
  }
  return { text: sample, complete: false };
}

/** The decoded text with LF line endings: the sample already read, then the rest. */
async function* normalisedText(text: AsyncIterator<string>, normaliser: LineEndingNormaliser, sample: { text: string; complete: boolean }) {
  // An empty string, or a text already ended (a complete sample), costs the guard nothing.
  yield sample.text;
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    yield normaliser.normalise(next.value);
  }
  yield normaliser.end();
}

/**
 * Reads an upload's bytes as a stream of CSV records, each with the line it starts
 * at and the lines it spans, in the batches the parser has ready: decoded (`decode-upload.ts`), line endings made LF
 * (`line-endings.ts`), the dialect and layout sniffed from the first lines
 * (`sniff-format.ts`), records framed so a broken line costs that line only
 * (`guard-records.ts`), then parsed by csv-parse in the sniffed dialect. The text
 * is read once, chunk by chunk; nothing but the sample is held.
 *
 * Throws a FileRefusedError naming the file when it is not a branch file it can
 * read (compressed, binary, an unreadable encoding, no dialect giving the layout's
 * columns); other read errors are thrown as they come (a stream that fails).
 */
export async function* readFileLines(file: string, source: Readable, options: ReadFileLinesOptions): AsyncGenerator<FileLine[], void, undefined> {
  const decoded = decodeUpload(file);
  const decoding = pipeline(source, decoded);
  // A stage can fail (a read error in a later chunk) while the caller awaits a
  // write. The failure reaches the caller through the iterator; handle the promise
  // now, or Node reports an unhandled rejection, which ends a Lambda or the CLI.
  decoding.catch(() => undefined);
  const text = (decoded as AsyncIterable<string>)[Symbol.asyncIterator]();
  const normaliser = createLineEndingNormaliser();
  try {
    const sample = await readSample(text, normaliser);
    options.found({ encoding: decoded.encoding });
    const sniffed = sniffFormat(sample.text, sample.complete);
    if (!sniffed.ok) throw new FileRefusedError(file, FileRefusal.DialectUnknown, DIALECT_UNKNOWN);
    const { dialect } = sniffed.format;
    options.found({ format: sniffed.format });

    const delimiter = DELIMITER_CHARACTERS[dialect.delimiter];
    const quote = QUOTE_CHARACTERS[dialect.quote];
    // Lines the guard refused, in order; each reaches the parser as one REFUSED_LINE_MARK record.
    const guardRefusals: RejectReasonCode[] = [];
    const guard = guardRecords({ maxRecordBytes: options.maxRowChars, delimiter, quote, onRefused: (reason) => guardRefusals.push(reason) });
    const parser = parse({
      delimiter,
      quote,
      escape: quote,
      // The text has LF endings only: never let csv-parse guess from the first one.
      record_delimiter: '\n',
      relax_column_count: true,
      trim: true,
      info: true,
      // Stryker disable next-line BooleanLiteral: a backstop only (csv-parse skips nothing the guard passes, so never throws instead)
      skip_records_with_error: true,
      // A backstop only: the guard passes no record longer than this.
      max_record_size: options.maxRowChars,
    });
    // Records csv-parse itself skipped as broken, until the loop below hands them on.
    const parserRefusals: FileLine[] = [];
    // Stryker disable next-line UnaryOperator: read only by the unreachable skip backstop below
    let lastSkippedLine = -1;
    // A backstop, so a record csv-parse drops is still accounted for: the guard passes only records it reads (80,000 fuzzed
    // texts in every dialect made it skip none), so no test reaches these lines.
    // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
    parser.on('skip', (error: { lines?: number; code?: string }) => {
      // csv-parse reports some faults once per offending character: count the record once.
      // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
      if (error.lines === lastSkippedLine) return;
      // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
      lastSkippedLine = error.lines ?? 0;
      // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
      parserRefusals.push({ kind: 'refused', line: lastSkippedLine, reason: error.code === 'CSV_MAX_RECORD_SIZE' ? RejectReason.FieldTooLong : RejectReason.RowMalformed });
    });

    const feeding = pipeline(normalisedText(text, normaliser, sample), guard, parser);
    feeding.catch(() => undefined);
    // One await per batch of records the parser has ready, not per record: this loop runs for every row.
    for await (const first of parser as AsyncIterable<ParsedRecord>) {
      const batch: FileLine[] = [];
      for (let parsed: ParsedRecord | null = first; parsed !== null; parsed = parser.read() as ParsedRecord | null) {
        // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
        if (parserRefusals.length > 0) batch.push(...parserRefusals.splice(0));
        const { record, info } = parsed;
        const breaks = lineBreaksWithin(record);
        // csv-parse counts to a record's last line; people look for where it starts.
        const line = info.lines - breaks;
        if (record.length === 1 && record[0] === REFUSED_LINE_MARK) batch.push({ kind: 'refused', line, reason: guardRefusals.shift() as RejectReasonCode });
        else batch.push({ kind: 'record', fields: record, line, span: breaks + 1 });
      }
      yield batch;
    }
    // Stryker disable next-line all: unreachable backstop (csv-parse skips nothing the guard passes)
    if (parserRefusals.length > 0) yield parserRefusals.splice(0);
    await feeding;
    await decoding;
  } finally {
    options.found({ encoding: decoded.encoding, lineEndings: normaliser.found() });
  }
}
