import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { MetricName } from '../../../contracts/index.js';
import { createFileObjectReader } from '../../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile, type IngestSummary } from '../../../producers/csv-ingest/ingest-file.js';
import { FileRefusedError } from '../../../producers/shared/errors.js';
import { mergeReceipts, type WriteReceipt } from '../../../producers/shared/ports.js';
import type { LocalStack } from './embedded-stack.js';

/** Files named on the command line are taken as they are; folders give their `*.csv` files, recursively. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string, named: boolean): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      if (named) files.push(path); // reported as unreadable by the ingest
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      for (const entry of entries) await walk(join(path, entry), false);
    } else if (named || /\.csv$/i.test(path)) {
      files.push(path);
    }
  };
  for (const path of paths) await walk(path, true);
  return files;
}

/** How a local file is named in events and tables: relative to the working folder when inside it. */
export function fileKey(path: string): string {
  const absolute = resolve(path);
  const inside = relative(process.cwd(), absolute);
  return inside.startsWith('..') || inside === '' ? absolute : inside.split(sep).join('/');
}

export interface IngestRun {
  readonly summaries: IngestSummary[];
  readonly failures: { file: string; message: string }[];
  readonly receipt: WriteReceipt;
}

/**
 * Files published at once. A file's writes wait for Kinesis; with a few files in
 * flight the parser of one runs while another's batch is on the wire. Each file
 * keeps its own order, so its account (FileIngested) still follows its rows.
 */
export const DEFAULT_FILES_IN_FLIGHT = 4;

export interface IngestPathsOptions {
  /** Called as rows are read and as each file finishes. */
  readonly onProgress?: (info: { file: string; filesDone: number; files: number; rowsRead: number }) => void;
  /** Files published at once (default {@link DEFAULT_FILES_IN_FLIGHT}). */
  readonly filesInFlight?: number;
  /** Once aborted, no further file is started (Ctrl-C); the run reports what was done. */
  readonly signal?: AbortSignal;
}

/** Publishes every file through the stack's producer; a refused file is reported and the rest go on. */
export async function ingestPaths(stack: LocalStack, paths: readonly string[], options: IngestPathsOptions = {}): Promise<IngestRun> {
  const { onProgress, filesInFlight = DEFAULT_FILES_IN_FLIGHT, signal } = options;
  const files = await expandPaths(paths);
  const reader = createFileObjectReader('/');
  const receipt: WriteReceipt = new Map();
  const outcomes: ({ summary: IngestSummary } | { failure: { file: string; message: string } })[] = [];
  const rowsInProgress = new Map<number, number>();
  let rowsDone = 0;
  let filesDone = 0;
  const rowsRead = () => rowsDone + [...rowsInProgress.values()].reduce((sum, rows) => sum + rows, 0);

  const ingestOne = async (index: number, path: string) => {
    const file = fileKey(path);
    try {
      const summary = await ingestFile({
        file,
        reader: { open: () => reader.open(resolve(path)) },
        writer: stack.writer,
        pepper: stack.pepper,
        onProgress: (progress) => {
          rowsInProgress.set(index, progress.rowsRead);
          onProgress?.({ file, filesDone, files: files.length, rowsRead: rowsRead() });
        },
      });
      rowsDone += summary.rowsRead;
      outcomes[index] = { summary };
      mergeReceipts(receipt, summary.receipt);
      stack.metrics.record(MetricName.RowsRead, summary.rowsRead);
      stack.metrics.record(MetricName.EventsPublished, summary.eventsPublished);
      stack.metrics.record(MetricName.RowsRejected, summary.rowsRejected);
      stack.metrics.record(MetricName.FilesIngested, 1);
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      mergeReceipts(receipt, error.receipt);
      stack.metrics.record(MetricName.FilesRefused, 1);
      outcomes[index] = { failure: { file, message: error.message } };
    } finally {
      rowsInProgress.delete(index);
    }
    filesDone++;
    onProgress?.({ file, filesDone, files: files.length, rowsRead: rowsRead() });
  };

  let next = 0;
  let failed = false;
  const lane = async () => {
    // After a fatal error (not a refused file) no lane starts another file.
    while (!failed && !signal?.aborted && next < files.length) {
      const index = next++;
      await ingestOne(index, files[index] as string).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(filesInFlight, files.length)) }, lane));
  return {
    summaries: outcomes.flatMap((outcome) => ('summary' in outcome ? [outcome.summary] : [])),
    failures: outcomes.flatMap((outcome) => ('failure' in outcome ? [outcome.failure] : [])),
    receipt,
  };
}
