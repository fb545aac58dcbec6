import { access, readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ErasureRequest } from '../../../../consumers/erasure/erasure-keys.js';
import { wantsAws, type AwsTargetOptions } from '../aws-target-options.js';
import { runningStack, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

/** `supercafe erase` options; the customer comes from `--identity-file` or `--name`/`--card`. */
export interface EraseOptions extends AwsTargetOptions {
  readonly name?: string;
  readonly card?: readonly string[];
  readonly cash?: boolean;
  /** A JSON file `{ "name": …, "cards": [...], "includeCash"?: true }`: keeps the identity out of shell history. */
  readonly identityFile?: string;
  readonly dryRun?: boolean;
}

const IdentityFileSchema = z.object({ name: z.string(), cards: z.array(z.string()).default([]), includeCash: z.boolean().optional() }).strict();

/** The request the options describe; never echoes a name or a card in an error. */
export async function erasureRequestOf(options: EraseOptions): Promise<ErasureRequest> {
  if (options.identityFile) {
    if (options.name || (options.card?.length ?? 0) > 0) throw new CliError('give the customer either in --identity-file or with --name/--card, not both');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(options.identityFile, 'utf8'));
    } catch {
      throw new CliError(`cannot read ${options.identityFile} as JSON ({ "name": "...", "cards": ["..."] })`);
    }
    const identity = IdentityFileSchema.safeParse(parsed);
    if (!identity.success) throw new CliError(`${options.identityFile} must be { "name": "...", "cards": ["..."], "includeCash": true|false } and nothing else`);
    return { name: identity.data.name, cards: identity.data.cards, includeCash: identity.data.includeCash ?? options.cash };
  }
  if (!options.name) throw new CliError('whose data? give --identity-file <file> or --name "<name>" [--card <number>]...');
  return { name: options.name, cards: options.card ?? [], includeCash: options.cash };
}

/** A key as it may be shown: its first 12 hex digits (a pseudonym, and only part of it). */
const shortKey = (key: string) => `${key.slice(0, 12)}…`;

/**
 * `supercafe erase`: removes one customer's link to their sales, locally or (with
 * `--aws`) in the deployed pipeline, and records the erasure so replays honour it.
 * Prints counts and shortened keys, never the name or a card number.
 */
export async function erase(context: CliContext, options: EraseOptions): Promise<ExitStatus> {
  const request = await erasureRequestOf(options);
  const { erasureKeys, ErasureRequestError } = await import('../../../../consumers/erasure/erasure-keys.js');
  const erasedAt = new Date();
  const dry = options.dryRun ? ' (dry run: nothing changed)' : '';

  if (wantsAws(options)) {
    const { eraseInAws } = await import('../../../aws/erasure/aws-erasure-run.js');
    const report = await eraseInAws(options, (pepper) => keysOrExplain(async () => erasureKeys(pepper, request), ErasureRequestError), erasedAt);
    console.log(`erased ${report.keys.length} customer key(s) in AWS (${report.keys.map(shortKey).join(', ')})${dry}`);
    console.log(`  warehouse: ${report.warehouseSales} sale(s) untied from the customer`);
    console.log(`  clean rows (rows/sales): ${report.rowFiles} file(s) rewritten, ${report.rowSales} sale row(s)`);
    console.log(`  raw event archive: ${report.rawObjects} object(s) rewritten, ${report.rawEvents} event(s) without name and card`);
    console.log(`  suppression list: ${report.keys.length} marker(s) under erasures/ (the loader honours them)`);
    return ExitStatus.Ok;
  }

  if (await runningStack(context.dir)) throw new CliError('stop the running stack before erasing (its consumer could write the customer back meanwhile)');
  if (await access(context.dir.stream).then(() => true, () => false)) {
    throw new CliError(`the local stream (${context.dir.stream}) still holds raw events not yet loaded: start the stack to let it drain, stop it, then erase`);
  }
  const { loadPepper } = await import('../../stack/data-dir.js');
  const keys = keysOrExplain(async () => erasureKeys(await loadPepper(context.dir), request), ErasureRequestError);
  const { openWarehouse } = await import('../../emulators/warehouse.js');
  const { eraseLocally } = await import('../../erasure/local-erasure.js');
  const warehouse = await openWarehouse({ databaseUrl: context.databaseUrl, dataPath: context.dir.postgres });
  try {
    const report = await eraseLocally({ pool: warehouse.pool, dir: context.dir, keys: await keys, erasedAt, dryRun: options.dryRun });
    console.log(`erased ${report.keys} customer key(s) locally${dry}`);
    console.log(`  warehouse: ${report.warehouseSales} sale(s) untied from the customer (figures kept)`);
    console.log(`  archive of clean records: ${report.archiveFiles} file(s) rewritten, ${report.archiveRecords} record(s)`);
    console.log(`  suppression list: ${context.dir.root}/erasures.ndjson (supercafe replay honours it)`);
    const { readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const uploads = (await readdir(join(context.dir.inbox, 'processed')).catch(() => [] as string[])).filter((name) => /\.csv$/i.test(name));
    if (uploads.length > 0) {
      console.log(`  note: ${uploads.length} raw upload(s) in ${join(context.dir.inbox, 'processed')} still hold names and card numbers; erase does not rewrite CSV files: delete them when loaded`);
    }
    return ExitStatus.Ok;
  } finally {
    await warehouse.stop();
  }
}

/** The keys, or the request's fault as a CLI error (its message names no personal data). */
async function keysOrExplain(compute: () => Promise<string[]>, requestError: new (...args: never[]) => Error): Promise<string[]> {
  try {
    return await compute();
  } catch (error) {
    if (error instanceof requestError) throw new CliError(error.message);
    throw error;
  }
}
