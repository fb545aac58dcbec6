import type { CliContext } from '../context.js';
import { onStopSignal, openStack } from '../context.js';
import { ExitStatus } from '../exit-status.js';
import { ingestAndReport } from '../ingest-report.js';
import { formatSummary } from '../summary.js';

/**
 * `supercafe ingest <paths...>`: every file through the whole local pipeline, waiting
 * until the warehouse has it. Exits 2 when a file was refused, 130 on Ctrl-C (after
 * stopping the stack in order, so no stack file is left behind).
 */
export async function ingest(context: CliContext, paths: readonly string[]): Promise<ExitStatus> {
  const stack = await openStack(context);
  const interrupt = new AbortController();
  onStopSignal(() => interrupt.abort());
  try {
    const run = await ingestAndReport(stack, paths, interrupt.signal);
    return run.failures.length > 0 ? ExitStatus.FileRefused : ExitStatus.Ok;
  } finally {
    await stack.stop().catch((error: unknown) => {
      // After Ctrl-C PostgreSQL may already be gone: the stop still removes the stack file.
      if (!interrupt.signal.aborted) throw error;
    });
  }
}

/** `supercafe publish <paths...>`: the producer alone, into a stream another process consumes. */
export async function publish(context: CliContext, paths: readonly string[]): Promise<ExitStatus> {
  const stack = await openStack(context, { consumer: false });
  const interrupt = new AbortController();
  onStopSignal(() => interrupt.abort());
  try {
    const { ingestPaths } = await import('../../stack/ingest-paths.js');
    const run = await ingestPaths(stack, paths, { signal: interrupt.signal });
    console.log(formatSummary(run, 0).replace(/^sales loaded:.*$/m, 'sales loaded:      (by the consumer of that stream)'));
    if (interrupt.signal.aborted) return ExitStatus.Interrupted;
    return run.failures.length > 0 ? ExitStatus.FileRefused : ExitStatus.Ok;
  } finally {
    await stack.stop();
  }
}
