import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliContext } from '../context.js';
import { CliError } from '../exit-status.js';
import { erase, erasureRequestOf } from './erase.js';

describe('CLI: supercafe erase', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-erase-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads the customer from an identity file, keeping them out of the shell history', async () => {
    // Prepare
    const file = join(root, 'who.json');
    await writeFile(file, JSON.stringify({ name: 'Ada Example', cards: ['4000 0566 5566 5556'], includeCash: true }));
    // Act / Assess
    expect(await erasureRequestOf({ identityFile: file })).toEqual({ name: 'Ada Example', cards: ['4000 0566 5566 5556'], includeCash: true });
    expect(await erasureRequestOf({ name: 'Ada Example', card: ['4000056655665556'] })).toEqual({ name: 'Ada Example', cards: ['4000056655665556'], includeCash: undefined });
  });

  it.each([
    ['no customer', {}, /whose data\? give --identity-file/],
    ['both ways at once', { identityFile: 'x.json', name: 'Ada Example' }, /either in --identity-file or with --name\/--card/],
  ])('refuses %s', async (_, options, message) => {
    await expect(erasureRequestOf(options)).rejects.toThrow(message);
  });

  it('refuses an identity file of another shape without repeating it', async () => {
    // Prepare
    const file = join(root, 'who.json');
    await writeFile(file, JSON.stringify({ customer: 'Ada Example' }));
    // Act
    const outcome = erasureRequestOf({ identityFile: file });
    // Assess
    await expect(outcome).rejects.toBeInstanceOf(CliError);
    await expect(outcome).rejects.not.toThrow(/Ada/);
  });

  it('refuses locally while the stream still holds raw events not yet loaded', async () => {
    // Prepare
    const context = cliContext({ dataDir: join(root, 'state') });
    await mkdir(context.dir.stream, { recursive: true });
    // Act / Assess
    await expect(erase(context, { name: 'Ada Example', card: ['4000056655665556'] })).rejects.toThrow(/still holds raw events not yet loaded/);
  });
});
