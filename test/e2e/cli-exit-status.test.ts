import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitStatus } from '../../infra/local/cli/exit-status.js';
import { dataDirAt } from '../../infra/local/stack/data-dir.js';
import { generateBranchDays } from '../../tools/generator/generate-sales.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { SAMPLE_REAL } from '../helpers/local-stack.js';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'supercafe.js');
const FIELD = join(import.meta.dirname, '..', 'field', '14-cli-exit-code');
const exists = (path: string) => access(path).then(() => true, () => false);

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI in its own process group, as a terminal or cron runs it.
 * `interruptWhen` sends Ctrl-C (SIGINT to the whole group) once it returns true.
 */
function supercafe(args: readonly string[], options: { dataDir?: string; interruptWhen?: () => Promise<boolean> } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...(options.dataDir ? ['--data-dir', options.dataDir] : []), ...args], {
      detached: true,
      env: { ...process.env, SUPERCAFE_PEPPER: 'test-pepper-not-secret', DATABASE_URL: '', KINESIS_ENDPOINT: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
    const watch = options.interruptWhen;
    if (watch) {
      const timer = setInterval(() => {
        void watch().then((now) => {
          if (!now) return;
          clearInterval(timer);
          process.kill(-(child.pid as number), 'SIGINT');
        });
      }, 100);
      child.once('exit', () => clearInterval(timer));
    }
  });
}

describe('CLI: exit statuses (README "The CLI")', () => {
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supercafe-exit-'));
    dataDir = join(root, 'state');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('exits 0 when every file loads, reporting its sales', async () => {
    // Act
    const outcome = await supercafe(['ingest', join(FIELD, 'leeds_2024-03-06.csv')], { dataDir });
    // Assess
    expect(outcome.status).toBe(ExitStatus.Ok);
    expect(outcome.stdout).toMatch(/sales loaded: +2 new/);
  }, 60_000);

  it('exits 2 when a file is refused, naming it, while the other files load (field case 14)', async () => {
    // Act
    const outcome = await supercafe(['ingest', join(FIELD, 'leeds_2024-03-06.csv'), join(FIELD, 'york_2024-03-06.csv.gz')], { dataDir });
    // Assess
    expect(outcome.status).toBe(ExitStatus.FileRefused);
    expect(outcome.stdout).toMatch(/refused: .*york_2024-03-06\.csv\.gz.*file_compressed/);
    expect(outcome.stdout).toMatch(/files: +2 \(1 refused\)/);
  }, 60_000);

  it('exits 0 when rows were rejected but no file was refused', async () => {
    // Act
    const outcome = await supercafe(['ingest', join(import.meta.dirname, '..', 'bad-input', 'corpus', 'totals-invalid.csv')], { dataDir });
    // Assess
    expect(outcome.status).toBe(ExitStatus.Ok);
    expect(outcome.stdout).toMatch(/rows rejected: +[1-9]/);
  }, 60_000);

  it.each([
    ['an unknown command, suggesting the right one', ['ingets', 'x'], /unknown command 'ingets'[\s\S]*Did you mean ingest\?/],
    ['an unknown tills command', ['tills', 'isue'], /Did you mean issue\?/],
    ['a missing argument', ['ingest'], /missing required argument 'paths'/],
    ['a bad option value', ['generate', '--days', 'seven'], /--days must be a whole number/],
    ['an SQL error', ['sql', 'select * from no_such_table'], /SQL error: relation "no_such_table" does not exist/],
    ['an unreachable warehouse', ['--database-url', 'postgres://nobody@127.0.0.1:9/none', 'sql', 'select 1'], /cannot reach the warehouse/],
  ])('exits 1 on %s', async (_, args, message) => {
    // Act
    const outcome = await supercafe(args, { dataDir });
    // Assess
    expect(outcome.status).toBe(ExitStatus.Failed);
    expect(outcome.stderr).toMatch(message);
  }, 60_000);

  it('answers --version and --help with 0', async () => {
    // Act
    const version = await supercafe(['--version']);
    const help = await supercafe(['--help']);
    // Assess
    const { version: expected } = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatchObject({ status: ExitStatus.Ok, stdout: `${expected}\n` });
    expect(help.status).toBe(ExitStatus.Ok);
    expect(help.stdout).toMatch(/Exit status: 0 done/);
  });

  it('exits 1 with one line naming --port when the port is in use', async () => {
    // Prepare: something already listening, as Grafana on 3000 would be
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      // Act
      const outcome = await supercafe(['start', '--no-sample', '--port', String(port)], { dataDir });
      // Assess
      expect(outcome.status).toBe(ExitStatus.Failed);
      expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`port ${port} .*in use.*--port`))]);
      expect(await exists(dataDirAt(dataDir).stackFile)).toBe(false);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('exits 130 on Ctrl-C during ingest, saying how many sales were loaded and that rerunning is safe, leaving no stack file', async () => {
    // Prepare: enough rows that the ingest is still running when Ctrl-C comes
    const big = join(root, 'big');
    await generateBranchDays({ catalogue: loadCatalogue([SAMPLE_REAL]), branches: 12, days: 20, startDate: '2024-05-01', outDir: big, seed: 3 });
    const stackFile = dataDirAt(dataDir).stackFile;
    let sawStack = 0;
    // Act: Ctrl-C a little after the stack is up
    const outcome = await supercafe(['ingest', big], { dataDir, interruptWhen: async () => (await exists(stackFile)) && ++sawStack > 15 });
    // Assess
    expect(outcome.status).toBe(ExitStatus.Interrupted);
    expect(outcome.stderr).toMatch(/interrupted: \d+ new sale\(s\) loaded so far; running the same command again is safe/);
    expect(outcome.stderr).not.toMatch(/warehouse connection lost/);
    expect(await exists(stackFile)).toBe(false);
  }, 120_000);
});
