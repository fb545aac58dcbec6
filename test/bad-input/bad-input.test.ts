import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseTables, type SalesStreamEvent } from '../../contracts/index.js';
import { generateLargeFile } from '../../tools/generator/generate-sales.js';
import { fileKey, type IngestRun } from '../../infra/local/stack/ingest-paths.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import type { EventWriter } from '../../producers/shared/ports.js';
import { SAMPLE_REAL, startTestStack, type TestStack } from '../helpers/local-stack.js';
import { CASES, CORPUS_DIR, KEPT_AS_TEXT, goodRow, type BadInputCase } from './cases.js';

/** Polls `check` until it returns a value other than undefined; refused files are not in a run's receipt. */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * An in-memory writer that counts instead of keeping: two million events would
 * not fit in memory, and the large-file case only needs counts and ids.
 */
function countingWriter(): EventWriter & { readonly counts: Map<string, number>; readonly saleIds: Set<string>; largestBatch: number } {
  const counts = new Map<string, number>();
  const saleIds = new Set<string>();
  const writer = {
    counts,
    saleIds,
    largestBatch: 0,
    async write(batch: readonly SalesStreamEvent[]) {
      writer.largestBatch = Math.max(writer.largestBatch, batch.length);
      for (const event of batch) {
        counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
        if (event.type === 'TransactionRecorded') saleIds.add(event.eventId);
      }
      return new Map([['shard-0', 1n]]);
    },
  };
  return writer;
}

