import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Target } from './panels/common.js';
import { pipelineOperations } from './dashboards/pipeline-operations.js';
import { salesOverview } from './dashboards/sales-overview.js';

/** Where the committed dashboard JSON lives: one folder per target, as Grafana's file provider reads a whole folder. */
export const DASHBOARDS_DIR = join(import.meta.dirname, 'dashboards');

/** Every generated file, path relative to DASHBOARDS_DIR, and its exact text. */
export function renderDashboards(): Map<string, string> {
  const files = new Map<string, string>();
  for (const target of Object.values(Target)) {
    files.set(`${target}/sales-overview.json`, `${JSON.stringify(salesOverview(target), null, 2)}\n`);
    files.set(`${target}/pipeline-operations.json`, `${JSON.stringify(pipelineOperations(target), null, 2)}\n`);
  }
  return files;
}

/** Writes the dashboard JSON; run by `npm run dashboards`. Generated files are never edited by hand. */
export async function writeDashboards(dir = DASHBOARDS_DIR): Promise<string[]> {
  const written: string[] = [];
  for (const [name, text] of renderDashboards()) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const path of await writeDashboards()) console.log(`wrote ${path}`);
}
