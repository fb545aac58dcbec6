import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';

/**
 * The Redshift Data API as the operations functions and `supercafe reconcile --aws`
 * use it: submit, wait, read.
 * The Data API needs no network path to the workgroup (it stays private) and no
 * stored password when the caller signs in with its IAM identity: the workgroup
 * then maps the caller's `RedshiftDbRoles` principal tag to database roles.
 */

/** Where statements run. Without `secretArn` the caller signs in as its IAM identity (temporary credentials). */
export interface DataApiTarget {
  readonly workgroupName: string;
  readonly database: string;
  /** The admin secret: only the deploy-time schema step uses it. */
  readonly secretArn?: string;
}

export interface WaitOptions {
  /** Between DescribeStatement calls (default 1 s). */
  readonly pollIntervalMs?: number;
  /** How long a statement may run before the wait gives up (default 10 minutes). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock, in epoch ms (tests move it). */
  readonly clock?: () => number;
}

/** A statement the Data API reported as failed or aborted, or one that did not finish in time. */
export class WarehouseStatementError extends Error {
  constructor(
    readonly statementId: string,
    readonly status: string,
    detail: string,
  ) {
    super(`Redshift statement ${statementId} ${status}: ${detail}`);
    this.name = 'WarehouseStatementError';
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the statement finishes; throws WarehouseStatementError on FAILED, ABORTED or timeout.
 *
 * @returns the rows the statement changed or returned (`ResultRows`; -1 when the Data API does not say)
 */
export async function waitForStatement(client: RedshiftDataClient, statementId: string, options: WaitOptions = {}): Promise<number> {
  const sleep = options.sleep ?? realSleep;
  const now = options.clock ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const described = await client.send(new DescribeStatementCommand({ Id: statementId }));
    const status = described.Status ?? 'UNKNOWN';
    if (status === 'FINISHED') return described.ResultRows ?? -1;
    if (status === 'FAILED' || status === 'ABORTED') throw new WarehouseStatementError(statementId, status, described.Error ?? 'no detail');
    if (now() > deadline) throw new WarehouseStatementError(statementId, status, 'timed out waiting for the statement');
    await sleep(options.pollIntervalMs ?? 1_000);
  }
}

export interface BatchOptions extends WaitOptions {
  /** Names the statements in the console and in EventBridge status events. */
  readonly statementName?: string;
  /** Emit an EventBridge event when the batch ends (the failed-statement rule alarms on FAILED). */
  readonly withEvent?: boolean;
}

/** Runs statements as one transaction (BatchExecuteStatement) and waits; returns the statement id. */
export async function runTransaction(client: RedshiftDataClient, target: DataApiTarget, sqls: readonly string[], options: BatchOptions = {}): Promise<string> {
  if (sqls.length === 0) return '';
  const started = await client.send(
    new BatchExecuteStatementCommand({
      WorkgroupName: target.workgroupName,
      Database: target.database,
      SecretArn: target.secretArn,
      Sqls: [...sqls],
      StatementName: options.statementName,
      WithEvent: options.withEvent,
    }),
  );
  const id = started.Id ?? '';
  await waitForStatement(client, id, options);
  return id;
}

/** Runs one statement that changes rows (an UPDATE), waits, and returns how many it changed. */
export async function execute(client: RedshiftDataClient, target: DataApiTarget, sql: string, options: WaitOptions & { readonly statementName?: string } = {}): Promise<number> {
  const started = await client.send(
    new ExecuteStatementCommand({ WorkgroupName: target.workgroupName, Database: target.database, SecretArn: target.secretArn, Sql: sql, StatementName: options.statementName }),
  );
  return waitForStatement(client, started.Id ?? '', options);
}

/** A result value as a plain JS value. */
function valueOf(field: Field): string | number | boolean | null {
  if (field.isNull) return null;
  return field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue ?? null;
}

/** Runs one query, waits, and returns every row (all result pages) as arrays of values. */
export async function query(client: RedshiftDataClient, target: DataApiTarget, sql: string, options: WaitOptions & { readonly parameters?: Record<string, string> } = {}): Promise<(string | number | boolean | null)[][]> {
  const started = await client.send(
    new ExecuteStatementCommand({
      WorkgroupName: target.workgroupName,
      Database: target.database,
      SecretArn: target.secretArn,
      Sql: sql,
      Parameters: options.parameters ? Object.entries(options.parameters).map(([name, value]) => ({ name, value })) : undefined,
    }),
  );
  const id = started.Id ?? '';
  await waitForStatement(client, id, options);
  const rows: (string | number | boolean | null)[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
    for (const record of page.Records ?? []) rows.push(record.map(valueOf));
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}
