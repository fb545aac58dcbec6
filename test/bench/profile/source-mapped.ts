import { existsSync, readFileSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CpuProfile, CpuProfileNode } from './cpu-profile.js';

/** Finds the source map of a script a profile names (its `callFrame.url`), or undefined when it has none. */
export type SourceMapLookup = (url: string) => { readonly map: SourceMap; readonly dir: string } | undefined;

const asPath = (url: string) => (url.startsWith('file://') ? fileURLToPath(url) : url);

/**
 * The default lookup: a module this process loaded through tsx (whose maps Node
 * keeps once source maps are enabled, as tsx enables them), else a map file beside
 * the script (`<script>.map`, as esbuild writes for the consumer's bundle).
 */
export function defaultSourceMapLookup(): SourceMapLookup {
  const cache = new Map<string, ReturnType<SourceMapLookup>>();
  return (url) => {
    if (cache.has(url)) return cache.get(url);
    let found: ReturnType<SourceMapLookup>;
    const path = asPath(url);
    const loaded = findSourceMap(url) ?? findSourceMap(path);
    if (loaded) found = { map: loaded, dir: dirname(path) };
    else if (path.startsWith('/') && existsSync(`${path}.map`)) {
      try {
        found = { map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))), dir: dirname(path) };
      } catch {
        found = undefined;
      }
    }
    cache.set(url, found);
    return found;
  };
}

/**
 * The profile with each frame that has a source map moved to the place it maps
 * to: a bundle's line 1528 or tsx's one-line output becomes the TypeScript file
 * and line (0-based, as V8 counts). Frames without a map, or whose position maps
 * to nothing, are left as they are. Relative sources resolve against the map's
 * folder.
 */
export function mapToSources(profile: CpuProfile, lookup: SourceMapLookup = defaultSourceMapLookup()): CpuProfile {
  const nodes = profile.nodes.map((node): CpuProfileNode => {
    const { url, lineNumber, columnNumber } = node.callFrame;
    if (url === '' || url.startsWith('node:') || lineNumber < 0) return node;
    const found = lookup(url);
    if (!found) return node;
    const entry = found.map.findEntry(lineNumber, Math.max(0, columnNumber)) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return node;
    const source = entry.originalSource.startsWith('file://') ? entry.originalSource : pathToFileURL(resolve(found.dir, entry.originalSource)).href;
    return { ...node, callFrame: { ...node.callFrame, url: source, lineNumber: entry.originalLine, columnNumber: entry.originalColumn ?? 0 } };
  });
  return { ...profile, nodes };
}
