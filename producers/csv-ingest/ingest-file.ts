import type { Readable } from 'node:stream';
import { FileRefusal, type FileRefusalCode, type ParsedSale, type RejectReasonCode, type SalesStreamEvent } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { saleContentKey, saleEventId } from '../shared/event-id.js';
import { mergeReceipts, type EventWriter, type ObjectReader, type WriteReceipt } from '../shared/ports.js';
import { classifyRecord, type RecordOutcome } from './classify-record.js';
import { FileAccount, type FileTotals, type RowRejection } from './file-account.js';
import { fileVersionIngested, rowRejected, saleRecorded } from './file-events.js';
import { OccurrenceCounter } from './occurrence-counter.js';
import { readFileLines } from './read-file-lines.js';
import type { FileFormat } from './sniff-format.js';

export type { RowRejection };

/** What became of a file: its account, plus what the run wrote. */
export interface IngestSummary extends FileTotals {
  readonly file: string;
  readonly version: string;
  readonly status: 'loaded' | 'refused';
  readonly refusal: string | null;
  readonly receipt: WriteReceipt;
}

export interface IngestFileOptions {
  /** The object key (S3) or path (local) of the upload: the file's identity, recorded as the events' source. */
  readonly file: string;
  /**
   * This upload's version of the file: ordered text, later versions greater
   * (docs/corrections.md). AWS passes the S3 event's sequencer; by default, the
   * run's start instant (ISO 8601, UTC).
   */
  readonly version?: string;
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
  /** A rule of the deployment for each valid sale (AWS: the upload's branch folder); a reason refuses the row at `branch`. */
  readonly checkSale?: (sale: ParsedSale) => RejectReasonCode | null;
}

/** Why a file with no sale rows has none, in the branch's terms. */
function emptyDetail(totals: FileTotals): string {
  // A file without rows has no footnotes: a line is one only after a row.
  const { blank, header, preamble } = totals.skipped;
  const seen = [blank && `${blank} blank`, header && `${header} header`, preamble && `${preamble} other (titles, notes)`].filter(Boolean);
  return `no sale rows (${totals.lines === 0 ? 'the file is empty' : `${totals.lines} line(s): ${seen.join(', ')}`}): export the day's sales again and upload that file`;
}

/**
 * A write the stream did not take, as the read loop sees it: not the file's fault,
 * so never a refusal. The run fails with the writer's own error and is retried
 * (Lambda's retries, or the person running `ingest`); event ids and the version are
 * the same on the retry, so what did reach the stream is kept once.
 */
class WriteFailed {
  constructor(readonly error: unknown) {}
}

const unwrapWriteFailure = (error: unknown): never => {
  throw error instanceof WriteFailed ? error.error : error;
};

/**
 * Events out in batches, one write in flight: the parser fills the next batch
 * while the last is written, and waits for that write before starting another, so
 * writes stay in order and memory stays flat (two batches at most).
 */
function createBatcher(writer: EventWriter, batchSize: number) {
  const receipt: WriteReceipt = new Map();
  let buffer: SalesStreamEvent[] = [];
  let inFlight: Promise<void> | undefined;
  const send = async (events: SalesStreamEvent[]): Promise<void> => {
    let written: WriteReceipt;
    try {
      written = await writer.write(events);
    } catch (error) {
      throw new WriteFailed(error);
    }
    mergeReceipts(receipt, written);
  };
  /** Waits for the write in flight: after it, every event pushed is written (or its error thrown). */
  const settle = async (): Promise<void> => {
    const pending = inFlight;
    inFlight = undefined;
    await pending;
  };
  return {
    receipt,
    settle,
    push(event: SalesStreamEvent): boolean {
      buffer.push(event);
      return buffer.length >= batchSize;
    },
    /** Starts writing the buffered events once the write before has finished (whose error it throws). */
    async flush(): Promise<void> {
      // Called only once an event was pushed (a batch is full, or the account): never empty.
      const events = buffer;
      buffer = [];
      await settle();
      const writing = send(events);
      // Awaited by the next flush or by `settle`; until then its failure is not unhandled.
      writing.catch(() => undefined);
      inFlight = writing;
    },
  };
}

