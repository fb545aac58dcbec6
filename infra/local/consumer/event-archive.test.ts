import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectionBatch } from '../../../consumers/sales-transform/ports.js';
import { createArchivingSink, readArchive } from './event-archive.js';

const day = new Date('2026-11-25T12:00:00Z');
const fileRecord = (file: string): ProjectionBatch['files'][number] => ({
  file,
  branch: 'Chesterfield',
  businessDate: '2021-08-26',
  layout: 'standard',
  rowsRead: 1,
  eventsPublished: 1,
  rowsRejected: 0,
  linesSkipped: 0,
  startedAt: '2026-11-25T12:00:00.000Z',
  finishedAt: '2026-11-25T12:00:01.000Z',
  status: 'loaded',
  refusal: null,
});
const batchOf = (file: string): ProjectionBatch => ({ sales: [], quarantine: [], files: [fileRecord(file)], voids: [] });

describe('Event archive', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('starts on a fresh line after a writer killed mid-line, and replay skips the fragment', async () => {
    // Prepare: one whole batch, then half a line, as a SIGKILLed consumer leaves it
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-archive-'));
    dirs.push(dir);
    await createArchivingSink({ load: async () => undefined }, dir, () => day).load(batchOf('a.csv'));
    await appendFile(join(dir, '2026-11-25.ndjson'), '{"kind":"file","file":{"file":"b.cs');

    // Act: the next consumer process archives the redone batch and another
    const next = createArchivingSink({ load: async () => undefined }, dir, () => day);
    await next.load(batchOf('b.csv'));
    await next.load(batchOf('c.csv'));
    const damaged: string[] = [];
    const batches: string[][] = [];
    for await (const batch of readArchive(dir, 100, (where) => damaged.push(where))) batches.push(batch.files.map((file) => file.file));

    // Assess: the batches as they were loaded, each closed by its end line
    expect(batches).toEqual([['a.csv'], ['b.csv'], ['c.csv']]);
    expect(damaged).toEqual(['2026-11-25.ndjson:3']);
    expect((await readFile(join(dir, '2026-11-25.ndjson'), 'utf8')).split('\n')).toHaveLength(8);
  });

  it('archives a batch only once the warehouse has loaded it: a failed load leaves nothing to replay', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-archive-'));
    dirs.push(dir);
    const failing = createArchivingSink({ load: async () => Promise.reject(new Error('connection terminated')) }, dir, () => day);

    // Act
    await expect(failing.load(batchOf('a.csv'))).rejects.toThrow('connection terminated');
    await createArchivingSink({ load: async () => undefined }, dir, () => day).load(batchOf('b.csv'));

    // Assess
    const batches: string[][] = [];
    for await (const batch of readArchive(dir)) batches.push(batch.files.map((file) => file.file));
    expect(batches).toEqual([['b.csv']]);
  });

  it('reads a sale archived before file versions as a sale of its file\'s legacy version, with its match key', async () => {
    // Prepare: a line as the consumer wrote it before schema 3 (no kind, no origin)
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-archive-'));
    dirs.push(dir);
    const sale = { eventId: 'a'.repeat(32), branch: 'Leeds', soldAt: '2021-08-27T08:03:00.000Z', businessDate: '2021-08-27', totalPence: 230, paymentMethod: 'CASH', cardBrand: null, customerKey: null, itemCount: 1, source: 'file', sourceRef: 'leeds.csv', recordedAt: '2021-08-27T21:00:00.000Z', loadedAt: '2021-08-27T21:00:01.000Z' };
    const items = [{ eventId: 'a'.repeat(32), lineNo: 1, size: 'Regular', product: 'Chai latte', flavour: null, pricePence: 230 }];
    await appendFile(join(dir, '2026-11-25.ndjson'), `${JSON.stringify({ kind: 'sale', record: { sale, items } })}\n`);
    // Act
    const batches: ProjectionBatch[] = [];
    for await (const batch of readArchive(dir)) batches.push(batch);
    // Assess
    expect(batches[0]?.sales[0]).toMatchObject({
      sale: { kind: 'sale', refundOf: null, eventId: 'a'.repeat(32) },
      origin: { kind: 'file', file: 'leeds.csv', version: '0', line: null, matchKey: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
  });

  it('stops at a line that is JSON but not an archive record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'supercafe-archive-'));
    dirs.push(dir);
    await appendFile(join(dir, '2026-11-25.ndjson'), '{"kind":"sale","record":{"nope":true}}\n');
    await expect(async () => {
      for await (const _batch of readArchive(dir)) {
        // reading is enough
      }
    }).rejects.toThrow();
  });
});
