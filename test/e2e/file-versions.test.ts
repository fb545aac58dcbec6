import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, WarehouseTables, type SalesStreamEvent } from '../../contracts/index.js';
import { replayArchive } from '../../infra/local/consumer/replay.js';
import { fileKey } from '../../infra/local/stack/ingest-paths.js';
import { tillSaleEventId } from '../../producers/shared/event-id.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';

// Names are invented for the test.
const V1 = [
  '05/03/2024 09:00,Versionbury,Ann Example,Large Latte - 2.45,2.45,CASH,',
  '05/03/2024 09:05,Versionbury,Bob Example,Regular Mocha - 2.30,2.30,CASH,',
  '05/03/2024 09:10,Versionbury,Cat Example,"Regular Latte - 2.15, Large Latte - 2.45",4.60,CASH,',
  '05/03/2024 09:15,Versionbury,Dan Example,Regular Latte - 2.15,2.15,CASH,',
];
// v2: the branch voided Bob's sale (removed), corrected Cat's basket (changed), found one it missed (added).
const V2 = [V1[0], '05/03/2024 09:10,Versionbury,Cat Example,Regular Latte - 2.15,2.15,CASH,', V1[3], '05/03/2024 09:20,Versionbury,Eve Example,Large Mocha - 2.60,2.60,CASH,'];

interface Figures {
  readonly sales: number;
  readonly pence: number;
  readonly items: number;
}

