import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * The browser code is TypeScript (`client/`), bundled in memory on first use
 * with esbuild (already installed: tsx runs on it), so a checkout needs no build
 * step and nothing is fetched from a CDN.
 */
let bundle: Promise<string> | undefined;

export function clientBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(import.meta.dirname, 'client', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundle;
}

/** ECharts' own minified build, served from node_modules. */
export function echartsScript(): Promise<string> {
  return readFile(join(require.resolve('echarts/package.json'), '..', 'dist', 'echarts.min.js'), 'utf8');
}
