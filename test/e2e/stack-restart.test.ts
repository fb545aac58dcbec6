import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirAt, type DataDir } from '../../infra/local/data-dir.js';
import { startLocalStack, type LocalStack } from '../../infra/local/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../../infra/local/ingest-paths.js';
import { computeStats, standardFiles } from '../helpers/independent-stats.js';
import { SAMPLE_REAL } from '../helpers/local-stack.js';

const expected = computeStats(standardFiles(SAMPLE_REAL));

async function figures(stack: LocalStack) {
  const { rows } = await stack.warehouse.pool.query<{ sales: number; revenue: number; items: number }>(
    'SELECT count(*)::int AS sales, coalesce(sum(total_pence), 0)::int AS revenue, (SELECT count(*)::int FROM sale_items) AS items FROM sales',
  );
  return rows[0];
}

/** Lines the consumer has archived: one per record loaded, so a re-read shows here. */
async function archivedLines(dir: DataDir): Promise<number> {
  let lines = 0;
  for (const name of await readdir(dir.archive).catch(() => [] as string[])) lines += (await readFile(join(dir.archive, name), 'utf8')).split('\n').filter(Boolean).length;
  return lines;
}

describe('The local stack restarted: the stream and the consumer carry on where they stopped', () => {
  let root: string;
  let dir: DataDir;
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-restart-'));
    dir = dataDirAt(join(root, 'state'));
    process.env.SUPERCAFE_PEPPER ??= 'test-pepper-not-secret';
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(root, { recursive: true, force: true });
  });

  let run: IngestRun;
  it('keeps published events on disk through a restart, and the next consumer loads them', async () => {
    // Prepare: events published, then the whole stack stopped before any consumer ran
    stack = await startLocalStack({ dataDir: dir, consumer: false });
    run = await ingestPaths(stack, [SAMPLE_REAL]);
    await stack.stop();

    // Act
    stack = await startLocalStack({ dataDir: dir });
    await stack.waitFor(run.receipt);

    // Assess
    expect(await figures(stack)).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);

  it('resumes from the saved checkpoints instead of reading the stream again', async () => {
    // Prepare
    await stack?.stop();
    const archived = await archivedLines(dir);

    // Act: a new stack on the same folder, given time to poll
    stack = await startLocalStack({ dataDir: dir });
    await stack.waitFor(run.receipt);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    // Assess: nothing loaded again, the figures unchanged
    expect(await archivedLines(dir)).toBe(archived);
    const { rows } = await stack.warehouse.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM stream_checkpoints');
    expect(rows[0]?.n).toBeGreaterThan(0);
    expect(await figures(stack)).toEqual({ sales: expected.rows, revenue: expected.revenuePence, items: expected.items });
  }, 120_000);
});
