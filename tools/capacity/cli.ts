/**
 * `npm run capacity -- --branches 500 --sales-per-day 300 --till-share 0.2 --region eu-west-2`
 *
 * Plans capacity and monthly cost from the deployment's current settings (cdk.json
 * context, the generated AWS dashboards) and the quotas and prices in
 * aws-figures.ts. Offline; prints a table, `--json` or `--markdown`.
 */
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { REGIONS, isRegion, type Region } from './aws-figures.js';
import { readBenchCompute } from './bench-compute.js';
import { planCapacity, type CapacityPlan } from './plan-capacity.js';
import { DEFAULT_ASSUMPTIONS, type Assumptions, type PlanInputs } from './plan-inputs.js';
import { DEFAULT_PLAN_ENVIRONMENT, readRepositorySettings } from './read-settings.js';
import { renderMarkdown, renderSourcesMarkdown, renderText } from './render-plan.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

function share(value: string): number {
  const parsed = Number(value);
  if (!(parsed >= 0 && parsed <= 1)) throw new InvalidArgumentError('must be a number from 0 to 1');
  return parsed;
}

function keyValue(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

function branchList(value: string): number[] {
  const list = value.split(',').map((part) => positiveInt(part.trim()));
  if (list.length === 0) throw new InvalidArgumentError('expected branch counts such as 50,500,5000');
  return list;
}

function assumptionsFrom(overrides: Record<string, string>, base: Assumptions): Assumptions {
  const next: Record<string, number> = { ...base };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!(key in base)) throw new InvalidArgumentError(`unknown assumption "${key}"; known: ${Object.keys(base).join(', ')}`);
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`assumption ${key} must be a non-negative number, got "${raw}"`);
    next[key] = value;
  }
  return next as unknown as Assumptions;
}

interface Options {
  readonly branches: number;
  readonly compare?: number[];
  readonly salesPerDay: number;
  readonly tillShare: number;
  readonly region: Region;
  readonly accountConcurrency: number;
  readonly newAccount?: boolean;
  readonly bench?: string;
  readonly context: Record<string, string>;
  readonly env: string;
  readonly assume: Record<string, string>;
  readonly dashboardRefresh?: number;
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly sources?: boolean;
}

/** Builds the CLI; `write` receives the output (stdout in use, a buffer in tests). */
export function capacityProgram(write: (text: string) => void = (text) => process.stdout.write(text), repoRoot = REPO_ROOT): Command {
  return new Command('capacity')
    .description('Capacity and cost plan for the Super Café pipeline on AWS (offline; quotas and prices from tools/capacity/aws-figures.ts)')
    .option('--branches <n>', 'branches', positiveInt, 500)
    .option('--compare <list>', 'plan several branch counts, e.g. 50,500,5000', branchList)
    .option('--sales-per-day <n>', 'sales per branch per day', positiveInt, 300)
    .option('--till-share <share>', 'share of branches on live tills (0–1); they upload no nightly file', share, 0.2)
    .addOption(new Option('--region <region>', 'AWS Region').choices(REGIONS).default('eu-west-2'))
    .option('--account-concurrency <n>', "the account's Lambda concurrency quota in the Region", positiveInt, 1000)
    .option('--new-account', "plan for a new account's reduced Lambda pool (10)")
    .option('--bench <file>', 'bench JSON with lambdaPerMillionSales (GB-s or CPU-s per 1M sales), e.g. test-output/bench/bench.json')
    .option('--env <name>', 'the cdk.json environment whose settings apply', DEFAULT_PLAN_ENVIRONMENT)
    .option('-c, --context <key=value>', 'override a cdk.json supercafe:* setting (repeatable)', keyValue, {})
    .option('--dashboard-refresh <seconds>', 'plan every AWS dashboard refreshing at this interval (instead of its generated JSON)', positiveInt)
    .option('--assume <key=value>', 'override a model assumption (repeatable; see plan-inputs.ts)', keyValue, {})
    .option('--json', 'print the plan as JSON')
    .option('--markdown', 'print Markdown (docs/capacity.md)')
    .option('--sources', 'with --markdown: append every quota and price with its source')
    .action((options: Options) => {
      if (!isRegion(options.region)) throw new InvalidArgumentError(`unknown Region ${options.region}`);
      const read = readRepositorySettings(repoRoot, options.context, options.env);
      const refresh = options.dashboardRefresh;
      const settings = refresh === undefined ? read : { ...read, dashboards: read.dashboards.map((d) => ({ ...d, refreshSeconds: refresh })) };
      const measured = options.bench ? readBenchCompute(options.bench) : undefined;
      const assumptions = assumptionsFrom(options.assume, {
        ...DEFAULT_ASSUMPTIONS,
        ...(measured ? { ingestGbSecondsPerMillionSales: measured.ingestGbSecondsPerMillionSales, consumerGbSecondsPerMillionSales: measured.consumerGbSecondsPerMillionSales } : {}),
      });
      const account = { lambdaConcurrency: options.newAccount ? 10 : options.accountConcurrency };
      const plans: CapacityPlan[] = (options.compare ?? [options.branches]).map((branches) => {
        const inputs: PlanInputs = { region: options.region, workload: { branches, salesPerBranchPerDay: options.salesPerDay, tillShare: options.tillShare }, settings, assumptions, account };
        return planCapacity(inputs);
      });
      if (options.json) {
        write(`${JSON.stringify(plans.length === 1 ? plans[0] : plans, null, 2)}\n`);
      } else if (options.markdown) {
        write(plans.map(renderMarkdown).join('\n'));
        if (options.sources) write(`\n${renderSourcesMarkdown()}`);
      } else {
        write(plans.map(renderText).join('\n'));
      }
    });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  capacityProgram()
    .parseAsync(process.argv)
    .catch((error: unknown) => {
      console.error(`capacity: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