describe('Bad input: each case has a specific outcome, and the good rows around bad ones load', () => {
  let test: TestStack;
  let dir: string;
  let run: IngestRun;
  const pathOf = (entry: BadInputCase) => (entry.write ? join(dir, entry.file) : join(CORPUS_DIR, entry.file));
  const keyOf = (entry: BadInputCase) => fileKey(pathOf(entry));
  const query = async <T extends object>(sql: string, values: unknown[] = []) => (await test.stack.warehouse.pool.query<T>(sql, values)).rows;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supercafe-bad-input-'));
    for (const entry of CASES) await entry.write?.(pathOf(entry));
    test = await startTestStack();
    // Act (for every case below): one ingest of the whole corpus, as `supercafe ingest` would.
    run = await test.ingest(CASES.map(pathOf));
    // A refused file's account is published but not in the run's receipt: wait for it too.
    const keys = CASES.map(keyOf);
    await eventually(async () => {
      const [row] = await query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_files WHERE file = ANY($1)', [keys]);
      return row?.n === keys.length ? true : undefined;
    });
  }, 180_000);

  afterAll(async () => {
    await test?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('Rows rejected with reasons and lines', () => {
    const loaded = CASES.filter((entry) => entry.outcome.kind === 'loaded');

    it.each(loaded.map((entry) => [`${entry.file}: ${entry.about}`, entry] as const))('%s', async (_title, entry) => {
      if (entry.outcome.kind !== 'loaded') throw new Error('unreachable');
      const { sales, rejected, linesSkipped = 0, layout, skipped, encoding, dialect, lineEndings } = entry.outcome;
      const key = keyOf(entry);

      // Assess: the quarantine has each bad row, with its line and reason, and nothing else.
      expect(await query('SELECT line, reason, field FROM quarantine WHERE source_ref = $1 ORDER BY line', [key])).toEqual(rejected);
      // The good rows around them are in the warehouse.
      expect(await query('SELECT count(*)::int AS n FROM sales WHERE source_ref = $1', [key])).toEqual([{ n: sales }]);
      // And the file's account adds up.
      const [account] = await query<Record<string, unknown>>('SELECT * FROM ingest_files WHERE file = $1', [key]);
      expect(account).toMatchObject({
        status: 'loaded',
        refusal: null,
        rows_read: sales + rejected.length,
        events_published: sales,
        rows_rejected: rejected.length,
        lines_skipped: linesSkipped,
        ...(layout ? { layout } : {}),
        ...(encoding ? { encoding } : {}),
        ...(dialect ? { dialect } : {}),
        ...(lineEndings ? { line_endings: lineEndings } : {}),
        ...(skipped ? Object.fromEntries(Object.entries(skipped).map(([reason, count]) => [`lines_${reason}`, count])) : {}),
      });
      // Every line is accounted for: a row read, a line skipped with its reason, or a continuation of a row.
      const { lines, rows_read, lines_skipped, lines_continued, lines_blank, lines_header, lines_preamble, lines_footnote } = account as Record<
        'lines' | 'rows_read' | 'lines_skipped' | 'lines_continued' | 'lines_blank' | 'lines_header' | 'lines_preamble' | 'lines_footnote',
        number
      >;
      expect(lines).toBe(rows_read + lines_skipped + lines_continued);
      expect(lines_skipped).toBe(lines_blank + lines_header + lines_preamble + lines_footnote);
    });
  });

  describe('Files refused with an error naming them', () => {
    const refused = CASES.filter((entry) => entry.outcome.kind === 'refused');

    it.each(refused.map((entry) => [`${entry.file}: ${entry.about}`, entry] as const))('%s', async (_title, entry) => {
      if (entry.outcome.kind !== 'refused') throw new Error('unreachable');
      const key = keyOf(entry);

      // Assess: the error names the file and the refusal, as the CLI prints it.
      expect(run.failures.filter((failure) => failure.file === key)).toEqual([
        { file: key, message: expect.stringContaining(`${key}: refused (${entry.outcome.refusal})`) },
      ]);
      // The refusal is on record, and nothing from the file was loaded or quarantined.
      expect(await query('SELECT status, refusal, rows_read, events_published, lines_skipped FROM ingest_files WHERE file = $1', [key])).toEqual([
        { status: 'refused', refusal: entry.outcome.refusal, rows_read: 0, events_published: 0, lines_skipped: entry.outcome.linesSkipped ?? 0 },
      ]);
      expect(await query('SELECT (SELECT count(*)::int FROM sales WHERE source_ref = $1) AS sales, (SELECT count(*)::int FROM quarantine WHERE source_ref = $1) AS rejected', [key])).toEqual([
        { sales: 0, rejected: 0 },
      ]);
    });

    it('refuses exactly the files expected, and no other', () => {
      expect(run.failures.map((failure) => failure.file).sort()).toEqual(refused.map(keyOf).sort());
    });
  });

  describe('Text that looks like code is stored as text, never run', () => {
    it('keeps every warehouse table, with exactly the rows the corpus should give', async () => {
      // Assess: `DROP TABLE`, `DELETE FROM` and `TRUNCATE` in the input ran nowhere.
      for (const table of Object.values(WarehouseTables)) {
        expect(await query('SELECT to_regclass($1) IS NOT NULL AS present', [table.name])).toEqual([{ present: true }]);
      }
      const expectedSales = CASES.reduce((sum, entry) => sum + (entry.outcome.kind === 'loaded' ? entry.outcome.sales : 0), 0);
      const expectedRejected = CASES.reduce((sum, entry) => sum + (entry.outcome.kind === 'loaded' ? entry.outcome.rejected.length : 0), 0);
      expect(await query('SELECT (SELECT count(*)::int FROM sales) AS sales, (SELECT count(*)::int FROM quarantine) AS rejected, (SELECT count(*)::int FROM ingest_files) AS files')).toEqual([
        { sales: expectedSales, rejected: expectedRejected, files: CASES.length },
      ]);
    });

    it('stores formulas and SQL in products, flavours and branches verbatim', async () => {
      const products = (await query<{ product: string }>('SELECT DISTINCT product FROM sale_items')).map((row) => row.product);
      const flavours = (await query<{ flavour: string }>('SELECT DISTINCT flavour FROM sale_items WHERE flavour IS NOT NULL')).map((row) => row.flavour);
      const branches = (await query<{ branch: string }>('SELECT DISTINCT branch FROM sales')).map((row) => row.branch);
      expect(products).toEqual(expect.arrayContaining([...KEPT_AS_TEXT.products]));
      expect(flavours).toEqual(expect.arrayContaining([...KEPT_AS_TEXT.flavours]));
      expect(branches).toEqual(expect.arrayContaining([...KEPT_AS_TEXT.branches]));
    });

    it('stores a file name holding SQL as the file name', async () => {
      const entry = CASES.find((candidate) => candidate.file.includes('DROP TABLE'));
      expect(entry).toBeDefined();
      expect(await query('SELECT file FROM ingest_files WHERE file = $1', [keyOf(entry as BadInputCase)])).toHaveLength(1);
    });
  });

  describe('A Windows-1252 byte deep in a file', () => {
    it('reads the whole file as Windows-1252 when everything before the byte was ASCII, and a re-upload as UTF-8 loads nothing twice', async () => {
      // Prepare: 4,000 rows (~350 KB: more than one 256 KiB read) with a Windows-1252 name near the end.
      const path = join(dir, 'windows-1252-late.csv');
      const rows = Array.from({ length: 4000 }, (_, index) => goodRow('Bad Input Late Latin-1', index));
      rows[3990] = goodRow('Bad Input Late Latin-1', 3990, 'Zoë Corpus');
      await writeFile(path, Buffer.from(`${rows.join('\n')}\n`, 'latin1'));
      const key = fileKey(path);
      const salesOf = async () => (await query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE source_ref = $1', [key]))[0]?.n;

      // Act
      const first = await test.ingest([path]);

      // Assess: every row loaded, the encoding on record.
      expect(first.failures).toEqual([]);
      expect(await salesOf()).toBe(4000);
      expect(await query('SELECT status, encoding, events_published FROM ingest_files WHERE file = $1', [key])).toEqual([{ status: 'loaded', encoding: 'windows-1252', events_published: 4000 }]);

      // Act: the branch re-exports the file as UTF-8 and uploads it again.
      await writeFile(path, `${rows.join('\n')}\n`, 'utf8');
      const second = await test.ingest([path]);

      // Assess: the same sales (the name reads the same in both), none twice.
      expect(second.failures).toEqual([]);
      expect(await salesOf()).toBe(4000);
      expect(await query('SELECT status, encoding, events_published FROM ingest_files WHERE file = $1', [key])).toEqual([{ status: 'loaded', encoding: 'utf-8', events_published: 4000 }]);
    }, 60_000);
  });

  it('documents every corpus file and every case in README.md', () => {
    const readme = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    const committed = readdirSync(CORPUS_DIR);
    // Every committed file has an expected outcome, and every case a line in the README table.
    expect(committed.filter((file) => !CASES.some((entry) => !entry.write && entry.file === file))).toEqual([]);
    expect(CASES.filter((entry) => !readme.includes(`\`${entry.file}\``)).map((entry) => entry.file)).toEqual([]);
  });
});

describe('Bad input: a large file', () => {
  // The figure is 2 million rows; ingest alone runs at ~10k rows/s on this
  // machine, so the suite reads 200k rows here and `npm run bench` measures 2M.
  const ROWS = 200_000;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'supercafe-large-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it(`streams ${ROWS.toLocaleString('en-GB')} rows into one event each, in bounded batches, with unique ids`, async () => {
    // Prepare
    const path = join(dir, 'large.csv');
    await generateLargeFile({ catalogue: loadCatalogue([SAMPLE_REAL]), rows: ROWS, path });
    const writer = countingWriter();

    // Act
    const summary = await ingestFile({ file: 'large.csv', reader: createFileObjectReader(dir), writer, pepper: 'test-pepper' });

    // Assess
    expect(summary).toMatchObject({ status: 'loaded', rowsRead: ROWS, eventsPublished: ROWS, rowsRejected: 0 });
    expect(Object.fromEntries(writer.counts)).toEqual({ TransactionRecorded: ROWS, FileVersionIngested: 1 });
    expect(writer.saleIds.size).toBe(ROWS);
    // Parsing waits for each write, so no more than a batch of events is ever held.
    expect(writer.largestBatch).toBeLessThanOrEqual(501);
  }, 120_000);
});
