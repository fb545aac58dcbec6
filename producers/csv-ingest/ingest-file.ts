import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import {
  DELIMITER_CHARACTERS,
  FileRefusal,
  QUOTE_CHARACTERS,
  RejectReason,
  type FileRefusalCode,
  type RejectReasonCode,
  type SalesStreamEvent,
} from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { saleContentKey, saleEventId } from '../shared/event-id.js';
import { mergeReceipts, type EventWriter, type LiveSaleClaims, type ObjectReader, type WriteReceipt } from '../shared/ports.js';
import { classifyRecord } from './classify-record.js';
import { decodeUpload } from './decode-upload.js';
import { FileAccount, type FileTotals, type RowRejection } from './file-account.js';
import { fileIngested, rowRejected, saleRecorded } from './file-events.js';
import { guardRecords, REFUSED_LINE_MARK } from './guard-records.js';
import { createLineEndingNormaliser } from './line-endings.js';
import { OccurrenceCounter } from './occurrence-counter.js';
import { sniffFormat, type FileFormat } from './sniff-format.js';

export type { RowRejection };

/** What became of a file: its account, plus what the run wrote. */
export interface IngestSummary extends FileTotals {
  readonly file: string;
  readonly status: 'loaded' | 'refused';
  readonly refusal: string | null;
  readonly receipt: WriteReceipt;
}

export interface IngestFileOptions {
  /** The object key (S3) or path (local) of the upload: the file's identity, recorded as the events' source. */
  readonly file: string;
  readonly reader: ObjectReader;
  readonly writer: EventWriter;
  /** Secret pepper keying event ids; the same one the consumer uses for customer keys. */
  readonly pepper: string;
  readonly clock?: () => Date;
  /** Events buffered per stream write; the parser waits while a write is in flight. */
  readonly batchSize?: number;
  /** Rows longer than this many bytes (UTF-8) are refused as a row, not read into memory. */
  readonly maxRowChars?: number;
  readonly onProgress?: (progress: { rowsRead: number; rowsRejected: number }) => void;
  /**
   * Live till sales of a till-enabled branch-day: a row that matches one is already
   * counted and is not published again (docs/live-tills.md).
   */
  readonly liveSales?: LiveSaleClaims;
}

/** Text read before the format is sniffed; the sniffer parses its first lines. */
const SAMPLE_CHARS = 16 * 1024;

const DIALECT_UNKNOWN =
  "no line has the 7 columns of a branch file (date, branch, customer, items, total, payment, card) separated by commas, semicolons, tabs or pipes: re-save it as 'CSV UTF-8 (Comma delimited)' with those 7 columns and upload it again";

/** Line breaks inside a record's quoted fields (the text has LF endings only). */
function lineBreaksWithin(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) breaks++;
  return breaks;
}

/** Why a file with no sale rows has none, in the branch's terms. */
function emptyDetail(totals: FileTotals): string {
  const { blank, header, preamble, footnote } = totals.skipped;
  const seen = [
    blank && `${blank} blank`,
    header && `${header} header`,
    preamble + footnote && `${preamble + footnote} other (titles, notes)`,
  ].filter(Boolean);
  return `no sale rows (${totals.lines === 0 ? 'the file is empty' : `${totals.lines} line(s): ${seen.join(', ')}`}): export the day's sales again and upload that file`;
}

/** Events out in batches: the parser waits while a batch is written, so memory stays flat. */
function createBatcher(writer: EventWriter, batchSize: number) {
  const receipt: WriteReceipt = new Map();
  let buffer: SalesStreamEvent[] = [];
  return {
    receipt,
    push(event: SalesStreamEvent): boolean {
      buffer.push(event);
      return buffer.length >= batchSize;
    },
    async flush(): Promise<void> {
      if (buffer.length === 0) return;
      const events = buffer;
      buffer = [];
      mergeReceipts(receipt, await writer.write(events));
    },
  };
}

