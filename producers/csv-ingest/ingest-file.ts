import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import {
  FileLayout,
  FileRefusal,
  RawSaleSchema,
  RejectReason,
  SCHEMA_VERSION,
  rejectReasonOf,
  type FileIngested,
  type FileLayout as FileLayoutName,
  type ParsedSale,
  type RejectReasonCode,
  type SalesStreamEvent,
} from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';
import { fileEventId, rejectionEventId, saleContentKey, saleEventId } from '../shared/event-id.js';
import { mergeReceipts, type EventWriter, type LiveSaleClaims, type ObjectReader, type WriteReceipt } from '../shared/ports.js';
import { decodeUpload } from './decode-upload.js';
import { guardRecords, REFUSED_LINE_MARK } from './guard-records.js';
import { detectLayout, mapRow, type DataLayout } from './map-row.js';
import { OccurrenceCounter } from './occurrence-counter.js';

/** A rejected row as the summary shows it: where and why, never what it said. */
export interface RowRejection {
  readonly line: number;
  readonly reason: RejectReasonCode;
  readonly field: string | null;
}

export interface IngestSummary {
  readonly file: string;
  readonly layout: FileLayoutName;
  readonly branch: string | null;
  readonly businessDate: string | null;
  readonly rowsRead: number;
  readonly eventsPublished: number;
  readonly rowsRejected: number;
  readonly linesSkipped: number;
  /** Rows not published because a live till sale already counts them. */
  readonly rowsMatchedLive: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  /** The first rejections, for people to read; the quarantine table has them all. */
  readonly rejections: readonly RowRejection[];
  readonly status: 'loaded' | 'refused';
  readonly refusal: string | null;
  readonly receipt: WriteReceipt;
}

export interface IngestFileOptions {
  /** The object key (S3) or path (local) of the upload; recorded as the events' source. */
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
  /** A rule of the deployment for each valid sale (AWS: the upload's branch folder); a reason refuses the row at `branch`. */
  readonly checkSale?: (sale: ParsedSale) => RejectReasonCode | null;
}

const KEPT_REJECTIONS = 50;

/** Line breaks inside a record's quoted fields: how many lines before its last one it started. */
function lineBreaksWithin(record: readonly string[]): number {
  let breaks = 0;
  for (const field of record) if (field.includes('\n') || field.includes('\r')) breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  return breaks;
}

/**
 * Streams one uploaded file into events: decode, frame records (so a broken line
 * costs one row, never the rest of the file), parse with csv-parse, recognise
 * the layout, map and validate each row against the contract, and publish one
 * TransactionRecorded per sale or one RowRejected per bad row, then a
 * FileIngested with the file's account. Memory stays flat: rows go out in
 * batches and parsing waits for each write.
 */
