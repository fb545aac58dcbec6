import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Everything the local stack keeps lives under one folder (default `./.supercafe`). */
export interface DataDir {
  readonly root: string;
  readonly postgres: string;
  /** The local stream's records (kinesalite's LevelDB). */
  readonly stream: string;
  readonly inbox: string;
  readonly archive: string;
  readonly deadLetters: string;
  readonly pepperFile: string;
  readonly stackFile: string;
}

export function dataDirAt(root = process.env.SUPERCAFE_DATA_DIR ?? '.supercafe'): DataDir {
  const base = resolve(root);
  return {
    root: base,
    postgres: join(base, 'postgres'),
    stream: join(base, 'stream'),
    inbox: join(base, 'inbox'),
    archive: join(base, 'archive'),
    deadLetters: join(base, 'dead-letters'),
    pepperFile: join(base, 'pepper'),
    stackFile: join(base, 'stack.json'),
  };
}

/**
 * The secret pepper for customer keys and event ids: `SUPERCAFE_PEPPER` if set,
 * else a random one made on first use and kept (mode 600) in the data folder.
 * Changing it changes every customer key, so it is made once and kept.
 */
export async function loadPepper(dir: DataDir): Promise<string> {
  const fromEnv = process.env.SUPERCAFE_PEPPER;
  if (fromEnv) return fromEnv;
  await mkdir(dir.root, { recursive: true });
  try {
    return (await readFile(dir.pepperFile, 'utf8')).trim();
  } catch {
    const pepper = randomBytes(32).toString('hex');
    await writeFile(dir.pepperFile, `${pepper}\n`, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(dir.pepperFile, 'utf8')).trim();
  }
}
