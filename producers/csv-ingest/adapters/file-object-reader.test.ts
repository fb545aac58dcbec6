import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileObjectReader } from './file-object-reader.js';

describe('Function: createFileObjectReader', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'file-object-reader-'));
    await writeFile(join(root, 'leeds.csv'), 'a,b\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('opens a key as a path under its root, read in 256 KiB chunks', async () => {
    // Act
    const stream = await createFileObjectReader(root).open('leeds.csv');
    // Assess: large chunks, so a multi-megabyte export is a few dozen reads.
    expect(stream.readableHighWaterMark).toBe(256 * 1024);
    expect(await text(stream)).toBe('a,b\n');
  });

  it('reads keys relative to the working directory by default', async () => {
    const stream = await createFileObjectReader().open(relative(process.cwd(), join(root, 'leeds.csv')));
    expect(await text(stream)).toBe('a,b\n');
  });

  it('fails to open a file that is not there, before any stream is made', async () => {
    await expect(createFileObjectReader(root).open('missing.csv')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