/** The decoded text with LF line endings: first a sample of at least `SAMPLE_CHARS`, then the rest. */
async function* normalisedText(decoded: AsyncIterator<string>, normaliser: ReturnType<typeof createLineEndingNormaliser>, sample: { text: string; complete: boolean }) {
  if (sample.text) yield sample.text;
  if (sample.complete) return;
  for (;;) {
    const next = await decoded.next();
    if (next.done) break;
    const text = normaliser.normalise(next.value);
    if (text) yield text;
  }
  const tail = normaliser.end();
  if (tail) yield tail;
}

async function readSample(decoded: AsyncIterator<string>, normaliser: ReturnType<typeof createLineEndingNormaliser>): Promise<{ text: string; complete: boolean }> {
  let text = '';
  while (text.length < SAMPLE_CHARS) {
    const next = await decoded.next();
    if (next.done) return { text: text + normaliser.end(), complete: true };
    text += normaliser.normalise(next.value);
  }
  return { text, complete: false };
}

/**
 * Streams one uploaded file into events. The bytes are decoded (encoding from
 * the byte-order mark, else UTF-8, else Windows-1252), line endings made LF, the
 * dialect and layout sniffed from the first lines, records framed (so a broken
 * line costs one row, never the rest of the file) and parsed with csv-parse; each
 * record is classified (`classifyRecord`: a sale, a row rejected with its reason,
 * or a line skipped with its reason) and counted in the file's account
 * (`FileAccount`). Each sale becomes one TransactionRecorded, each rejected row
 * one RowRejected, and the account one FileIngested, last (identities in
 * `file-events.ts`). Memory stays flat: text is decoded chunk by chunk, rows go
 * out in batches and parsing waits for each write.
 *
 * A file that cannot be read as a branch file is refused with a FileRefusedError
 * naming it and saying what to do; its account is still published, with what was
 * written before the refusal in the error's receipt.
 */
