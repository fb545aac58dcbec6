import { SCHEMA_VERSION, type FileVersionIngested, type FileRefusalCode, type RawSale, type RejectReasonCode, type SalesStreamEvent } from '../../contracts/index.js';
import { fileEventId, rejectionEventId } from '../shared/event-id.js';
import type { FileTotals } from './file-account.js';

/**
 * The events a file becomes, and their identities. A file is identified by its
 * key (`file`: the S3 object key, or the local path), a run of the ingest by the
 * file's version (`version`: ordered text, docs/corrections.md): every event names
 * both, in `source` or `data`.
 *
 * - A sale: `TransactionRecorded`, id from its content and its occurrence among
 *   identical rows of the file (`saleEventId`), not from the file or the line, so
 *   a re-exported or re-sent copy of the file yields the same ids and loads nothing
 *   twice; `source.line` is where the row starts.
 * - A rejected row: `RowRejected`, id from file, line and reason (`rejectionEventId`).
 * - The version's account: `FileVersionIngested`, id from file and version
 *   (`fileEventId`), published last: the warehouse makes the version current when
 *   it projects it, retracting what the file no longer holds.
 */

type FileSaleEvent = Extract<SalesStreamEvent, { type: 'TransactionRecorded' }>;
type RowRejectedEvent = Extract<SalesStreamEvent, { type: 'RowRejected' }>;

/** One sale of a file, as the raw stream carries it (personal data included). */
export function saleRecorded(file: string, version: string, line: number, eventId: string, raw: RawSale, occurredAt: Date, recordedAt: string): FileSaleEvent {
  return {
    type: 'TransactionRecorded',
    schemaVersion: SCHEMA_VERSION,
    eventId,
    recordedAt,
    occurredAt: occurredAt.toISOString(),
    source: { kind: 'file', file, version, line },
    data: raw,
  };
}

/** One rejected row: where and why, never what it said. */
export function rowRejected(file: string, version: string, line: number, reason: RejectReasonCode, field: string | null, recordedAt: string): RowRejectedEvent {
  return {
    type: 'RowRejected',
    schemaVersion: SCHEMA_VERSION,
    eventId: rejectionEventId(file, line, reason),
    recordedAt,
    source: { kind: 'file', file, version, line },
    data: { reason, field },
  };
}

/** A version's account after its run (`startedAt` … `finishedAt`), loaded or refused. */
export function fileVersionIngested(
  file: string,
  version: string,
  totals: FileTotals,
  run: { readonly startedAt: string; readonly finishedAt: string; readonly status: 'loaded' | 'refused'; readonly refusal: FileRefusalCode | null },
): FileVersionIngested {
  return {
    type: 'FileVersionIngested',
    schemaVersion: SCHEMA_VERSION,
    eventId: fileEventId(file, version),
    recordedAt: run.finishedAt,
    data: {
      file,
      version,
      branch: totals.branch,
      businessDate: totals.businessDate,
      layout: totals.layout,
      rowsRead: totals.rowsRead,
      eventsPublished: totals.eventsPublished,
      rowsRejected: totals.rowsRejected,
      linesSkipped: totals.linesSkipped,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      status: run.status,
      refusal: run.refusal,
      encoding: totals.encoding,
      dialect: totals.dialect,
      lineEndings: totals.lineEndings,
      lines: totals.lines,
      skipped: totals.skipped,
      linesContinued: totals.linesContinued,
    },
  };
}
