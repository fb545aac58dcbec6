import { runningStack, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

/** `supercafe replay [--from dir]`: rebuild the warehouse tables from the archive of clean records. */
export async function replay(context: CliContext, options: { from?: string }): Promise<ExitStatus> {
  if (await runningStack(context.dir)) throw new CliError('stop the running stack before replaying into its warehouse');
  const { openWarehouse } = await import('../../emulators/warehouse.js');
  const { replayArchive } = await import('../../consumer/replay.js');
  const { readSuppressionList } = await import('../../erasure/local-erasure.js');
  const suppression = await readSuppressionList(context.dir);
  const warehouse = await openWarehouse({ databaseUrl: context.databaseUrl, dataPath: context.dir.postgres });
  try {
    const started = performance.now();
    const { records, damagedLines } = await replayArchive(warehouse.pool, options.from ?? context.dir.archive, (count) => {
      if (process.stderr.isTTY) process.stderr.write(`\rreplayed ${count} records`);
    }, suppression);
    const { rows } = await warehouse.pool.query<{ sales: number; revenue: string | null }>('SELECT count(*)::int AS sales, sum(total_pence) AS revenue FROM sales');
    if (suppression.size > 0) console.log(`\nhonoured ${suppression.size} erasure(s) (${context.dir.root}/erasures.ndjson)`);
    console.log(`\nreplayed ${records} records in ${((performance.now() - started) / 1000).toFixed(1)} s: ${rows[0]?.sales ?? 0} sales, ${rows[0]?.revenue ?? 0} pence`);
    if (damagedLines.length > 0) {
      console.log(`skipped ${damagedLines.length} line(s) cut by a consumer killed mid-write (their batches were archived again): ${damagedLines.slice(0, 5).join(', ')}`);
    }
    return ExitStatus.Ok;
  } finally {
    await warehouse.stop();
  }
}
