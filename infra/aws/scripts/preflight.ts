import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GrafanaClient, ListVersionsCommand } from '@aws-sdk/client-grafana';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { CONTEXT_PREFIX, ContextKey, NO_GRAFANA } from '../context.js';
import { GRAFANA_VERSION } from '../functions/constants.js';
import { checkGrafanaPrerequisites, type GrafanaSignIn } from '../functions/grafana-preflight.js';

/**
 * Before a first deploy (docs/aws.md, "A fresh account"): is the account ready?
 * The CDK bootstrap stack must exist, Grafana's sign-in needs what it needs
 * (IAM Identity Center for AWS_SSO), and the Region must offer the Grafana
 * version the workspace asks for (GRAFANA_VERSION). The sign-in check also runs
 * first thing in the dashboards stack; this one says so before anything is created.
 *
 *   npx tsx infra/aws/scripts/preflight.ts [--region eu-west-2] [--grafana AWS_SSO|SAML|none]
 */

/** The CDK bootstrap stack's default name. */
export const BOOTSTRAP_STACK = 'CDKToolkit';

export interface PreflightClients {
  readonly cloudFormation: CloudFormationClient;
  readonly ssoAdmin: SSOAdminClient;
  /** Asks which Grafana versions a new workspace may have; without it the version is not checked. */
  readonly grafana?: GrafanaClient;
}

/** The Grafana versions the Region offers for a new workspace (every page of ListVersions). */
export async function offeredGrafanaVersions(client: GrafanaClient): Promise<string[]> {
  const versions: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListVersionsCommand({ nextToken }));
    versions.push(...(page.grafanaVersions ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return versions;
}

/** What is missing, one line each with what to do; empty when the account is ready. */
export async function preflight(clients: PreflightClients, grafana: GrafanaSignIn | typeof NO_GRAFANA, region: string): Promise<string[]> {
  const missing: string[] = [];
  try {
    await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: BOOTSTRAP_STACK }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ValidationError') throw error;
    missing.push(`The account is not bootstrapped for CDK in ${region}: run npx cdk bootstrap aws://<account>/${region}.`);
  }
  if (grafana !== NO_GRAFANA) {
    missing.push(...(await checkGrafanaPrerequisites(clients.ssoAdmin, grafana)));
    if (clients.grafana) {
      const offered = await offeredGrafanaVersions(clients.grafana);
      if (!offered.includes(GRAFANA_VERSION)) {
        missing.push(`Amazon Managed Grafana in ${region} offers versions ${offered.join(', ') || 'none'}, not ${GRAFANA_VERSION} (GRAFANA_VERSION in infra/aws/functions/constants.ts): pick a Region that has it, or change the constant.`);
      }
    }
  }
  return missing;
}

/** The Grafana sign-in cdk.json sets, the default for `--grafana`. */
function contextGrafana(): string {
  const cdkJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../../cdk.json', import.meta.url)), 'utf8')) as { context: Record<string, unknown> };
  return String(cdkJson.context[`${CONTEXT_PREFIX}${ContextKey.grafanaAuthentication}`] ?? 'AWS_SSO');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { region: { type: 'string' }, grafana: { type: 'string' } } });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('set --region or AWS_REGION');
  const grafana = values.grafana ?? contextGrafana();
  if (!['AWS_SSO', 'SAML', NO_GRAFANA].includes(grafana)) throw new Error(`--grafana must be AWS_SSO, SAML or ${NO_GRAFANA}, got ${grafana}`);
  const missing = await preflight(
    { cloudFormation: new CloudFormationClient({ region }), ssoAdmin: new SSOAdminClient({ region }), grafana: new GrafanaClient({ region }) },
    grafana as GrafanaSignIn,
    region,
  );
  if (missing.length === 0) {
    console.log(`ready to deploy in ${region} (Grafana: ${grafana})`);
    return;
  }
  for (const line of missing) console.log(`missing: ${line}`);
  process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