describe('File versions: a re-sent file supersedes the one before, in every figure', () => {
  let test: TestStack;
  let dir: string;
  let path: string;

  const write = async (rows: readonly (string | undefined)[]) => writeFile(path, `${rows.join('\n')}\n`);
  const figures = async (): Promise<Figures> =>
    (
      await test.stack.warehouse.pool.query<Figures>(
        `SELECT count(*)::int AS sales, coalesce(sum(total_pence), 0)::int AS pence,
                (SELECT count(*)::int FROM sale_items i JOIN sales s USING (event_id) WHERE s.branch = 'Versionbury') AS items
         FROM sales WHERE branch = 'Versionbury'`,
      )
    ).rows[0] as Figures;
  const ids = async () => (await test.stack.warehouse.pool.query<{ event_id: string }>("SELECT event_id FROM sales WHERE branch = 'Versionbury' ORDER BY sold_at")).rows.map((row) => row.event_id);
  const accounts = async () =>
    (
      await test.stack.warehouse.pool.query<{ version: string; is_current: number; events_published: number; status: string }>(
        'SELECT version, is_current, events_published, status FROM file_versions WHERE file = $1 ORDER BY version',
        [fileKey(path)],
      )
    ).rows;
  const current = async () => (await test.stack.warehouse.pool.query<{ events_published: number; version: string }>('SELECT events_published, version FROM ingest_files WHERE file = $1', [fileKey(path)])).rows;

  beforeAll(async () => {
    test = await startTestStack();
    dir = await mkdtemp(join(tmpdir(), 'supercafe-versions-'));
    path = join(dir, 'versionbury_2024-03-05.csv');
  }, 120_000);
  afterAll(() => test?.stop());

  let v1Ids: string[] = [];

  it('loads the first version of a file', async () => {
    // Act
    await write(V1);
    await test.ingest([path]);
    // Assess
    v1Ids = await ids();
    expect(await figures()).toEqual({ sales: 4, pence: 245 + 230 + 460 + 215, items: 5 });
    expect(await accounts()).toEqual([expect.objectContaining({ is_current: 1, events_published: 4, status: 'loaded' })]);
  });

  it('makes the re-sent version the truth: the removed sale retracted, the changed one replaced, the new one added, the unchanged ones untouched', async () => {
    // Act
    await write(V2);
    await test.ingest([path]);
    // Assess
    const v2Ids = await ids();
    expect(await figures()).toEqual({ sales: 4, pence: 245 + 215 + 215 + 260, items: 4 });
    expect(v2Ids).toEqual([v1Ids[0], expect.any(String), v1Ids[3], expect.any(String)]);
    expect(v2Ids).not.toContain(v1Ids[1]);
    expect(v2Ids).not.toContain(v1Ids[2]);
    const versions = await accounts();
    expect(versions.map((version) => version.is_current)).toEqual([0, 1]);
    expect(await current()).toEqual([{ events_published: 4, version: versions[1]?.version }]);
  });

  it('agrees with its account: the file says 4 sales, the warehouse holds 4 from it', async () => {
    const { rows } = await test.stack.warehouse.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE source_ref = $1', [fileKey(path)]);
    expect(rows[0]?.n).toBe((await current())[0]?.events_published);
  });

  it('goes back to the first version when the branch sends it again, with its event ids', async () => {
    // Act
    await write(V1);
    await test.ingest([path]);
    // Assess
    expect(await ids()).toEqual(v1Ids);
    expect(await figures()).toEqual({ sales: 4, pence: 245 + 230 + 460 + 215, items: 5 });
    expect((await accounts()).map((version) => version.is_current)).toEqual([0, 0, 1]);
  });

  it('keeps the day when a re-upload is refused, recording the refused version beside it', async () => {
    // Prepare: the same file name, but gzipped
    const before = await figures();
    await writeFile(path, gzipSync(`${V2.join('\n')}\n`));
    // Act
    await test.ingest([path]);
    // Assess
    expect(await figures()).toEqual(before);
    const versions = await accounts();
    expect(versions.at(-1)).toMatchObject({ status: 'refused', is_current: 0 });
    expect(versions.filter((version) => version.is_current === 1)).toHaveLength(1);
  });

  it('ignores a late redelivery of an older version', async () => {
    // Prepare: v2's row for the corrected basket, delivered again after v1 came back
    const before = await figures();
    const stale: SalesStreamEvent = {
      type: 'TransactionRecorded',
      schemaVersion: SCHEMA_VERSION,
      eventId: 'e'.repeat(32),
      recordedAt: '2024-03-05T21:00:00.000Z',
      occurredAt: '2024-03-05T09:20:00.000Z',
      source: { kind: 'file', file: fileKey(path), version: '2000-01-01T00:00:00.000Z', line: 4 },
      data: { timestamp: '05/03/2024 09:20', branch: 'Versionbury', customerName: 'Eve Example', items: [{ size: 'Large', name: 'Mocha', price: '2.60' }], total: '2.60', paymentMethod: 'CASH', cardNumber: null, cardBrand: null },
    };
    // Act
    await test.stack.waitFor(await test.stack.writer.write([stale]));
    // Assess
    expect(await figures()).toEqual(before);
  });

  it('counts a till sale and its row in the current version once, and neither once the till voids it', async () => {
    // Prepare: Dan's 09:15 sale was also posted live, seconds into its minute
    const till: SalesStreamEvent = {
      type: 'TransactionRecorded',
      schemaVersion: SCHEMA_VERSION,
      eventId: tillSaleEventId('till_versions_test', 'D-1'),
      recordedAt: '2024-03-05T09:15:30.000Z',
      occurredAt: '2024-03-05T09:15:30.000Z',
      source: { kind: 'till', tillId: 'till_versions_test', saleId: 'D-1' },
      data: { timestamp: '2024-03-05T09:15:30Z', branch: 'Versionbury', customerName: null, items: [{ size: 'Regular', name: 'Latte', price: '2.15' }], total: '2.15', paymentMethod: 'CASH', cardNumber: null, cardBrand: null },
    };
    const before = await figures();
    // Act
    await test.stack.waitFor(await test.stack.writer.write([till]));
    const withTill = await figures();
    const voided: SalesStreamEvent = {
      type: 'SaleVoided',
      schemaVersion: SCHEMA_VERSION,
      eventId: 'f'.repeat(32),
      recordedAt: '2024-03-05T09:30:00.000Z',
      occurredAt: '2024-03-05T09:30:00.000Z',
      source: { kind: 'till', tillId: 'till_versions_test', saleId: 'D-1' },
      data: { saleEventId: till.eventId, branch: 'Versionbury' },
    };
    await test.stack.waitFor(await test.stack.writer.write([voided]));
    // Assess: once with the till sale; a void at the till takes the sale out (the till is the branch's authority)
    expect(withTill).toEqual(before);
    expect(await figures()).toEqual({ sales: before.sales - 1, pence: before.pence - 215, items: before.items - 1 });
  });

  it('rebuilds the same tables from the archive', async () => {
    // Prepare
    const snapshot = async () => {
      const result: Record<string, unknown[]> = {};
      for (const table of Object.values(WarehouseTables)) {
        const { rows } = await test.stack.warehouse.pool.query(`SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(', ')}`);
        result[table.name] = rows;
      }
      return result;
    };
    const before = await snapshot();
    // Act
    await replayArchive(test.stack.warehouse.pool, test.stack.dataDir.archive);
    // Assess
    expect(await snapshot()).toEqual(before);
  });
});
