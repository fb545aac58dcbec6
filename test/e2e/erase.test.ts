import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasureKeys } from '../../consumers/erasure/erasure-keys.js';
import { replayArchive } from '../../infra/local/consumer/replay.js';
import { eraseLocally, erasuresPath, readSuppressionList } from '../../infra/local/erasure/local-erasure.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';

/**
 * `supercafe erase` on a real local stack, end to end: one customer's sales are
 * untied from them in the warehouse and the archive of clean records, the
 * erasure is recorded, and a replay (even after an old file brought the customer
 * back) honours it. Names and cards are invented.
 */
const PEPPER = 'test-pepper-not-secret';
const ADA = { name: 'Ada Example', cards: ['4000 0566 5566 5556'] };
const ADA_CARD = '4000056655665556';
const BOB_CARD = '5105105105105100';
const line = (time: string, name: string, total: string, card: string) => `${time},Testville,${name},"Regular Latte - 2.15, Large Flat white - ${(Number(total) - 2.15).toFixed(2)}",${total},CARD,${card}`;
const FIRST = [line('25/08/2021 09:00', 'Ada Example', '4.60', ADA_CARD), line('25/08/2021 09:05', 'Bob Sample', '4.70', BOB_CARD), line('25/08/2021 10:00', 'Ada Example', '5.00', ADA_CARD)].join('\n');
const LATER_FILE = line('26/08/2021 09:00', 'Ada Example', '4.80', ADA_CARD);

describe('Erase: one customer, locally, end to end', () => {
  let test: TestStack;
  let adaKey: string;
  let revenue: number;
  const countWithKey = async (key: string) => Number((await test.stack.warehouse.pool.query<{ n: string }>('SELECT count(*) AS n FROM sales WHERE customer_key = $1', [key])).rows[0]?.n);
  const totalPence = async () => Number((await test.stack.warehouse.pool.query<{ p: string }>('SELECT sum(total_pence) AS p FROM sales')).rows[0]?.p);
  const archiveText = async () => (await Promise.all((await readdir(test.stack.dataDir.archive)).map((name) => readFile(join(test.stack.dataDir.archive, name), 'utf8')))).join('');

  beforeAll(async () => {
    process.env.SUPERCAFE_PEPPER = PEPPER;
    test = await startTestStack();
    const file = join(test.root, 'testville_2021-08-25.csv');
    await writeFile(file, `${FIRST}\n`);
    await test.ingest([file]);
    [adaKey] = erasureKeys(PEPPER, ADA) as [string];
    revenue = await totalPence();
  }, 120_000);
  afterAll(() => test?.stop());

  it('finds the customer’s sales by the key the consumer gave them', async () => {
    expect(await countWithKey(adaKey)).toBe(2);
  });

  it('unties them in the warehouse and the archive, keeps every figure, and records the erasure without a name or card', async () => {
    // Act
    const report = await eraseLocally({ pool: test.stack.warehouse.pool, dir: test.stack.dataDir, keys: [adaKey], erasedAt: new Date() });

    // Assess
    expect(report).toEqual({ keys: 1, warehouseSales: 2, archiveRecords: 2, archiveFiles: 1 });
    expect(await countWithKey(adaKey)).toBe(0);
    expect(await totalPence()).toBe(revenue);
    expect(await archiveText()).not.toContain(adaKey);
    const recorded = await readFile(erasuresPath(test.stack.dataDir), 'utf8');
    expect(recorded).toContain(adaKey);
    expect(recorded).not.toMatch(/Ada|Example|4000/);
    // Others keep theirs.
    expect(Number((await test.stack.warehouse.pool.query<{ n: string }>('SELECT count(*) AS n FROM sales WHERE customer_key IS NOT NULL')).rows[0]?.n)).toBe(1);
  });

  it('keeps the customer erased when an old file brings them back: the consumer unties the sale before the archive and the warehouse, and a replay keeps it so', async () => {
    // Prepare: a file of an earlier day, re-driven after the erasure, carries the customer again.
    const later = join(test.root, 'testville_2021-08-26.csv');
    await writeFile(later, `${LATER_FILE}\n`);
    // Act
    await test.ingest([later]);
    // Assess: the sale counts, untied
    expect(await countWithKey(adaKey)).toBe(0);
    expect(await totalPence()).toBe(revenue + 480);
    expect(await archiveText()).not.toContain(adaKey);
    // and a replay (as `supercafe replay` runs it) rebuilds the same
    await replayArchive(test.stack.warehouse.pool, test.stack.dataDir.archive, undefined, await readSuppressionList(test.stack.dataDir));
    expect(await countWithKey(adaKey)).toBe(0);
    expect(await totalPence()).toBe(revenue + 480);
  });

  it('changes nothing more when run again', async () => {
    // Act
    const again = await eraseLocally({ pool: test.stack.warehouse.pool, dir: test.stack.dataDir, keys: [adaKey], erasedAt: new Date(), dryRun: true });
    // Assess
    expect(again).toEqual({ keys: 1, warehouseSales: 0, archiveRecords: 0, archiveFiles: 0 });
  });
});
