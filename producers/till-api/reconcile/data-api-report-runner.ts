import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type ColumnMetadata,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import type { ReportQueryRunner } from './reconcile-report.js';

/**
 * The reconciliation report's queries on the deployed warehouse, through the
 * Redshift Data API (the workgroup stays private: no network path, no driver).
 * Each query is one ExecuteStatement with the report's named parameters
 * (`:branch`, `:date`), followed by DescribeStatement until it finishes, then
 * every page of GetStatementResult, read into rows keyed by column name. Without
 * `secretArn` the caller signs in as its IAM identity, which the workgroup maps to
 * database roles by its `RedshiftDbRoles` tag (`dashboard_reader` reads the fold's
 * tables); with it, as the secret's user.
 */

export interface DataApiReportTarget {
  readonly workgroupName: string;
  readonly database: string;
  readonly secretArn?: string;
}

export interface DataApiReportOptions {
  readonly pollIntervalMs?: number;
  /** How long one query may run before the report gives up (default 5 minutes: a serverless workgroup may be waking). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** A report query the Data API reported as failed or aborted, or one that did not finish in time. */
export class ReportQueryError extends Error {
  constructor(
    readonly statementId: string,
    readonly status: string,
    detail: string,
  ) {
    super(`reconciliation query ${statementId} ${status}: ${detail}`);
    this.name = 'ReportQueryError';
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Redshift's text for a timestamp (`2024-03-05 09:00:00+00`, or without a zone for
 * TIMESTAMP, which the warehouse keeps in UTC) as ISO 8601, which `Date` reads.
 */
export function isoInstantOf(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::?(\d{2}))?)?$/.exec(text);
  if (!match) return text;
  const [, date, time, hours, minutes] = match;
  return `${date}T${time}${hours === undefined ? 'Z' : `${hours}:${minutes ?? '00'}`}`;
}

/** One field as a plain value; timestamps as ISO 8601. */
function valueOf(field: Field, column: ColumnMetadata | undefined): unknown {
  if (field.isNull) return null;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.stringValue !== undefined) return /^timestamp/i.test(column?.typeName ?? '') ? isoInstantOf(field.stringValue) : field.stringValue;
  return null;
}

async function waitFor(client: RedshiftDataClient, id: string, options: DataApiReportOptions): Promise<void> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    const described = await client.send(new DescribeStatementCommand({ Id: id }));
    const status = described.Status ?? 'UNKNOWN';
    if (status === 'FINISHED') return;
    if (status === 'FAILED' || status === 'ABORTED') throw new ReportQueryError(id, status, described.Error ?? 'no detail');
    if (now() > deadline) throw new ReportQueryError(id, status, 'timed out waiting for the query');
    await sleep(options.pollIntervalMs ?? 500);
  }
}

/** A ReportQueryRunner on the Redshift Data API (see the module's note). */
export function dataApiReportRunner(client: RedshiftDataClient, target: DataApiReportTarget, options: DataApiReportOptions = {}): ReportQueryRunner {
  return {
    async query<T extends Record<string, unknown>>(sql: string, parameters: Readonly<Record<string, string>>): Promise<T[]> {
      // The Data API refuses a parameter the SQL does not name: send only those it does.
      const named = Object.entries(parameters).filter(([name]) => new RegExp(`:${name}\\b`).test(sql));
      const started = await client.send(
        new ExecuteStatementCommand({
          WorkgroupName: target.workgroupName,
          Database: target.database,
          SecretArn: target.secretArn,
          Sql: sql,
          Parameters: named.length > 0 ? named.map(([name, value]) => ({ name, value })) : undefined,
          StatementName: 'supercafe-reconcile',
        }),
      );
      const id = started.Id ?? '';
      await waitFor(client, id, options);
      const rows: T[] = [];
      let nextToken: string | undefined;
      let columns: ColumnMetadata[] = [];
      do {
        const page = await client.send(new GetStatementResultCommand({ Id: id, NextToken: nextToken }));
        // Column names come with the result; a later page may leave them out.
        columns = page.ColumnMetadata ?? columns;
        for (const record of page.Records ?? []) {
          rows.push(Object.fromEntries(record.map((field, index) => [columns[index]?.label ?? columns[index]?.name ?? String(index), valueOf(field, columns[index])])) as T);
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return rows;
    },
  };
}
