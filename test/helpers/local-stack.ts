import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirAt } from '../../infra/local/data-dir.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../../infra/local/ingest-paths.js';

/** The shared sample data, read-only, beside the project. */
export const SHARED_DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
export const SAMPLE_REAL = join(SHARED_DATA, 'real');
export const SAMPLE_VARIANTS = join(SHARED_DATA, 'variants');
export const CORPUS_REAL = join(SHARED_DATA, 'corpus', 'real');

export interface TestStack {
  readonly stack: LocalStack;
  readonly root: string;
  /** Publishes files and waits until the consumer has loaded them. */
  ingest(paths: readonly string[]): Promise<IngestRun>;
  stop(): Promise<void>;
}

/**
 * A real local stack (embedded PostgreSQL, kinesalite, poller) in a fresh temp
 * folder, with a fixed pepper so keys are reproducible. `DATABASE_URL` in the
 * environment is deliberately ignored: each test stack owns its warehouse.
 */
export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const root = await mkdtemp(join(tmpdir(), 'supercafe-test-'));
  process.env.SUPERCAFE_PEPPER ??= 'test-pepper-not-secret';
  const stack = await startLocalStack({ dataDir: dataDirAt(root), ...options });
  return {
    stack,
    root,
    async ingest(paths) {
      const run = await ingestPaths(stack, paths);
      await stack.waitFor(run.receipt);
      return run;
    },
    async stop() {
      await stack.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
