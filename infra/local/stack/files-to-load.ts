import { stat } from 'node:fs/promises';
import type pg from 'pg';
import { WarehouseTables } from '../../../contracts/index.js';
import { expandPaths, fileKey } from './ingest-paths.js';

/**
 * The files under `paths` the warehouse does not yet hold as they are now: those
 * without a loaded account in `ingest_files`, or changed since it was made (the
 * file's modification time after the account's `finished_at`). `supercafe start`
 * loads the sample data this way, so a warm data folder starts without reading it
 * all again; a sample edited since is read again, as a new version.
 */
export async function filesToLoad(pool: pg.Pool, paths: readonly string[]): Promise<string[]> {
  const files = await expandPaths(paths);
  if (files.length === 0) return [];
  const { rows } = await pool.query<{ file: string; finished_at: Date }>(
    `SELECT file, finished_at FROM ${WarehouseTables.ingestFiles.name} WHERE status = 'loaded' AND file = ANY($1::text[])`,
    [files.map(fileKey)],
  );
  const loaded = new Map(rows.map((row) => [row.file, row.finished_at.getTime()]));
  const pending: string[] = [];
  for (const file of files) {
    const finished = loaded.get(fileKey(file));
    const modified = (await stat(file).catch(() => undefined))?.mtimeMs;
    if (finished === undefined || modified === undefined || modified >= finished) pending.push(file);
  }
  return pending;
}
