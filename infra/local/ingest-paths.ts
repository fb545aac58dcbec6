import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { MetricName } from '../../contracts/index.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile, type IngestSummary } from '../../producers/csv-ingest/ingest-file.js';
import { FileRefusedError } from '../../producers/shared/errors.js';
import { mergeReceipts, type WriteReceipt } from '../../producers/shared/ports.js';
import { createLiveSaleMatcher, createPostgresSaleSource } from '../../producers/till-api/live-sales.js';
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

/** Publishes every file through the stack's producer; a refused file is reported and the rest go on. */
export async function ingestPaths(
  stack: LocalStack,
  paths: readonly string[],
  onProgress?: (info: { file: string; filesDone: number; files: number; rowsRead: number }) => void,
): Promise<IngestRun> {
  const files = await expandPaths(paths);
  const reader = createFileObjectReader('/');
  const receipt: WriteReceipt = new Map();
  const summaries: IngestSummary[] = [];
  const failures: { file: string; message: string }[] = [];
  let rowsBefore = 0;
  for (const [index, path] of files.entries()) {
    const file = fileKey(path);
    try {
      const summary = await ingestFile({
        file,
        reader: { open: () => reader.open(resolve(path)) },
        writer: stack.writer,
        pepper: stack.pepper,
        // One matcher per file: each live till sale is claimed by at most one row.
        liveSales: createLiveSaleMatcher(createPostgresSaleSource(stack.warehouse.pool)),
        onProgress: ({ rowsRead }) => onProgress?.({ file, filesDone: index, files: files.length, rowsRead: rowsBefore + rowsRead }),
      });
      rowsBefore += summary.rowsRead;
      summaries.push(summary);
      mergeReceipts(receipt, summary.receipt);
      stack.metrics.record(MetricName.RowsRead, summary.rowsRead);
      stack.metrics.record(MetricName.EventsPublished, summary.eventsPublished);
      stack.metrics.record(MetricName.RowsRejected, summary.rowsRejected);
      stack.metrics.record(MetricName.FilesIngested, 1);
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      mergeReceipts(receipt, error.receipt);
      stack.metrics.record(MetricName.FilesRefused, 1);
      failures.push({ file, message: error.message });
    }
    onProgress?.({ file, filesDone: index + 1, files: files.length, rowsRead: rowsBefore });
  }
  return { summaries, failures, receipt };
}
