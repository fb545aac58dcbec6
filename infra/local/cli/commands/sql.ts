import pg from 'pg';
import { runningStack, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

/** `supercafe sql "<query>" [--json]`: one query against the running stack's warehouse, or the embedded one. */
export async function sql(context: CliContext, query: string, options: { json?: boolean }): Promise<ExitStatus> {
  const running = await runningStack(context.dir);
  const url = context.databaseUrl ?? running?.databaseUrl;
  let result: pg.QueryResult;
  const run = async (pool: { query(text: string): Promise<pg.QueryResult> }) =>
    pool.query(query).catch((error: unknown) => {
      // PostgreSQL's own message names the fault in the query the user wrote.
      throw new CliError(`SQL error: ${error instanceof Error ? error.message : String(error)}`);
    });
  if (url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect().catch((error: unknown) => {
      throw new CliError(`cannot reach the warehouse at ${url.replace(/:[^:@/]+@/, ':***@')}: ${error instanceof Error ? error.message : String(error)}`);
    });
    result = await run(client).finally(() => client.end());
  } else {
    const { openWarehouse } = await import('../../emulators/warehouse.js');
    const warehouse = await openWarehouse({ dataPath: context.dir.postgres });
    result = await run(warehouse.pool).finally(() => warehouse.stop());
  }
  if (options.json) console.log(JSON.stringify(result.rows, null, 2));
  else if (result.rows.length > 0) console.table(result.rows);
  else console.log(`${result.command ?? 'OK'} ${result.rowCount ?? 0}`);
  return ExitStatus.Ok;
}
