import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReconcileConfigSchema, reconcileWarehouse } from './warehouse-reconcile.js';

const redshift = mockClient(RedshiftDataClient);
const config = ReconcileConfigSchema.parse({ WORKGROUP_NAME: 'supercafe-0000', DATABASE_NAME: 'supercafe', GRACE_MINUTES: '50' });

describe('Function: reconcileWarehouse', () => {
  beforeEach(() => {
    redshift.reset();
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
  });

  it('reports a count per check, as its IAM identity (read-only database role)', async () => {
    // Prepare
    redshift.on(GetStatementResultCommand).resolves({ Records: [[{ longValue: 2 }, { longValue: 0 }, { longValue: 1 }]] });

    // Act
    const counts = await reconcileWarehouse(new RedshiftDataClient({}), config, { sleep: async () => undefined });

    // Assess
    expect(counts).toEqual({ sales_without_items: 2, item_count_mismatch: 0, total_mismatch: 1 });
    const input = redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input;
    expect(input?.SecretArn).toBeUndefined();
    expect(input?.Sql).toContain('DATEADD(minute, -50, GETDATE())');
    expect(input?.Sql).toContain('DATEADD(hour, -48, GETDATE())');
  });

  it('counts an empty window (SUM over nothing is NULL) as no fault', async () => {
    // Prepare
    redshift.on(GetStatementResultCommand).resolves({ Records: [[{ isNull: true }, { isNull: true }, { isNull: true }]] });

    // Act
    const counts = await reconcileWarehouse(new RedshiftDataClient({}), config, { sleep: async () => undefined });

    // Assess
    expect(counts).toEqual({ sales_without_items: 0, item_count_mismatch: 0, total_mismatch: 0 });
  });
});
