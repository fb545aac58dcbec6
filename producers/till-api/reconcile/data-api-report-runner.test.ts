import { DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { WarehouseStatementError } from '../../../common/redshift-data/data-api.js';
import { dataApiReportRunner, isoInstantOf } from './data-api-report-runner.js';
import { RECONCILE_SQL, reconcileBranchDay } from './reconcile-report.js';

const redshift = mockClient(RedshiftDataClient);
const target = { workgroupName: 'supercafe-0000', database: 'supercafe' };
const noWait = { sleep: async () => undefined };

const text = (name: string, typeName = 'varchar') => ({ name, label: name, typeName });
const long = (name: string) => ({ name, label: name, typeName: 'int8' });

describe('Adapter: dataApiReportRunner', () => {
  beforeEach(() => redshift.reset());

  it('runs a query with its named parameters, waits for it and reads every page into rows by column name', async () => {
    // Prepare: the statement runs once before it finishes; the result comes in two pages
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-1' });
    redshift.on(DescribeStatementCommand).resolvesOnce({ Status: 'STARTED' }).resolves({ Status: 'FINISHED' });
    redshift
      .on(GetStatementResultCommand, { Id: 'q-1', NextToken: undefined })
      .resolves({ ColumnMetadata: [text('event_id'), text('sold_at', 'timestamptz'), long('total_pence')], Records: [[{ stringValue: 'a' }, { stringValue: '2024-03-05 09:00:25+00' }, { longValue: 245 }]], NextToken: 'page-2' })
      .on(GetStatementResultCommand, { Id: 'q-1', NextToken: 'page-2' })
      .resolves({ Records: [[{ stringValue: 'b' }, { isNull: true }, { longValue: -245 }]] });

    // Act
    const rows = await dataApiReportRunner(redshift as unknown as RedshiftDataClient, target, noWait).query('SELECT … WHERE branch = :branch AND d = CAST(:date AS DATE)', { branch: 'Leeds', date: '2024-03-05' });

    // Assess
    expect(rows).toEqual([
      { event_id: 'a', sold_at: '2024-03-05T09:00:25+00:00', total_pence: 245 },
      { event_id: 'b', sold_at: null, total_pence: -245 },
    ]);
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input).toMatchObject({
      WorkgroupName: 'supercafe-0000',
      Database: 'supercafe',
      SecretArn: undefined,
      Parameters: [
        { name: 'branch', value: 'Leeds' },
        { name: 'date', value: '2024-03-05' },
      ],
    });
    expect(redshift.commandCalls(DescribeStatementCommand)).toHaveLength(2);
    expect(redshift.commandCalls(GetStatementResultCommand)).toHaveLength(2);
  });

  it('sends only the parameters the query names (the Data API refuses others)', async () => {
    // Prepare
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-2' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    redshift.on(GetStatementResultCommand).resolves({ ColumnMetadata: [long('n')], Records: [] });

    // Act
    await dataApiReportRunner(redshift as unknown as RedshiftDataClient, { ...target, secretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:admin' }, noWait).query('SELECT 1 AS n WHERE :branch = :branch', { branch: 'Leeds', date: '2024-03-05' });

    // Assess
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input).toMatchObject({ Parameters: [{ name: 'branch', value: 'Leeds' }], SecretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:admin' });
  });

  it.each([
    ['FAILED', { Status: 'FAILED', Error: 'ERROR: permission denied for relation sales' }, /q-3 FAILED: ERROR: permission denied for relation sales/],
    ['ABORTED', { Status: 'ABORTED' }, /q-3 ABORTED: no detail/],
  ] as const)('throws a WarehouseStatementError when the statement is %s', async (_, described, message) => {
    // Prepare
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-3' });
    redshift.on(DescribeStatementCommand).resolves(described);

    // Act
    const act = dataApiReportRunner(redshift as unknown as RedshiftDataClient, target, noWait).query('SELECT 1', {});

    // Assess
    await expect(act).rejects.toThrow(WarehouseStatementError);
    await expect(act).rejects.toThrow(message);
    expect(redshift.commandCalls(GetStatementResultCommand)).toHaveLength(0);
  });

  it('gives up on a statement that does not finish in time', async () => {
    // Prepare: each poll advances the clock a minute
    let clock = 0;
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q-4' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });

    // Act
    const act = dataApiReportRunner(redshift as unknown as RedshiftDataClient, target, { sleep: async () => void (clock += 60_000), clock: () => clock, timeoutMs: 120_000 }).query('SELECT 1', {});

    // Assess
    await expect(act).rejects.toThrow(/q-4 STARTED: timed out/);
  });
});

describe('Function: isoInstantOf', () => {
  it.each([
    ['2024-03-05 09:00:25+00', '2024-03-05T09:00:25+00:00'],
    ['2024-03-05 09:00:25.5+01', '2024-03-05T09:00:25.5+01:00'],
    ['2024-03-05 09:00:25+05:30', '2024-03-05T09:00:25+05:30'],
    ['2024-03-05 09:00:25', '2024-03-05T09:00:25Z'],
    ['not a time', 'not a time'],
  ])('reads %s as %s', (given, iso) => {
    expect(isoInstantOf(given)).toBe(iso);
    if (iso !== given) expect(Number.isNaN(Date.parse(iso))).toBe(false);
  });
});

describe('Function: reconcileBranchDay on the Data API', () => {
  beforeEach(() => redshift.reset());

  it('builds the branch-day report from the same queries the local warehouse runs', async () => {
    // Prepare: one answer per report query, as Redshift would give it
    const answers = new Map<string, { columns: ReturnType<typeof text>[]; records: object[][] }>([
      [RECONCILE_SQL.live, { columns: [long('sales'), long('pence')], records: [[{ longValue: 2 }, { longValue: 490 }]] }],
      [RECONCILE_SQL.refunds, { columns: [long('count'), long('pence')], records: [[{ longValue: 0 }, { longValue: 0 }]] }],
      [RECONCILE_SQL.counted, { columns: [long('sales'), long('pence')], records: [[{ longValue: 3 }, { longValue: 735 }]] }],
      [
        RECONCILE_SQL.files,
        {
          columns: [text('file'), text('version'), long('rows_read'), long('rows_rejected'), long('events_published')],
          records: [[{ stringValue: 'uploads/leeds/day.csv' }, { stringValue: '000000000000000065E2C0D3A1B2C3D4' }, { longValue: 2 }, { longValue: 0 }, { longValue: 2 }]],
        },
      ],
      [RECONCILE_SQL.fileRows, { columns: [long('held'), long('counted')], records: [[{ longValue: 2 }, { longValue: 1 }]] }],
      [
        RECONCILE_SQL.fileOnly,
        {
          columns: [text('event_id'), text('sold_at', 'timestamptz'), long('total_pence'), text('payment_method'), long('item_count')],
          records: [[{ stringValue: 'f'.repeat(32) }, { stringValue: '2024-03-05 10:00:00+00' }, { longValue: 245 }, { stringValue: 'CASH' }, { longValue: 1 }]],
        },
      ],
      [RECONCILE_SQL.liveOnly, { columns: [text('event_id'), text('sold_at', 'timestamptz'), long('total_pence'), text('payment_method'), long('item_count')], records: [] }],
    ]);
    const ids = new Map<string, string>();
    redshift.on(ExecuteStatementCommand).callsFake((input: { Sql: string }) => {
      const id = `q-${ids.size + 1}`;
      ids.set(id, input.Sql);
      return { Id: id };
    });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
    redshift.on(GetStatementResultCommand).callsFake((input: { Id: string }) => {
      const answer = answers.get(ids.get(input.Id) ?? '');
      if (!answer) throw new Error(`unexpected query ${input.Id}`);
      return { ColumnMetadata: answer.columns, Records: answer.records };
    });

    // Act
    const report = await reconcileBranchDay(dataApiReportRunner(redshift as unknown as RedshiftDataClient, target, noWait), { branch: 'Leeds', businessDate: '2024-03-05' });

    // Assess
    expect(ids.size).toBe(Object.keys(RECONCILE_SQL).length);
    expect(report).toMatchObject({
      status: 'differences',
      live: { sales: 2, pence: 490 },
      files: [{ file: 'uploads/leeds/day.csv', version: '000000000000000065E2C0D3A1B2C3D4', rowsRead: 2 }],
      fileRows: { held: 2, matched: 1, counted: 1 },
      fileOnly: { sales: 1, pence: 245, examples: [{ eventId: 'f'.repeat(32), soldAt: '2024-03-05T10:00:00.000Z', paymentMethod: 'CASH' }] },
      liveOnly: { sales: 0 },
      counted: { sales: 3, pence: 735 },
    });
    for (const call of redshift.commandCalls(ExecuteStatementCommand)) expect(call.args[0].input.Parameters).toEqual(expect.arrayContaining([{ name: 'branch', value: 'Leeds' }]));
  });
});