export async function ingestFile(options: IngestFileOptions): Promise<IngestSummary> {
  const { file, reader, writer, pepper } = options;
  const clock = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? 500;
  const startedAt = clock().toISOString();
  const receipt: WriteReceipt = new Map();
  const occurrences = new OccurrenceCounter();
  const rejectsByReason: Record<string, number> = {};
  const rejections: RowRejection[] = [];
  const branches = new Map<string, number>();
  let businessDate: string | null = null;
  let layout: DataLayout | undefined;
  let hadHeader = false;
  let rowsRead = 0;
  let eventsPublished = 0;
  let rowsRejected = 0;
  let rowsMatchedLive = 0;
  let linesSkipped = 0;
  let buffer: SalesStreamEvent[] = [];

  const flush = async () => {
    if (buffer.length === 0) return;
    const events = buffer;
    buffer = [];
    mergeReceipts(receipt, await writer.write(events));
  };

  const reject = (line: number, reason: RejectReasonCode, field: string | null) => {
    rowsRejected++;
    rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + 1;
    if (rejections.length < KEPT_REJECTIONS) rejections.push({ line, reason, field });
    buffer.push({
      type: 'RowRejected',
      schemaVersion: SCHEMA_VERSION,
      eventId: rejectionEventId(file, line, reason),
      recordedAt: clock().toISOString(),
      source: { kind: 'file', file, line },
      data: { reason, field },
    });
  };

  const accept = async (line: number, record: string[]): Promise<void> => {
    if (layout === undefined) return;
    const mapped = mapRow(record, layout);
    if (!mapped.ok) return reject(line, mapped.reason, mapped.field);
    const parsed = RawSaleSchema.safeParse(mapped.sale);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reject(line, rejectReasonOf(issue, RejectReason.RowMalformed), issue?.path.join('.') || null);
    }
    const sale = parsed.data;
    const refused = options.checkSale?.(sale);
    if (refused) return reject(line, refused, 'branch');
    branches.set(sale.branch, (branches.get(sale.branch) ?? 0) + 1);
    businessDate ??= sale.businessDate;
    const contentKey = saleContentKey(pepper, sale);
    // The occurrence advances even for a row a live sale already counts, so the
    // file's other rows keep the ids they would have without tills.
    const eventId = saleEventId(pepper, contentKey, occurrences.next(contentKey));
    if (options.liveSales && (await options.liveSales.claim(sale, `${file}:${line}`)) !== undefined) {
      rowsMatchedLive++;
      return;
    }
    eventsPublished++;
    buffer.push({
      type: 'TransactionRecorded',
      schemaVersion: SCHEMA_VERSION,
      eventId,
      recordedAt: clock().toISOString(),
      occurredAt: sale.occurredAt.toISOString(),
      source: { kind: 'file', file, line },
      data: mapped.sale,
    });
  };

  /** Publishes the refused file's account, then throws carrying what was written (rows before the fault, the account). */
  const refuse = async (error: FileRefusedError): Promise<never> => {
    error.receipt = (await finish('refused', error.refusal)).receipt;
    throw error;
  };

  const finish = async (status: 'loaded' | 'refused', refusal: string | null): Promise<IngestSummary> => {
    const finishedAt = clock().toISOString();
    const branch = [...branches.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    const fileLayout: FileLayoutName = layout === undefined ? FileLayout.Unknown : hadHeader && layout === FileLayout.Standard ? FileLayout.Header : layout;
    const account: FileIngested = {
      type: 'FileIngested',
      schemaVersion: SCHEMA_VERSION,
      eventId: fileEventId(file, startedAt),
      recordedAt: finishedAt,
      data: {
        file,
        branch,
        businessDate,
        layout: fileLayout,
        rowsRead,
        eventsPublished,
        rowsRejected,
        linesSkipped,
        startedAt,
        finishedAt,
        status,
        refusal: refusal as FileIngested['data']['refusal'],
      },
    };
    buffer.push(account);
    await flush();
    return { file, layout: fileLayout, branch, businessDate, rowsRead, eventsPublished, rowsRejected, linesSkipped, rowsMatchedLive, rejectsByReason, rejections, status, refusal, receipt };
  };

  const maxRowChars = options.maxRowChars ?? 64 * 1024;
  // Lines the guard refused, in order; each reaches the parser as one REFUSED_LINE_MARK record.
  const refusedLines: RejectReasonCode[] = [];
  const guard = guardRecords({ maxRecordBytes: maxRowChars, onRefused: (reason) => refusedLines.push(reason) });
  const parser = parse({
    relax_column_count: true,
    trim: true,
    bom: true,
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
    rowsRead++;
    reject(error.lines ?? 0, error.code === 'CSV_MAX_RECORD_SIZE' ? RejectReason.FieldTooLong : RejectReason.RowMalformed, null);
  });

  let source;
  try {
    source = await reader.open(file);
  } catch (error) {
    return refuse(new FileRefusedError(file, FileRefusal.Unreadable, error instanceof Error ? error.message : 'cannot be read', { cause: error }));
  }

  const decoded = decodeUpload(file);
  const feeding = pipeline(source, decoded, guard, parser);
  // A stage can fail (an invalid byte in a later chunk) while the loop below awaits a
  // write. The loop sees the failure through the parser; handle the promise now, or
  // Node reports an unhandled rejection, which ends a Lambda invocation or the CLI.
  feeding.catch(() => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // csv-parse counts to a record's last line; people look for where it starts.
      const line = info.lines - lineBreaksWithin(record);
      if (record.length === 1 && record[0] === REFUSED_LINE_MARK) {
        rowsRead++;
        reject(line, refusedLines.shift() ?? RejectReason.RowMalformed, null);
        continue;
      }
      if (record.length === 1 && record[0] === '') {
        linesSkipped++;
        continue;
      }
      if (layout === undefined) {
        const detected = detectLayout(record);
        if (detected.header) {
          hadHeader = true;
          linesSkipped++;
          continue;
        }
        layout = detected.layout;
      }
      rowsRead++;
      await accept(line, record);
      if (buffer.length >= batchSize) {
        await flush();
        options.onProgress?.({ rowsRead, rowsRejected });
      }
    }
    await feeding;
  } catch (error) {
    if (error instanceof FileRefusedError) return refuse(error);
    // The parser's own messages quote the text around the fault: report its code only.
    return refuse(new FileRefusedError(file, FileRefusal.Unreadable, `read failed (${(error as { code?: string }).code ?? 'error'})`, { cause: error }));
  }
  options.onProgress?.({ rowsRead, rowsRejected });
  if (rowsRead === 0) {
    // Nothing to load is a failed export far more often than a day without sales: say so.
    return refuse(new FileRefusedError(file, FileRefusal.Empty, 'no sales rows (the file is empty, blank or a header alone)'));
  }
  return finish('loaded', null);
}