/**
 * Streams one uploaded file into events. `readFileLines` reads it as CSV records
 * (encoding from the byte-order mark, else UTF-8, else Windows-1252; line endings
 * made LF; dialect and layout sniffed from the first lines; records framed so a
 * broken line costs one row, never the rest of the file); each record is classified (`classifyRecord`: a sale, a row rejected with its reason,
 * or a line skipped with its reason) and counted in the file's account
 * (`FileAccount`). Each sale becomes one TransactionRecorded, each rejected row
 * one RowRejected, and the account one FileIngested, last (identities in
 * `file-events.ts`). Memory stays flat: text is decoded chunk by chunk, rows go
 * out in batches, and parsing fills the next batch while one is written, never more.
 *
 * A file that cannot be read as a branch file is refused with a FileRefusedError
 * naming it and saying what to do; its account is still published, with what was
 * written before the refusal in the error's receipt. A write the stream does not
 * take (after the writer's own retries) is not a refusal: it is thrown as the
 * writer threw it and no account is published, so the run is retried whole.
 */
export async function ingestFile(options: IngestFileOptions): Promise<IngestSummary> {
  const { file, reader, writer, pepper } = options;
  const clock = options.clock ?? (() => new Date());
  const startedAt = clock().toISOString();
  const version = options.version ?? startedAt;
  const out = createBatcher(writer, options.batchSize ?? 500);
  const account = new FileAccount();
  const occurrences = new OccurrenceCounter();

  const finish = async (status: 'loaded' | 'refused', refusal: FileRefusalCode | null): Promise<IngestSummary> => {
    const totals = account.totals();
    out.push(fileVersionIngested(file, version, totals, { startedAt, finishedAt: clock().toISOString(), status, refusal }));
    await out.flush().then(out.settle).catch(unwrapWriteFailure);
    return { ...totals, file, version, status, refusal, receipt: out.receipt };
  };

  /** Publishes the refused file's account, then throws carrying what was written (rows before the fault, the account). */
  const refuse = async (error: FileRefusedError): Promise<never> => {
    error.receipt = (await finish('refused', error.refusal as FileRefusalCode)).receipt;
    throw error;
  };

  /** One sale row, published (true when a batch is due). */
  const sale = (line: number, outcome: Extract<RecordOutcome, { kind: 'sale' }>, eventId: string): boolean => {
    account.published();
    return out.push(saleRecorded(file, version, line, eventId, outcome.raw, outcome.sale.occurredAt, clock().toISOString()));
  };

  /** A sale the deployment's own rule refuses becomes a rejected row. */
  const refusedByDeployment = (outcome: RecordOutcome): RecordOutcome => {
    const reason = outcome.kind === 'sale' ? options.checkSale?.(outcome.sale) : null;
    return reason ? { kind: 'rejected', reason, field: 'branch' } : outcome;
  };

  let source: Readable;
  try {
    source = await reader.open(file);
  } catch (error) {
    return refuse(new FileRefusedError(file, FileRefusal.Unreadable, error instanceof Error ? error.message : 'cannot be read', { cause: error }));
  }

  try {
    const lines = readFileLines(file, source, { maxRowChars: options.maxRowChars ?? 64 * 1024, found: (found) => account.describe(found) });
    for await (const batch of lines) {
      for (const item of batch) {
        let full: boolean;
        if (item.kind === 'refused') {
          account.refusedLine(item.line, item.reason);
          full = out.push(rowRejected(file, version, item.line, item.reason, null, clock().toISOString()));
        } else {
          // Records come only once the format is found (`readFileLines` tells it first).
          const outcome = refusedByDeployment(classifyRecord(item.fields, account.format as FileFormat, { afterRows: account.afterRows }));
          account.add(outcome, item.line, item.span);
          if (outcome.kind === 'sale') {
            const contentKey = saleContentKey(pepper, outcome.sale);
            full = sale(item.line, outcome, saleEventId(pepper, contentKey, occurrences.next(contentKey)));
          } else full = outcome.kind === 'rejected' && out.push(rowRejected(file, version, item.line, outcome.reason, outcome.field, clock().toISOString()));
        }
        if (full) {
          await out.flush();
          options.onProgress?.(account.progress);
        }
      }
    }
  } catch (error) {
    if (error instanceof WriteFailed) throw error.error;
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
