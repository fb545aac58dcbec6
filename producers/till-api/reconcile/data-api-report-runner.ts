import {
  ExecuteStatementCommand,
  GetStatementResultCommand,
  type ColumnMetadata,
  type Field,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { waitForStatement, type DataApiTarget, type WaitOptions } from '../../../common/redshift-data/data-api.js';
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

/** How long one query may run before the report gives up: a serverless workgroup may be waking. */
const REPORT_QUERY_TIMEOUT_MS = 300_000;
const REPORT_POLL_INTERVAL_MS = 500;

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

/** A ReportQueryRunner on the Redshift Data API (see the module's note). */
export function dataApiReportRunner(client: RedshiftDataClient, target: DataApiTarget, options: WaitOptions = {}): ReportQueryRunner {
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
      await waitForStatement(client, id, { timeoutMs: REPORT_QUERY_TIMEOUT_MS, pollIntervalMs: REPORT_POLL_INTERVAL_MS, ...options });
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
