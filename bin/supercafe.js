#!/usr/bin/env node
// @ts-check
/**
 * The `supercafe` command line. Its commands and options are declared here, in plain
 * JavaScript, so that `--help`, `--version` and a mistyped command answer at once,
 * without loading TypeScript or any of the pipeline; a command's body
 * (infra/local/cli/commands/) is loaded when it runs, bundled by esbuild on first
 * use (infra/local/bundle/import-bundled.mjs), so a checkout needs no build step. The process exits with the status the command gives
 * (infra/local/cli/exit-status.ts), never one a library's exit hook chose.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

// The AWS SDK warns that it will need Node 22 from 2027; on Node 20 that is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {{ version: string }} */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const program = new Command()
  .name('supercafe')
  .description('Super Café sales pipeline on one machine: CSV and till sales → Kinesis → warehouse → dashboards')
  .version(version, '-V, --version', 'print the version')
  .option('--database-url <url>', 'use this PostgreSQL instead of the embedded one (env DATABASE_URL)', process.env.DATABASE_URL)
  .option('--data-dir <dir>', 'where the local stack keeps its state (env SUPERCAFE_DATA_DIR)', process.env.SUPERCAFE_DATA_DIR ?? '.supercafe')
  .option('--kinesis-endpoint <url>', 'use this Kinesis endpoint instead of a kinesalite started by the stack (env KINESIS_ENDPOINT)', process.env.KINESIS_ENDPOINT)
  .showSuggestionAfterError(true)
  .addHelpText(
    'after',
    `
Exit status: 0 done (rejected rows are reported and quarantined), 1 the command failed,
2 done but at least one file was refused, 130 interrupted by Ctrl-C.`,
  );

/**
 * Runs a command's TypeScript body and exits with its status.
 * @param {import('../infra/local/cli/run-command.js').CommandName} name
 * @param {unknown[]} args the action's arguments (commander's command object last, unused)
 */
async function run(name, ...args) {
  const { importBundled } = await import('../infra/local/bundle/import-bundled.mjs');
  /** @type {typeof import('../infra/local/cli/run-command.js')} */
  const { runCommand } = await importBundled('infra/local/cli/run-command.ts', 'cli');
  process.exit(await runCommand(name, program.opts(), args));
}

program
  .command('start')
  .description('start the local stack, load the sample data, serve the dashboard and till API, and watch the inbox')
  .option('--no-sample', 'do not load the sample data at start')
  .option('--port <port>', 'HTTP port for the dashboard and till API', '3000')
  .option('--host <host>', 'HTTP host to listen on', '127.0.0.1')
  .action((options) => run('start', options));

program
  .command('ingest')
  .description('push CSV files (or folders of them) through the whole local pipeline and wait until they are loaded')
  .argument('<paths...>', 'files or folders')
  .action((paths) => run('ingest', paths));

program
  .command('publish')
  .description('publish CSV files to the stream only (no consumer here), e.g. to a stack started elsewhere with --kinesis-endpoint')
  .argument('<paths...>', 'files or folders')
  .action((paths) => run('publish', paths));

program
  .command('consume')
  .description('run only the consumer: poll the stream (--kinesis-endpoint) and load the warehouse until stopped')
  .action(() => run('consume'));

program
  .command('sql')
  .description('run a query against the warehouse (the running stack\'s, if there is one)')
  .argument('<query>', 'SQL text')
  .option('--json', 'print rows as JSON')
  .action((query, options) => run('sql', query, options));

program
  .command('replay')
  .description('rebuild the warehouse tables from the archive of clean records (<data-dir>/archive)')
  .option('--from <dir>', 'archive folder to replay')
  .action((options) => run('replay', options));

program
  .command('generate')
  .description('write synthetic nightly files (one per branch-day) with distributions taken from the sample data')
  .option('--branches <n>', 'branches', '10')
  .option('--days <d>', 'days', '7')
  .option('--start <YYYY-MM-DD>', 'first business day', '2024-01-01')
  .option('--out <dir>', 'folder to write', 'generated')
  .option('--seed <n>', 'random seed (same seed, same files)', '1')
  .action((options) => run('generate', options));

/**
 * The options that point a command at the deployed pipeline instead of the local warehouse.
 * @param {import('commander').Command} command
 * @param {string} [table] what `--table` names, for a command that works on one table
 */
function awsTarget(command, table) {
  command
    .option('--aws', 'work on the deployed AWS stack (found from its outputs) instead of the local warehouse')
    .option('--stack <name>', 'the data stack to read outputs from (with --aws)', 'SuperCafeData');
  if (table) command.option('--table <name>', `${table} (implies --aws; skips the stack outputs)`);
  return command.option('--region <region>', 'AWS Region (env AWS_REGION)');
}

const tills = program
  .command('tills')
  .description('live tills: credentials, and a simulator that posts realistic sales to a running till API')
  .showSuggestionAfterError(true);

tills
  .command('simulate')
  .description('post realistic sales to a running till API at a steady rate, then report the achieved rate and errors')
  .option('--branches <n>', 'tills to simulate, one per branch of the sample data (more reuse branches)', '5')
  .option('--rate <r>', 'sales per second across all tills', '20')
  .option('--duration <d>', 'seconds to run', '30')
  .option('--url <url>', 'the till API origin', 'http://127.0.0.1:3000')
  .action((options) => run('tills simulate', options));

const TILL_TABLE = 'the till-credentials DynamoDB table';

awsTarget(
  tills
    .command('issue')
    .description('issue a credential for a till of one branch (the token is shown once and stored only hashed)')
    .requiredOption('--branch <branch>', 'the branch the till belongs to')
    .option('--label <label>', 'a note, e.g. the till position'),
  TILL_TABLE,
).action((options) => run('tills issue', options));

awsTarget(tills.command('revoke').description('revoke a till credential').argument('<tillId>'), TILL_TABLE).action((tillId, options) => run('tills revoke', tillId, options));

awsTarget(tills.command('list').description('list till credentials (never their secrets)'), TILL_TABLE).action((options) => run('tills list', options));

awsTarget(
  program
    .command('erase')
    .description("erase one customer's data: untie their sales from them in the warehouse and the archives, and record the erasure so replays honour it")
    .option('--identity-file <file>', 'JSON { "name": "...", "cards": ["..."], "includeCash": false } (keeps the identity out of shell history)')
    .option('--name <name>', "the customer's name as the tills and files carry it")
    .option('--card <number>', 'a card they paid with (repeatable)', (value, previous = []) => [...previous, value])
    .option('--cash', 'also their sales without a whole card number (a key shared with namesakes who paid that way)')
    .option('--dry-run', 'count what would change; change nothing'),
).action((options) => run('erase', options));

awsTarget(
  program
    .command('reconcile')
    .description("compare a till-enabled branch's live sales with its nightly file for one day (--aws: the deployed warehouse, through the Redshift Data API)")
    .requiredOption('--branch <branch>')
    .requiredOption('--date <YYYY-MM-DD>')
    .option('--json', 'print the report as JSON')
    .option('--admin', "with --aws: sign in with the stack's admin secret instead of your IAM identity"),
).action((options) => run('reconcile', options));

await program.parseAsync(process.argv);
