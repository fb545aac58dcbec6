import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { IngestFileSchema, LEGACY_FILE_VERSION, QuarantineEntrySchema, SaleKind, SaleRecordSchema, SaleVoidSchema } from '../../../contracts/index.js';
import { matchKey } from '../../../consumers/sales-transform/match-key.js';
import { emptyBatch, type ProjectionBatch, type SaleSink } from '../../../consumers/sales-transform/ports.js';

/**
 * The local archive of clean records: every batch the consumer loads is appended as
 * JSON lines to `<archive>/<YYYY-MM-DD>.ndjson` — the local counterpart of the
 * Firehose S3 backup in AWS. Redacted records only, so it is safe to keep; the
 * warehouse can be rebuilt from it (`supercafe replay`).
 */
type ArchiveLine =
  | { kind: 'sale'; record: ProjectionBatch['sales'][number] }
  | { kind: 'quarantine'; entry: ProjectionBatch['quarantine'][number] }
  | { kind: 'file'; file: ProjectionBatch['files'][number] }
  | { kind: 'void'; void: ProjectionBatch['voids'][number] }
  /** Closes the lines of one loaded batch: replay loads the same batches, so the fold sees what the consumer saw. */
  | { kind: 'end' };

/** True unless the file exists and its last byte is not a line break (a writer killed mid-line). */
async function endsWithLineBreak(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return true;
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Loads into `inner`, then appends the batch to the archive (a retry may append
 * twice: replay is idempotent). A consumer killed mid-append leaves a cut line; the
 * next process starts on a fresh line, and replay skips the fragment, whose batch
 * was never checkpointed and so was loaded and archived again.
 */
export function createArchivingSink(inner: SaleSink, archiveDir: string, clock: () => Date = () => new Date()): SaleSink {
  let ready: Promise<unknown> | undefined;
  const checked = new Set<string>();
  // Shards load concurrently; appends are queued so lines never interleave.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async load(batch) {
      // The lines are written out while the warehouse loads: that CPU then overlaps its wait.
      const loading = inner.load(batch);
      const lines: ArchiveLine[] = [
        ...batch.sales.map((record) => ({ kind: 'sale' as const, record })),
        ...batch.quarantine.map((entry) => ({ kind: 'quarantine' as const, entry })),
        ...batch.files.map((file) => ({ kind: 'file' as const, file })),
        ...batch.voids.map((entry) => ({ kind: 'void' as const, void: entry })),
      ];
      const text = lines.length === 0 ? '' : `${[...lines, { kind: 'end' }].map((line) => JSON.stringify(line)).join('\n')}\n`;
      // Only a loaded batch is archived; a failed load rejects here, before anything is appended.
      await loading;
      if (text === '') return;
      ready ??= mkdir(archiveDir, { recursive: true });
      await ready;
      const path = join(archiveDir, `${clock().toISOString().slice(0, 10)}.ndjson`);
      const append = queue.then(async () => {
        if (!checked.has(path)) {
          if (!(await endsWithLineBreak(path))) await appendFile(path, '\n');
          checked.add(path);
        }
        await appendFile(path, text);
      });
      queue = append.catch(() => undefined);
      await append;
    },
  };
}

/**
 * A sale archived before files were versioned (docs/corrections.md) has no kind and
 * no origin: it was a sale, from the legacy version of its file or from a till, and
 * its match key follows from what it holds.
 */
function upcastArchivedSale(record: unknown): unknown {
  const candidate = record as { sale?: Record<string, unknown>; items?: { size: string | null; product: string; flavour: string | null; pricePence: number }[]; origin?: unknown };
  if (!candidate?.sale || candidate.origin !== undefined) return record;
  const sale = candidate.sale as { branch: string; soldAt: string; paymentMethod: string; totalPence: number; source: string; sourceRef: string };
  const key = matchKey({ branch: sale.branch, soldAt: new Date(sale.soldAt), paymentMethod: sale.paymentMethod, totalPence: sale.totalPence, items: candidate.items ?? [] });
  return {
    ...candidate,
    sale: { kind: SaleKind.Sale, refundOf: null, ...candidate.sale },
    origin: sale.source === 'file' ? { kind: 'file', file: sale.sourceRef, version: LEGACY_FILE_VERSION, line: null, matchKey: key } : { kind: 'till', matchKey: key },
  };
}

/**
 * Reads the archive in order as the batches the consumer loaded (each closed by an
 * `end` line; an archive written before those has its batches cut at `batchSize`
 * records), each line validated: the fold then sees what the consumer saw, and
 * rebuilds the same tables. A line that is not JSON at all is a fragment cut by a killed
 * writer: it is skipped and reported; anything else malformed stops the read.
 */
export async function* readArchive(archiveDir: string, batchSize = 2_000, onDamagedLine?: (where: string) => void): AsyncGenerator<ProjectionBatch> {
  const files = (await readdir(archiveDir).catch(() => [] as string[])).filter((name) => name.endsWith('.ndjson')).sort();
  let batch = emptyBatch();
  let size = 0;
  let sawEnd = false;
  for (const file of files) {
    let lineNo = 0;
    for await (const text of createInterface({ input: createReadStream(join(archiveDir, file)), crlfDelay: Infinity })) {
      lineNo++;
      if (text.trim() === '') continue;
      let line: { kind?: string; record?: unknown; entry?: unknown; file?: unknown; void?: unknown };
      try {
        line = JSON.parse(text) as typeof line;
      } catch {
        onDamagedLine?.(`${file}:${lineNo}`);
        continue;
      }
      if (line.kind === 'sale') batch.sales.push(SaleRecordSchema.parse(upcastArchivedSale(line.record)));
      else if (line.kind === 'quarantine') batch.quarantine.push(QuarantineEntrySchema.parse(line.entry));
      else if (line.kind === 'file') batch.files.push(IngestFileSchema.parse(line.file));
      else if (line.kind === 'void') batch.voids.push(SaleVoidSchema.parse(line.void));
      else if (line.kind !== 'end') throw new Error(`${file}:${lineNo}: not an archive record`);
      // A batch ends where the consumer's did; archives written before batch ends are split by size.
      if (line.kind === 'end') sawEnd = true;
      else size++;
      if (line.kind === 'end' ? size > 0 : !sawEnd && size >= batchSize) {
        yield batch;
        batch = emptyBatch();
        size = 0;
      }
    }
  }
  if (size > 0) yield batch;
}
