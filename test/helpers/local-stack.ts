import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDirAt } from '../../infra/local/stack/data-dir.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/stack/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../../infra/local/stack/ingest-paths.js';

/** The in-repository sample files (anonymised): standard layout, and one of each other layout. */
export { SAMPLE_STANDARD_DIR as SAMPLE_REAL, SAMPLE_VARIANTS_DIR as SAMPLE_VARIANTS } from '../../samples/paths.js';
/** The larger corpus, only where it is beside the repository (`undefined` otherwise). */
export { CORPUS_OTHER, CORPUS_REAL } from './shared-corpus.js';

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
