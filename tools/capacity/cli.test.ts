import { describe, expect, it } from 'vitest';
import { capacityProgram } from './cli.js';

async function run(...args: string[]): Promise<string> {
  let out = '';
  await capacityProgram((text) => (out += text)).exitOverride().parseAsync(['node', 'capacity', ...args]);
  return out;
}

describe('CLI: capacity', () => {
  it('prints the plan as JSON', async () => {
    // Act
    const plan = JSON.parse(await run('--branches', '500', '--sales-per-day', '300', '--till-share', '0.2', '--region', 'eu-west-2', '--json'));
    // Assess
    expect(plan.volume.salesPerDay).toBe(150_000);
    expect(plan.inputs.region).toBe('eu-west-2');
    expect(plan.costs.length).toBeGreaterThan(10);
  });

  it('prints Markdown for several branch counts, with the sources', async () => {
    // Act
    const markdown = await run('--compare', '50,500', '--markdown', '--sources');
    // Assess
    expect(markdown).toMatch(/#### 50 branches/);
    expect(markdown).toMatch(/#### 500 branches/);
    expect(markdown).toMatch(/\| Service \| usage \| USD\/month \|/);
    expect(markdown).toMatch(/docs\.aws\.amazon\.com\/firehose\/latest\/dev\/limits\.html/);
  });

  it('prints a table and plans a new account’s pool', async () => {
    // Act
    const text = await run('--new-account');
    // Assess
    expect(text).toMatch(/Total\s+\$/);
    expect(text).toMatch(/EXCEEDED/);
    expect(text).toMatch(/new account/);
  });

  it('refuses a till share above 1', async () => {
    // Assess
    await expect(run('--till-share', '2')).rejects.toThrow(/from 0 to 1/);
  });
});
