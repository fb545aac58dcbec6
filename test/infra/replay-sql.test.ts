import { describe, expect, it } from 'vitest';
import { replayCommandInput } from '../../infra/aws/scripts/replay-sql.js';

describe('Function: replayCommandInput', () => {
  it('prints the rebuild statements as a JSON list for batch-execute-statement', () => {
    // Act
    const sqls = JSON.parse(replayCommandInput('supercafe-rows-1')) as string[];

    // Assess
    expect(sqls[0]).toBe('DELETE FROM sales;');
    expect(sqls.filter((sql) => sql.startsWith('COPY stage_'))).toHaveLength(7);
    expect(sqls.join('\n')).toContain("FROM 's3://supercafe-rows-1/rows/sales/' IAM_ROLE default");
    expect(sqls.length).toBeLessThanOrEqual(40);
  });

  it('honours the erasures it is given, after the merge', () => {
    // Act
    const sqls = JSON.parse(replayCommandInput('supercafe-rows-1', [{ customerKey: 'a'.repeat(64), erasedAt: '2024-05-01T00:00:00.000Z' }])) as string[];

    // Assess
    expect(sqls.at(-1)).toMatch(/^UPDATE sales SET customer_key = NULL WHERE \(\(customer_key = 'a{64}' AND sold_at <= /);
  });

  it('refuses something that is not a bucket name', () => {
    // Act
    const act = () => replayCommandInput("x'; DROP TABLE sales; --");

    // Assess
    expect(act).toThrow(/not a bucket name/);
  });
});
