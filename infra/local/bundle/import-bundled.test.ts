import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundled } from './import-bundled.mjs';

const CACHE = resolve('node_modules', '.cache', 'supercafe');

describe('importBundled', () => {
  it('loads a bundle of the module, with a source map beside it that leads back to the TypeScript', async () => {
    // Act
    const loaded = (await importBundled('samples/paths.ts', 'test-bundle-map')) as { SAMPLE_STANDARD_DIR: string };
    // Assert: the module's own values, its import.meta pointing at the source
    expect(loaded.SAMPLE_STANDARD_DIR).toBe(resolve('samples', 'standard'));
    const pointer = JSON.parse(await readFile(join(CACHE, 'test-bundle-map.json'), 'utf8')) as { dir: string; inputs: Record<string, number> };
    // The bundler itself is an input: a change to how bundles are made makes them again.
    expect(Object.keys(pointer.inputs)).toEqual(expect.arrayContaining(['samples/paths.ts', 'infra/local/bundle/import-bundled.mjs']));
    const bundle = join(CACHE, pointer.dir, 'test-bundle-map.mjs');
    const code = await readFile(bundle, 'utf8');
    const map = new SourceMap(JSON.parse(await readFile(`${bundle}.map`, 'utf8')));
    const lines = code.split('\n');
    const line = lines.findIndex((text) => text.includes('SAMPLE_STANDARD_DIR ='));
    const entry = map.findEntry(line, lines[line]?.indexOf('SAMPLE_STANDARD_DIR') ?? 0) as { originalSource?: string; originalLine?: number };
    expect(resolve(join(CACHE, pointer.dir), entry.originalSource ?? '')).toBe(resolve('samples', 'paths.ts'));
    // Line 10 of samples/paths.ts (0-based 9).
    expect(entry.originalLine).toBe(9);
  }, 60_000);
});
