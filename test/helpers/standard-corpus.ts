import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateBranchDays } from '../../tools/generator/generate-sales.js';
import { loadCatalogue } from '../../tools/catalogue/branch-profiles.js';
import { SAMPLE_STANDARD_DIR } from '../../samples/paths.js';
import { CORPUS_REAL } from './shared-corpus.js';

/** About as many rows as the shared corpus has (44,606), so load and fault tests have a real amount to chew on. */
const GENERATED_BRANCHES = 18;
const GENERATED_DAYS = 8;

/**
 * Folders of standard-format files for tests that need tens of thousands of sales:
 * the in-repository samples plus the shared corpus where it is beside the repository,
 * or else plus synthetic files drawn from the samples (seeded, so every run writes
 * the same rows) into `scratch`. Either way the files are plain standard CSV, so
 * `computeStats` gives their independent figures.
 */
export async function standardCorpusDirs(scratch: string): Promise<string[]> {
  if (CORPUS_REAL) return [SAMPLE_STANDARD_DIR, CORPUS_REAL];
  const out = join(scratch, 'generated-corpus');
  if (!existsSync(out)) {
    await generateBranchDays({ catalogue: loadCatalogue([SAMPLE_STANDARD_DIR]), branches: GENERATED_BRANCHES, days: GENERATED_DAYS, startDate: '2021-09-10', outDir: out, seed: 7 });
  }
  return [SAMPLE_STANDARD_DIR, out];
}
