import { SourceMap } from 'node:module';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './cpu-profile.js';
import { mapToSources } from './source-mapped.js';

/** A two-function TypeScript file, minified onto one line as tsx does, with its source map. */
function minified() {
  const source = ['export function first(a: number) {', '  return a + 1;', '}', '', 'export function second(b: string) {', '  return b.repeat(2);', '}', ''].join('\n');
  const out = transformSync(source, { loader: 'ts', minifyWhitespace: true, sourcemap: 'external', sourcefile: 'lib/two.ts', format: 'esm' });
  const column = out.code.indexOf('function second');
  return { map: new SourceMap(JSON.parse(out.map)), column };
}

const node = (id: number, url: string, lineNumber: number, columnNumber: number, functionName = 'f') => ({ id, callFrame: { functionName, url, lineNumber, columnNumber, scriptId: '1' } });

describe('mapToSources', () => {
  it('moves a frame of one-line output to the TypeScript line its function starts on', () => {
    const { map, column } = minified();
    const profile: CpuProfile = { nodes: [node(1, 'file:///out/two.mjs', 0, column, 'second'), node(2, 'node:zlib', 10, 3), node(3, 'file:///out/other.mjs', 7, 2)], startTime: 0, endTime: 1 };
    const mapped = mapToSources(profile, (url) => (url === 'file:///out/two.mjs' ? { map, dir: '/repo' } : undefined));
    // esbuild's `sources` is relative: it resolves against the map's folder.
    expect(mapped.nodes[0]?.callFrame).toMatchObject({ url: 'file:///repo/lib/two.ts', lineNumber: 4, functionName: 'second' });
    // No map, or a built-in: left as they were.
    expect(mapped.nodes[1]?.callFrame).toEqual(profile.nodes[1]?.callFrame);
    expect(mapped.nodes[2]?.callFrame).toEqual(profile.nodes[2]?.callFrame);
  });
});
