import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLES_DIR, SAMPLE_STANDARD_DIR, SAMPLE_VARIANTS_DIR } from '../../samples/paths.js';
import { Anonymiser } from './anonymise-csv.js';

/**
 * Rebuilds `samples/standard` and `samples/variants` from the public bootcamp
 * files (`../shared/data/real` and `../shared/data/variants`), every name and
 * card number replaced by {@link Anonymiser}. Run from the project root with
 * `npm run samples` on a machine that has the shared data; the output is
 * committed, so nothing else ever needs the originals.
 */

/** Fixed so the output is reproducible; the originals are public, so this key protects nothing. */
const KEY = 'supercafe-samples-v1';

async function main(): Promise<void> {
  const source = process.argv[2] ?? join(SAMPLES_DIR, '..', '..', 'shared', 'data');
  if (!existsSync(source)) throw new Error(`no shared data at ${source}: pass the folder holding real/ and variants/`);
  const anonymiser = new Anonymiser({ key: KEY });
  // Variants first: the Chesterfield re-exports share names, and the order fixes the mapping.
  for (const [from, to] of [
    ['variants', SAMPLE_VARIANTS_DIR],
    ['real', SAMPLE_STANDARD_DIR],
  ] as const) {
    await mkdir(to, { recursive: true });
    const names = (await readdir(join(source, from))).filter((name) => name.endsWith('.csv')).sort();
    for (const name of names) {
      const text = await readFile(join(source, from, name), 'latin1');
      // latin1 round-trips every byte; the anonymiser only rewrites ASCII name and card fields.
      await writeFile(join(to, name), anonymiser.file(text), 'latin1');
    }
    console.log(`${names.length} files → ${to}`);
  }
}

await main();
