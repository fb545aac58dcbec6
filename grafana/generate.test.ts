import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR, renderDashboards } from './generate.js';

describe('Script: grafana/generate.ts', () => {
  it('matches the committed dashboard JSON (run `npm run dashboards` after changing a panel)', async () => {
    // Prepare
    const rendered = renderDashboards();
    // Act / Assess
    for (const [name, text] of rendered) expect(await readFile(join(DASHBOARDS_DIR, name), 'utf8'), `${name} is stale`).toBe(text);
  });

  it('leaves no JSON behind that the generator no longer writes', async () => {
    // Prepare
    const rendered = new Set(renderDashboards().keys());
    // Act
    const committed = (await Promise.all(['local', 'aws'].map(async (folder) => (await readdir(join(DASHBOARDS_DIR, folder))).map((name) => `${folder}/${name}`)))).flat();
    // Assess
    expect(new Set(committed.filter((name) => name.endsWith('.json')))).toEqual(rendered);
  });
});
