import type { CredentialStore } from '../../../../producers/till-api/credentials/credentials.js';
import { wantsAws, type AwsTargetOptions } from '../aws-target-options.js';
import { withWarehouse, type CliContext } from '../context.js';
import { CliError, ExitStatus } from '../exit-status.js';

export interface SimulateOptions {
  readonly branches: string;
  readonly rate: string;
  readonly duration: string;
  readonly url: string;
}

/** The till API allows 50 sales/s per till: the simulator spreads its load over enough tills. */
const SALES_PER_SECOND_PER_TILL = 50;

/**
 * `supercafe tills simulate`: realistic sales posted to a running till API at a
 * steady rate, with temporary credentials revoked afterwards. Exits 1 when any
 * request failed (the report says how), 0 otherwise.
 */
export async function simulateTills(context: CliContext, options: SimulateOptions): Promise<ExitStatus> {
  const { loadCatalogue, SAMPLE_CATALOGUE_DIR } = await import('../../../../tools/catalogue/sales-catalogue.js');
  const { issueSimulatorTills, runTillSimulator } = await import('../../../../tools/till-simulator/simulator.js');
  const { createPostgresCredentialStore, issueTillCredential, revokeTillCredential } = await import('../../../../producers/till-api/credentials/credentials.js');
  const rate = Number(options.rate);
  if (!(rate > 0)) throw new CliError(`--rate must be a positive number of sales per second (got "${options.rate}")`);
  return withWarehouse(context, async (pool) => {
    const store = createPostgresCredentialStore(pool);
    const catalogue = await loadCatalogue(SAMPLE_CATALOGUE_DIR);
    const count = Math.max(Number(options.branches), Math.ceil(rate / SALES_PER_SECOND_PER_TILL));
    const credentials = await issueSimulatorTills((branch) => issueTillCredential(store, { branch, label: 'simulator' }), catalogue.branches, count);
    try {
      const report = await runTillSimulator({
        baseUrl: options.url,
        credentials,
        ratePerSecond: rate,
        durationSeconds: Number(options.duration),
        catalogue,
        onProgress: (r) => process.stderr.isTTY && process.stderr.write(`\r${r.salesAccepted} accepted, ${r.errors} errors, ${r.achievedRatePerSecond.toFixed(1)}/s`),
      });
      console.log(`\ntarget ${report.targetRatePerSecond}/s, achieved ${report.achievedRatePerSecond.toFixed(1)}/s over ${report.elapsedSeconds.toFixed(1)} s`);
      console.log(`sales sent ${report.salesSent}, accepted ${report.salesAccepted}, rejected ${report.salesRejected}, skipped ${report.salesSkipped}`);
      console.log(`requests ${report.requests}, errors ${report.errors}, by status ${JSON.stringify(report.statusCounts)}`);
      console.log(`request latency ms: ${JSON.stringify(report.latencyMs)}`);
      if (report.errors > 0) console.error(`supercafe: ${report.errors} request(s) failed (is the stack running at ${options.url}?)`);
      return report.errors > 0 ? ExitStatus.Failed : ExitStatus.Ok;
    } finally {
      for (const till of credentials) await revokeTillCredential(store, till.tillId);
    }
  });
}

/** The options of the credential commands: the local warehouse by default, the deployed DynamoDB table with `--aws`. */
export type TillStoreOptions = AwsTargetOptions;

/**
 * Runs `use` against the credential store the options name: the deployed table
 * (DynamoDB) with `--aws` or `--table`, else the local warehouse's. `where`
 * says which, for the command's output.
 */
async function withTillStore<T>(context: CliContext, options: TillStoreOptions | undefined, use: (store: CredentialStore, where: string) => Promise<T>): Promise<T> {
  if (wantsAws(options)) {
    const { deployedTillStore } = await import('../aws-target.js');
    const { store, tableName, region } = await deployedTillStore(options ?? {});
    return use(store, `DynamoDB table ${tableName}, ${region}`);
  }
  const { createPostgresCredentialStore } = await import('../../../../producers/till-api/credentials/credentials.js');
  return withWarehouse(context, (pool) => use(createPostgresCredentialStore(pool), 'the local warehouse'));
}

/** `supercafe tills issue --branch B [--aws]`: a till credential; the token is shown once and stored only hashed. */
export async function issueTill(context: CliContext, options: { branch: string; label?: string } & TillStoreOptions): Promise<ExitStatus> {
  const { issueTillCredential } = await import('../../../../producers/till-api/credentials/credentials.js');
  const { issued, where } = await withTillStore(context, options, async (store, where) => ({ issued: await issueTillCredential(store, { branch: options.branch, label: options.label }), where }));
  console.log(`till ${issued.tillId} for ${issued.branch} (${where})`);
  console.log(`token (shown once): ${issued.token}`);
  console.log('send it as: Authorization: Bearer <token>');
  return ExitStatus.Ok;
}

/** `supercafe tills revoke <tillId> [--aws]`. */
export async function revokeTill(context: CliContext, tillId: string, options?: TillStoreOptions): Promise<ExitStatus> {
  const { revokeTillCredential } = await import('../../../../producers/till-api/credentials/credentials.js');
  const { revoked, where } = await withTillStore(context, options, async (store, where) => ({ revoked: await revokeTillCredential(store, tillId), where }));
  if (!revoked) throw new CliError(`no active till ${tillId} in ${where} (supercafe tills list${wantsAws(options) ? ' --aws' : ''} shows them)`);
  console.log(`revoked ${tillId} (${where})`);
  return ExitStatus.Ok;
}

/** `supercafe tills list [--aws]`: every credential, never its secret. */
export async function listTills(context: CliContext, options?: TillStoreOptions): Promise<ExitStatus> {
  const { listTillCredentials } = await import('../../../../producers/till-api/credentials/credentials.js');
  const list = await withTillStore(context, options, (store) => listTillCredentials(store));
  if (list.length > 0) console.table(list);
  else console.log('no till credentials');
  return ExitStatus.Ok;
}
