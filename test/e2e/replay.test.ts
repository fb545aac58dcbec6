import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseTables } from '../../contracts/index.js';
import { replayArchive } from '../../infra/local/consumer/replay.js';
import { SAMPLE_REAL, SAMPLE_VARIANTS, startTestStack, type TestStack } from '../helpers/local-stack.js';

/** Every row of every warehouse table, in a stable order. */
async function snapshot(test: TestStack): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of Object.values(WarehouseTables)) {
    const { rows } = await test.stack.warehouse.pool.query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
    result[table.name] = rows;
  }
  return result;
}

describe('Replay: the warehouse rebuilt from the archive of clean records', () => {
  let test: TestStack;
  beforeAll(async () => {
    test = await startTestStack();
    await test.ingest([SAMPLE_REAL, SAMPLE_VARIANTS]);
  }, 120_000);
  afterAll(() => test?.stop());

  it('yields identical tables, row for row', async () => {
    // Prepare
    const before = await snapshot(test);

    // Act
    const { records } = await replayArchive(test.stack.warehouse.pool, test.stack.dataDir.archive);

    // Assess
    expect(records).toBeGreaterThanOrEqual(before.sales?.length ?? 0);
    expect(await snapshot(test)).toEqual(before);
  });
});
