import { appendFile, mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { scrubArchiveText } from '../../../consumers/erasure/scrub.js';
import { suppressErased, suppressionList, type Erasure, type SuppressionList } from '../../../consumers/erasure/suppression.js';
import type { SaleSink } from '../../../consumers/sales-transform/ports.js';
import type { DataDir } from '../stack/data-dir.js';

/**
 * Erasure on the local stack: the warehouse (PostgreSQL), the archive of clean
 * records the replay rebuilds from, and the suppression list the replay honours
 * (`<data-dir>/erasures.ndjson`: keys and instants, no name, no card). The raw
 * stream is not touched here: the CLI refuses while it holds unconsumed events.
 */

/** The suppression list's file in the data folder: one `{ customerKey, erasedAt }` a line. */
export function erasuresPath(dir: DataDir): string {
  return join(dir.root, 'erasures.ndjson');
}

/** The erasures recorded so far (none when the file does not exist). */
export async function readSuppressionList(dir: DataDir | { readonly erasuresFile: string }): Promise<SuppressionList> {
  const file = 'erasuresFile' in dir ? dir.erasuresFile : erasuresPath(dir);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const erasures = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = JSON.parse(line) as Partial<Erasure>;
      if (typeof parsed.customerKey !== 'string' || typeof parsed.erasedAt !== 'string') throw new Error(`${file}:${index + 1}: not an erasure`);
      return { customerKey: parsed.customerKey, erasedAt: parsed.erasedAt };
    });
  return suppressionList(erasures);
}

/**
 * The live consumer's side of erasure: every batch is untied from the customers
 * erased (`suppressErased`) before it reaches the archive and the warehouse, so a
 * re-ingested old file cannot bring an erased customer back. The list is read again
 * whenever its file changes (one stat a batch), so an erasure made while the stack
 * runs applies to the next batch.
 */
export function createSuppressingSink(inner: SaleSink, erasuresFile: string): SaleSink {
  let list: SuppressionList = new Map();
  let seen = -1;
  return {
    async load(batch) {
      const changed = await stat(erasuresFile).then(
        (info) => info.mtimeMs,
        () => 0,
      );
      if (changed !== seen) {
        list = changed === 0 ? new Map() : await readSuppressionList({ erasuresFile });
        seen = changed;
      }
      await inner.load(suppressErased(batch, list));
    },
  };
}

/** What an erasure changed (or, dry, would change). */
export interface LocalErasureReport {
  readonly keys: number;
  /** Sales in the warehouse untied from the customer. */
  readonly warehouseSales: number;
  /** Archived sale records untied from the customer, and the archive files rewritten. */
  readonly archiveRecords: number;
  readonly archiveFiles: number;
}

export interface LocalErasureOptions {
  readonly pool: pg.Pool;
  readonly dir: DataDir;
  /** The customer keys (`erasureKeys`). */
  readonly keys: readonly string[];
  readonly erasedAt: Date;
  /** Count only; change nothing. */
  readonly dryRun?: boolean;
}

/**
 * Erases customers locally: records the erasures first (a run stopped half way is
 * finished by running it again, and a replay meanwhile already honours them), then
 * unties their sales in the warehouse and in the archive, as every erasure on the
 * list requires (so a later run also catches what a re-ingested file brought
 * back). Sales keep their figures.
 */
export async function eraseLocally(options: LocalErasureOptions): Promise<LocalErasureReport> {
  const { pool, dir, keys, erasedAt } = options;
  const erasures: Erasure[] = keys.map((customerKey) => ({ customerKey, erasedAt: erasedAt.toISOString() }));
  const list = suppressionList([...(await readSuppressionList(dir)).values(), ...erasures]);
  if (!options.dryRun && erasures.length > 0) {
    await mkdir(dir.root, { recursive: true });
    await appendFile(erasuresPath(dir), erasures.map((erasure) => `${JSON.stringify(erasure)}\n`).join(''), { mode: 0o600 });
  }

  // Every erasure on the list, this one and earlier ones (a file re-ingested since may have brought a key back).
  const all = [...list.values()];
  const params = [all.map((erasure) => erasure.customerKey), all.map((erasure) => erasure.erasedAt)];
  const erased = 'FROM unnest($1::text[], $2::timestamptz[]) AS e(customer_key, erased_at) WHERE s.customer_key = e.customer_key AND s.sold_at <= e.erased_at';
  const { rows } = options.dryRun
    ? await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM sales s, unnest($1::text[], $2::timestamptz[]) AS e(customer_key, erased_at) WHERE s.customer_key = e.customer_key AND s.sold_at <= e.erased_at`, params)
    : await pool.query<{ n: number }>(`WITH erased AS (UPDATE sales s SET customer_key = NULL ${erased} RETURNING 1) SELECT count(*)::int AS n FROM erased`, params);

  let archiveRecords = 0;
  let archiveFiles = 0;
  const files = (await readdir(dir.archive).catch(() => [] as string[])).filter((name) => name.endsWith('.ndjson')).sort();
  for (const name of files) {
    const path = join(dir.archive, name);
    const { value, changed } = scrubArchiveText(await readFile(path, 'utf8'), list);
    if (changed === 0) continue;
    archiveRecords += changed;
    archiveFiles++;
    if (options.dryRun) continue;
    // Whole or not at all: a reader never meets half a file.
    const temporary = `${path}.erasing`;
    await writeFile(temporary, value);
    await rename(temporary, path);
  }
  return { keys: keys.length, warehouseSales: rows[0]?.n ?? 0, archiveRecords, archiveFiles };
}
