import cliProgress from 'cli-progress';
import type { LocalStack } from '../stack/embedded-stack.js';
import { ingestPaths, type IngestRun } from '../stack/ingest-paths.js';
import { InterruptedError } from './exit-status.js';
import { formatSummary } from './summary.js';

/** How often the loading count is read while waiting for the consumer (ms). */
const LOADED_POLL_MS = 500;

async function salesCount(stack: LocalStack): Promise<number> {
  const result = await stack.warehouse.pool.query<{ n: string }>('SELECT count(*) AS n FROM sales');
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Publishes files, shows progress (a bar on a terminal, one line otherwise), waits
 * until the consumer has loaded everything, and prints the summary.
 *
 * When `signal` aborts (Ctrl-C), no further file is started and the wait ends; it
 * throws {@link InterruptedError} saying how many sales were loaded by then (counted
 * while loading, since PostgreSQL receives the terminal's Ctrl-C too) and that
 * running the same command again is safe: event ids make every load idempotent.
 */
export async function ingestAndReport(stack: LocalStack, paths: readonly string[], signal?: AbortSignal): Promise<IngestRun> {
  const before = await salesCount(stack);
  const interactive = process.stderr.isTTY;
  const bar = interactive
    ? new cliProgress.SingleBar({ format: 'publishing {bar} {value}/{total} files | {rows} rows | {file}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
    : undefined;
  let barStarted = false;
  let publishing = true;
  let loaded = 0;
  // Counted while publishing and loading (the consumer loads as files are published),
  // so an interruption can still say how far it got.
  const poll = setInterval(() => {
    salesCount(stack).then(
      (count) => {
        loaded = count - before;
        if (interactive && !publishing) process.stderr.write(`\rloading into the warehouse… ${loaded} sales`);
      },
      () => undefined,
    );
  }, LOADED_POLL_MS);
  const interrupted = () => new InterruptedError(`interrupted: ${loaded} new sale(s) loaded so far; running the same command again is safe (sales already loaded are not counted twice)`);
  try {
    const run = await ingestPaths(stack, paths, {
      signal,
      onProgress: ({ file, filesDone, files, rowsRead }) => {
        if (bar && !barStarted) {
          bar.start(files, 0, { rows: 0, file });
          barStarted = true;
        }
        bar?.update(filesDone, { rows: rowsRead, file });
        if (!interactive && filesDone > 0 && filesDone === files) console.error(`published ${files} file(s), ${rowsRead} rows`);
      },
    }).finally(() => bar?.stop());
    publishing = false;
    if (signal?.aborted) throw interrupted();
    if (interactive) process.stderr.write('loading into the warehouse…');
    await stack.waitFor(run.receipt, signal);
    await stack.metrics.flush();
    if (interactive) process.stderr.write(' done\n');
    console.log(formatSummary(run, (await salesCount(stack)) - before));
    return run;
  } catch (error) {
    throw signal?.aborted ? interrupted() : error;
  } finally {
    clearInterval(poll);
  }
}
