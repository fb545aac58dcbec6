import { describe, expect, it } from 'vitest';
import { replayCommandInput } from '../../infra/aws/scripts/replay-sql.js';
import { WAREHOUSE_TABLE_KEYS } from '../../infra/aws/warehouse/warehouse-sql.js';

describe('Function: replayCommandInput', () => {
  it('prints the rebuild statements as a JSON list for batch-execute-statement', () => {
    // Act
    const sqls = JSON.parse(replayCommandInput('supercafe-rows-1')) as string[];

    // Assess
    expect(sqls[0]).toBe('DELETE FROM sales;');
    expect(sqls.filter((sql) => sql.startsWith('COPY stage_'))).toHaveLength(WAREHOUSE_TABLE_KEYS.length);
    expect(sqls.join('\n')).toContain("FROM 's3://supercafe-rows-1/rows/sales/' IAM_ROLE default");
    expect(sqls.length).toBeLessThanOrEqual(40);
  });

  it('refuses something that is not a bucket name', () => {
    // Act
    const act = () => replayCommandInput("x'; DROP TABLE sales; --");

    // Assess
    expect(act).toThrow(/not a bucket name/);
  });
});
