// @ts-check
/**
 * Imports a TypeScript module of this repository quickly: bundled by esbuild on
 * first use into `node_modules/.cache/supercafe/` (the repository's own code in
 * one file and its chunks; packages stay external, loaded by Node as usual), and
 * bundled again whenever one of its source files changed. A checkout still needs
 * no build step; a start skips tsx's loader, which resolves and reads every module
 * through a worker thread and took most of a command's start-up time. When
 * bundling is not possible (or `SUPERCAFE_NO_BUNDLE=1`), the module is loaded
 * through tsx as before.
 */
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'supercafe');
/** A bundle no pointer names any more is removed this long after it was made (a long-running process may still load chunks from it). */
const STALE_MS = 24 * 3600 * 1000;

/**
 * `import.meta.url`, `import.meta.dirname` and `import.meta.filename` name the
 * source file, not the bundle: modules find files beside them (the child process
 * entries, the sample data) as they do under tsx.
 * @type {import('esbuild').Plugin}
 */
const sourceLocations = {
  name: 'source-locations',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      const contents = text
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.filename', JSON.stringify(path));
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * @typedef {{ dir: string; inputs: Record<string, number> }} BundlePointer
 * Where a bundle is and the modification times of the sources it was made from.
 */

/** @param {string} path @returns {Promise<BundlePointer | undefined>} */
async function currentBundle(path) {
  /** @type {BundlePointer} */
  let pointer;
  try {
    pointer = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  const changed = await Promise.all([
    ...Object.entries(pointer.inputs).map(async ([input, mtimeMs]) => (await stat(join(REPO_ROOT, input)).catch(() => undefined))?.mtimeMs !== mtimeMs),
    stat(join(CACHE_DIR, pointer.dir)).then(() => false, () => true),
  ]);
  return changed.some(Boolean) ? undefined : pointer;
}

/**
 * Bundles `entry` into a fresh folder (never one another process may be reading
 * chunks from), then points `<name>.json` at it.
 * @param {string} entry @param {string} name @param {string} pointerPath
 */
async function bundle(entry, name, pointerPath) {
  const { build } = await import('esbuild');
  const dir = join(CACHE_DIR, `${name}-${Date.now().toString(36)}-${process.pid}`);
  const result = await build({
    entryPoints: { [name]: entry },
    outdir: dir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    // A map beside each file, not read at run time (Node reads it only with --enable-source-maps): the bench's profiles name the TypeScript lines by it.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [sourceLocations],
  });
  /** @type {Record<string, number>} */
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const absolute = resolve(REPO_ROOT, input);
    inputs[relative(REPO_ROOT, absolute)] = (await stat(absolute)).mtimeMs;
  }
  // This file too: a change to how bundles are made makes them again.
  const self = fileURLToPath(import.meta.url);
  inputs[relative(REPO_ROOT, self)] = (await stat(self)).mtimeMs;
  const temporary = `${pointerPath}.${process.pid}`;
  await writeFile(temporary, JSON.stringify({ dir: relative(CACHE_DIR, dir), inputs }));
  await rename(temporary, pointerPath);
  // Bundles no pointer names any more, made long ago, go.
  const names = await readdir(CACHE_DIR).catch(() => /** @type {string[]} */ ([]));
  const named = new Set();
  for (const pointer of names.filter((entryName) => entryName.endsWith('.json'))) {
    named.add(await readFile(join(CACHE_DIR, pointer), 'utf8').then((text) => JSON.parse(text).dir, () => undefined));
  }
  for (const old of names) {
    const path = join(CACHE_DIR, old);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() && !named.has(old) && Date.now() - info.mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
  return dir;
}

/**
 * Imports the module at `entry` (a path in this repository, e.g.
 * `infra/local/cli/run-command.ts`), bundled as `name`.
 * @param {string} entry
 * @param {string} name a file-name-safe name for the bundle
 * @returns {Promise<any>} the module's namespace
 */
export async function importBundled(entry, name) {
  const source = resolve(REPO_ROOT, entry);
  if (process.env.SUPERCAFE_NO_BUNDLE !== '1') {
    const pointerPath = join(CACHE_DIR, `${name}.json`);
    let dir;
    try {
      const pointer = await currentBundle(pointerPath);
      if (pointer) dir = join(CACHE_DIR, pointer.dir);
      else {
        await mkdir(CACHE_DIR, { recursive: true });
        dir = await bundle(source, name, pointerPath);
      }
    } catch {
      dir = undefined;
    }
    if (dir) {
      const url = pathToFileURL(join(dir, `${name}.mjs`)).href;
      try {
        return await import(url);
      } catch (error) {
        // Only a bundle gone missing falls back; the module's own errors are its own.
        if (/** @type {{ code?: string; url?: string }} */ (error).code !== 'ERR_MODULE_NOT_FOUND' || !String(/** @type {Error} */ (error).message).includes(url)) throw error;
      }
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(source).href);
}
