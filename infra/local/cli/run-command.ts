import { cliContext, type CliContext, type GlobalOptions } from './context.js';
import { CliError, ExitStatus, InterruptedError } from './exit-status.js';
import type { EraseOptions } from './commands/erase.js';
import type { GenerateOptions } from './commands/generate.js';
import type { ReconcileOptions } from './commands/reconcile.js';
import type { StartOptions } from './commands/start.js';
import type { SimulateOptions, TillStoreOptions } from './commands/tills.js';

type Runner = (context: CliContext, args: readonly unknown[]) => Promise<ExitStatus>;

// Each command's module is loaded only when that command runs: `--help` loads none.
const RUNNERS = {
  ingest: async (context, [paths]) => (await import('./commands/ingest.js')).ingest(context, paths as string[]),
  publish: async (context, [paths]) => (await import('./commands/ingest.js')).publish(context, paths as string[]),
  consume: async (context) => (await import('./commands/consume.js')).consume(context),
  sql: async (context, [query, options]) => (await import('./commands/sql.js')).sql(context, query as string, options as { json?: boolean }),
  replay: async (context, [options]) => (await import('./commands/replay.js')).replay(context, options as { from?: string }),
  generate: async (_context, [options]) => (await import('./commands/generate.js')).generate(options as GenerateOptions),
  'tills simulate': async (context, [options]) => (await import('./commands/tills.js')).simulateTills(context, options as SimulateOptions),
  'tills issue': async (context, [options]) => (await import('./commands/tills.js')).issueTill(context, options as { branch: string; label?: string } & TillStoreOptions),
  'tills revoke': async (context, [tillId, options]) => (await import('./commands/tills.js')).revokeTill(context, tillId as string, options as TillStoreOptions),
  'tills list': async (context, [options]) => (await import('./commands/tills.js')).listTills(context, options as TillStoreOptions),
  erase: async (context, [options]) => (await import('./commands/erase.js')).erase(context, options as EraseOptions),
  reconcile: async (context, [options]) => (await import('./commands/reconcile.js')).reconcile(context, options as ReconcileOptions),
  start: async (context, [options]) => (await import('./commands/start.js')).start(context, options as StartOptions),
} satisfies Record<string, Runner>;

/** A command the CLI can run, as `bin/supercafe.js` names it. */
export type CommandName = keyof typeof RUNNERS;

/**
 * Runs one command and gives the status the process must exit with: the
 * command's own (0 or 2), 1 when it failed, 130 when Ctrl-C stopped it. Errors
 * are printed as one line, `supercafe: <message>`; a stack trace only with
 * `SUPERCAFE_DEBUG=1`.
 */
export async function runCommand(name: CommandName, globals: GlobalOptions, args: readonly unknown[]): Promise<ExitStatus> {
  try {
    return await RUNNERS[name](cliContext(globals), args);
  } catch (error) {
    console.error(`supercafe: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.SUPERCAFE_DEBUG === '1' && !(error instanceof CliError)) console.error(error);
    return error instanceof InterruptedError ? ExitStatus.Interrupted : ExitStatus.Failed;
  }
}
