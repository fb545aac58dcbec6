import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirAt } from '../../infra/local/stack/data-dir.js';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'supercafe.js');
const exists = (path: string) => access(path).then(() => true, () => false);

/** True while any process of the group is alive (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('`supercafe start` stopped with Ctrl-C', () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('stops every process in order and leaves no stack file and no raw stream behind', async () => {
    // Prepare: the stack in its own process group, as a terminal runs it
    const root = await mkdtemp(join(tmpdir(), 'supercafe-ctrl-c-'));
    roots.push(root);
    const dir = dataDirAt(join(root, 'state'));
    const child = spawn(process.execPath, [CLI, '--data-dir', dir.root, 'start', '--no-sample', '--port', '0'], {
      detached: true,
      env: { ...process.env, SUPERCAFE_PEPPER: 'test-pepper-not-secret', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await expect.poll(() => stdout.includes('watching'), { timeout: 60_000, interval: 100 }).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // Act: Ctrl-C reaches the whole group (the stack, its consumer, kinesalite, PostgreSQL)
    process.kill(-(child.pid as number), 'SIGINT');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect(await exists(dir.stackFile)).toBe(false);
    expect(await exists(dir.stream)).toBe(false);
    await expect.poll(() => groupAlive(child.pid as number), { timeout: 10_000 }).toBe(false);
  }, 120_000);
});