export async function ingestFile(options: IngestFileOptions): Promise<IngestSummary> {
  const { file, reader, writer, pepper } = options;
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock().toISOString();
  const out = createBatcher(writer, options.batchSize ?? 500);
  const account = new FileAccount();
  const occurrences = new OccurrenceCounter();

  const finish = async (status: 'loaded' | 'refused', refusal: FileRefusalCode | null): Promise<IngestSummary> => {
    const totals = account.totals();
    out.push(fileIngested(file, totals, { startedAt, finishedAt: clock().toISOString(), status, refusal }));
    await out.flush();
    return { ...totals, file, status, refusal, receipt: out.receipt };
  };

  /** Publishes the refused file's account, then throws carrying what was written (rows before the fault, the account). */
  const refuse = async (error: FileRefusedError): Promise<never> => {
    error.receipt = (await finish('refused', error.refusal as FileRefusalCode)).receipt;
    throw error;
  };

  /** One sale row: its id, then published, or claimed by a live till sale. */
  const sale = async (line: number, outcome: Extract<ReturnType<typeof classifyRecord>, { kind: 'sale' }>): Promise<boolean> => {
    const contentKey = saleContentKey(pepper, outcome.sale);
    // The occurrence advances even for a row a live sale already counts, so the
    // file's other rows keep the ids they would have without tills.
    const eventId = saleEventId(pepper, contentKey, occurrences.next(contentKey));
    if (options.liveSales && (await options.liveSales.claim(outcome.sale, `${file}:${line}`)) !== undefined) {
      account.matchedLive();
      return false;
    }
    account.published();
    return out.push(saleRecorded(file, line, eventId, outcome.raw, outcome.sale.occurredAt, clock().toISOString()));
  };

  let source: Readable;
  try {
    source = await reader.open(file);
  } catch (error) {
    return refuse(new FileRefusedError(file, FileRefusal.Unreadable, error instanceof Error ? error.message : 'cannot be read', { cause: error }));
  }

  const decoded = decodeUpload(file);
  const decoding = pipeline(source, decoded);
  // A stage can fail (a read error in a later chunk) while the loop below awaits a
  // write. The loop sees the failure through the iterator; handle the promise now,
  // or Node reports an unhandled rejection, which ends a Lambda invocation or the CLI.
  decoding.catch(() => undefined);
  const text = (decoded as AsyncIterable<string>)[Symbol.asyncIterator]();
  const normaliser = createLineEndingNormaliser();
  try {
    const sample = await readSample(text, normaliser);
    account.describe({ encoding: decoded.encoding });
    const sniffed = sniffFormat(sample.text, sample.complete);
    if (!sniffed.ok) throw new FileRefusedError(file, FileRefusal.DialectUnknown, DIALECT_UNKNOWN);
    const format: FileFormat = sniffed.format;
    account.describe({ format });

    const maxRowChars = options.maxRowChars ?? 64 * 1024;
    const delimiter = DELIMITER_CHARACTERS[format.dialect.delimiter];
    const quote = QUOTE_CHARACTERS[format.dialect.quote];
    // Lines the guard refused, in order; each reaches the parser as one REFUSED_LINE_MARK record.
    const refusedLines: RejectReasonCode[] = [];
    const guard = guardRecords({ maxRecordBytes: maxRowChars, delimiter, quote, onRefused: (reason) => refusedLines.push(reason) });
    const parser = parse({
      delimiter,
      quote,
      escape: quote,
      // The text has LF endings only (see line-endings.ts): never let csv-parse guess.
      record_delimiter: '\n',
      relax_column_count: true,
      trim: true,
      info: true,
      skip_records_with_error: true,
      // A backstop only: the guard passes no record longer than this.
      max_record_size: maxRowChars,
    });
    let lastSkippedLine = -1;
    parser.on('skip', (error: { lines?: number; code?: string }) => {
      // csv-parse reports some faults once per offending character: count the record once.
      if (error.lines === lastSkippedLine) return;
      lastSkippedLine = error.lines ?? 0;
      const reason = error.code === 'CSV_MAX_RECORD_SIZE' ? RejectReason.FieldTooLong : RejectReason.RowMalformed;
      account.refusedLine(lastSkippedLine, reason);
      out.push(rowRejected(file, lastSkippedLine, reason, null, clock().toISOString()));
    });

    const feeding = pipeline(normalisedText(text, normaliser, sample), guard, parser);
    feeding.catch(() => undefined);
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const breaks = lineBreaksWithin(record);
      // csv-parse counts to a record's last line; people look for where it starts.
      const line = info.lines - breaks;
      let full: boolean;
      if (record.length === 1 && record[0] === REFUSED_LINE_MARK) {
        const reason = refusedLines.shift() ?? RejectReason.RowMalformed;
        account.refusedLine(line, reason);
        full = out.push(rowRejected(file, line, reason, null, clock().toISOString()));
      } else {
        const outcome = classifyRecord(record, format, { afterRows: account.afterRows });
        account.add(outcome, line, breaks + 1);
        if (outcome.kind === 'sale') full = await sale(line, outcome);
        else full = outcome.kind === 'rejected' && out.push(rowRejected(file, line, outcome.reason, outcome.field, clock().toISOString()));
      }
      if (full) {
        await out.flush();
        options.onProgress?.(account.progress);
      }
    }
    await feeding;
    await decoding;
    account.describe({ encoding: decoded.encoding, lineEndings: normaliser.found() });
  } catch (error) {
    account.describe({ encoding: decoded.encoding, lineEndings: normaliser.found() });
    if (error instanceof FileRefusedError) return refuse(error);
    // The parser's own messages quote the text around the fault: report its code only.
    return refuse(new FileRefusedError(file, FileRefusal.Unreadable, `read failed (${(error as { code?: string }).code ?? 'error'})`, { cause: error }));
  }
  options.onProgress?.(account.progress);
  const totals = account.totals();
  // Nothing to load is a failed export far more often than a day without sales: say so.
  if (totals.rowsRead === 0) return refuse(new FileRefusedError(file, FileRefusal.Empty, emptyDetail(totals)));
  return finish('loaded', null);
}
