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
    const files: string[] = [];
    for await (const batch of readArchive(dir, 100, (where) => damaged.push(where))) files.push(...batch.files.map((file) => file.file));

    // Assess
    expect(files).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(damaged).toEqual(['2026-11-25.ndjson:2']);
    expect((await readFile(join(dir, '2026-11-25.ndjson'), 'utf8')).split('\n')).toHaveLength(5);
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
