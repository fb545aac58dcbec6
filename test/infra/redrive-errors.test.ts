import { CopyObjectCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { redriveParkedFiles, redrivePlan } from '../../infra/aws/scripts/redrive-errors.js';
import { needsWarehouse, planRun } from '../../infra/aws/warehouse/load-plan.js';

const s3 = mockClient(S3Client);
const NOW = new Date('2024-03-07T14:20:00Z');
const PARKED = 'rows/sales/2024/03/05/09/sales-1.gz';

describe('Script: redrive-errors', () => {
  beforeEach(() => {
    s3.reset();
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `errors/${PARKED}.json` }, { Key: 'errors/rows/sale_items/2024/03/05/09/items-1.gz.json' }, { Key: 'errors/stray.txt' }] });
    s3.on(CopyObjectCommand).resolves({});
    s3.on(DeleteObjectCommand).resolves({});
  });

  it("plans each parked file into the current hour's folder of its table, under a new name", () => {
    // Act
    const plan = redrivePlan([`errors/${PARKED}.json`, 'errors/stray.txt'], NOW);

    // Assess
    expect(plan).toEqual([{ marker: `errors/${PARKED}.json`, file: PARKED, to: 'rows/sales/2024/03/07/14/redrive-sales-1.gz' }]);
  });

  it('copies the parked files back and removes their markers, one table when asked', async () => {
    // Act
    const done = await redriveParkedFiles({ s3: new S3Client({}), bucket: 'rows-bucket', now: NOW, table: 'sales' });

    // Assess
    expect(done.map((redrive) => redrive.file)).toEqual([PARKED]);
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({ Bucket: 'rows-bucket', CopySource: `rows-bucket/${PARKED}`, Key: 'rows/sales/2024/03/07/14/redrive-sales-1.gz' });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual([`errors/${PARKED}.json`]);
  });

  it('changes nothing in a dry run', async () => {
    // Act
    const done = await redriveParkedFiles({ s3: new S3Client({}), bucket: 'rows-bucket', now: NOW, dryRun: true });

    // Assess
    expect(done).toHaveLength(2);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it('hands the next load run a file it takes as new', () => {
    // Prepare: what the loader sees after the re-drive: the copy, new; the original, parked no more but already past.
    const [redrive] = redrivePlan([`errors/${PARKED}.json`], NOW);
    const listed = new Map([['sales', [{ key: redrive!.to, lastModified: NOW }]]]) as never;

    // Act
    const plan = planRun({ listed, loaded: new Set(), parked: new Set(), maxFiles: 10 });

    // Assess
    expect(needsWarehouse(listed, { startedAt: '2024-03-07T14:15:00Z', deferred: 0 }, 0)).toBe(true);
    expect(plan.files.get('sales')).toEqual([redrive!.to]);
  });
});
