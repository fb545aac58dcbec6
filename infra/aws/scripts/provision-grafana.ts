import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateWorkspaceServiceAccountCommand,
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  GrafanaClient,
  ListWorkspaceServiceAccountsCommand,
} from '@aws-sdk/client-grafana';
import { StackOutput } from '../stack-outputs.js';

/**
 * Provisions the deployed Amazon Managed Grafana workspace: the Redshift and
 * CloudWatch data sources (the same uids as grafana/provisioning/aws/datasources,
 * which AMG cannot read from disk) and every dashboard in grafana/dashboards/aws/,
 * read when the script runs, so it always ships the dashboards generated last.
 * Each dashboard's resource variables (Region, stream, consumer function,
 * dead-letter queue) are set from the three stacks' outputs first, so the
 * CloudWatch panels name what is deployed.
 *
 *   npx tsx infra/aws/scripts/provision-grafana.ts [--prefix SuperCafe] [--region eu-west-2]
 *
 * It signs in with a workspace service-account token that lives ten minutes and is
 * deleted at the end; no Grafana credential is stored anywhere.
 */

/** Datasource uids the generated dashboards refer to (grafana/panels/common.ts). */
export const DatasourceUid = { Redshift: 'supercafe-redshift', CloudWatch: 'supercafe-cloudwatch' } as const;
/** On AMG the workspace's IAM role is the "EC2 IAM role" credential source of the AWS plugins. */
export const DEFAULT_AUTH_TYPE = 'ec2_iam_role';
export const DEFAULT_DASHBOARDS_DIR = fileURLToPath(new URL('../../../grafana/dashboards/aws/', import.meta.url));
const FOLDER = { uid: 'supercafe', title: 'Super Café' } as const;
const SERVICE_ACCOUNT = 'supercafe-provisioner';
const TOKEN_SECONDS = 600;

/** A Grafana data source as the HTTP API takes it. */
export interface DatasourceDefinition {
  readonly uid: string;
  readonly name: string;
  readonly type: string;
  readonly access: 'proxy';
  readonly isDefault: boolean;
  readonly jsonData: Readonly<Record<string, unknown>>;
}

export interface WarehouseSettings {
  readonly region: string;
  readonly workgroupName: string;
  readonly database: string;
  readonly authType?: string;
}

/** The two data sources, mirroring grafana/provisioning/aws/datasources/supercafe-aws.yaml. */
export function datasourceDefinitions(settings: WarehouseSettings): DatasourceDefinition[] {
  const authType = settings.authType ?? DEFAULT_AUTH_TYPE;
  return [
    {
      uid: DatasourceUid.Redshift,
      name: 'Super Café warehouse (Redshift)',
      type: 'grafana-redshift-datasource',
      access: 'proxy',
      isDefault: true,
      // Temporary credentials through the Data API: the workspace role maps to dashboard_reader.
      jsonData: { authType, defaultRegion: settings.region, useServerless: true, workgroupName: settings.workgroupName, database: settings.database },
    },
    {
      uid: DatasourceUid.CloudWatch,
      name: 'Super Café CloudWatch',
      type: 'cloudwatch',
      access: 'proxy',
      isDefault: false,
      jsonData: { authType, defaultRegion: settings.region },
    },
  ];
}

export interface DashboardFile {
  readonly file: string;
  readonly dashboard: Record<string, unknown>;
}

/** Reads every `*.json` dashboard in `dir` (sorted), refusing files that are not dashboards. */
export async function loadDashboards(dir: string): Promise<DashboardFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`no dashboard JSON in ${dir}: run the dashboard generator first`);
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || typeof (parsed as { title?: unknown }).title !== 'string') {
        throw new Error(`${file}: not a Grafana dashboard (no title)`);
      }
      return { file, dashboard: parsed as Record<string, unknown> };
    }),
  );
}

/** Every datasource uid a dashboard refers to, except Grafana's built-ins and template variables. */
export function referencedDatasourceUids(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedDatasourceUids(item, found);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'datasource' && child && typeof child === 'object' && !Array.isArray(child)) {
        const uid = (child as { uid?: unknown }).uid;
        if (typeof uid === 'string' && !uid.startsWith('$') && !uid.startsWith('-- ') && uid !== 'grafana' && uid !== '__expr__') found.add(uid);
      }
      referencedDatasourceUids(child, found);
    }
  }
  return found;
}

/** Which stack output fills which dashboard variable (`region` is the Region itself). */
export const VARIABLE_OUTPUTS = {
  stream: StackOutput.StreamName,
  consumer: StackOutput.ConsumerFunctionName,
  dlq: StackOutput.ConsumerDeadLetterQueueName,
} as const;

/**
 * The dashboards' resource variables from the stacks' outputs. Generic in the
 * value so a test can pass the synthesised templates' outputs (CloudFormation
 * expressions) and check what each variable names.
 *
 * @throws Error naming the output when one is missing
 */
export function dashboardVariableValues<T>(outputs: Readonly<Record<string, T>>, region: T): Record<string, T> {
  const values: Record<string, T> = { region };
  for (const [variable, output] of Object.entries(VARIABLE_OUTPUTS)) {
    const value = outputs[output];
    if (value === undefined) throw new Error(`no stack output ${output} for the dashboard variable $${variable} (deploy the pipeline stack first)`);
    values[variable] = value;
  }
  return values;
}

type TemplatingVariable = { name?: string; type?: string; query?: unknown; current?: unknown; options?: unknown };

/**
 * A dashboard with each textbox variable set to its value (query, current and
 * options, as Grafana saves a typed value). Query variables (the branch list)
 * are left to Grafana.
 *
 * @throws Error naming the dashboard and variable when a textbox variable has no value: a panel would query nothing deployed
 */
export function withVariables(dashboard: Record<string, unknown>, values: Readonly<Record<string, string>>): Record<string, unknown> {
  const templating = dashboard.templating as { list?: TemplatingVariable[] } | undefined;
  const list = (templating?.list ?? []).map((variable) => {
    if (variable.type !== 'textbox') return variable;
    const value = variable.name === undefined ? undefined : values[variable.name];
    if (value === undefined) throw new Error(`dashboard ${String(dashboard.title)}: no value for its variable $${variable.name ?? '?'} (add it to VARIABLE_OUTPUTS)`);
    const option = { selected: true, text: value, value };
    return { ...variable, query: value, current: option, options: [option] };
  });
  return templating ? { ...dashboard, templating: { ...templating, list } } : dashboard;
}

/** The few Grafana HTTP calls the provisioning needs. */
export interface GrafanaHttp {
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

/** A GrafanaHttp over fetch, authenticated with a bearer token. */
export function createGrafanaHttp(endpoint: string, token: string, fetchImpl: typeof fetch = fetch): GrafanaHttp {
  const base = endpoint.startsWith('http') ? endpoint : `https://${endpoint}`;
  return {
    async request(method, path, body) {
      const response = await fetchImpl(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  };
}

function check(step: string, response: { status: number; body: unknown }, ok: (status: number) => boolean = (status) => status >= 200 && status < 300): void {
  if (!ok(response.status)) throw new Error(`${step}: Grafana answered ${response.status} ${JSON.stringify(response.body)}`);
}

export interface ProvisionInput {
  readonly http: GrafanaHttp;
  readonly datasources: readonly DatasourceDefinition[];
  readonly dashboards: readonly DashboardFile[];
  /** The dashboards' resource variables (`dashboardVariableValues`). */
  readonly variables: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
}

/** Upserts the data sources, the folder and every dashboard. Idempotent: run it after every deploy. */
export async function provision(input: ProvisionInput): Promise<{ datasources: number; dashboards: number }> {
  const { http } = input;
  const log = input.log ?? (() => undefined);

  const known = new Set(input.datasources.map((datasource) => datasource.uid));
  for (const { file, dashboard } of input.dashboards) {
    const missing = [...referencedDatasourceUids(dashboard)].filter((uid) => !known.has(uid));
    if (missing.length > 0) throw new Error(`${file} uses datasource uid(s) ${missing.join(', ')}, which this script does not provision`);
  }
  // Every variable is set before anything changes.
  const dashboards = input.dashboards.map(({ file, dashboard }) => ({ file, dashboard: withVariables(dashboard, input.variables) }));

  for (const datasource of input.datasources) {
    const existing = await http.request('GET', `/api/datasources/uid/${datasource.uid}`);
    check(`look up datasource ${datasource.uid}`, existing, (status) => status === 200 || status === 404);
    const saved =
      existing.status === 404
        ? await http.request('POST', '/api/datasources', datasource)
        : await http.request('PUT', `/api/datasources/uid/${datasource.uid}`, { ...datasource, id: (existing.body as { id?: number }).id });
    check(`save datasource ${datasource.uid}`, saved);
    log(`datasource ${datasource.uid} ${existing.status === 404 ? 'created' : 'updated'}`);
  }

  const folder = await http.request('POST', '/api/folders', FOLDER);
  // 409/412: the folder is already there.
  check('create folder', folder, (status) => (status >= 200 && status < 300) || status === 409 || status === 412);

  for (const { file, dashboard } of dashboards) {
    const saved = await http.request('POST', '/api/dashboards/db', {
      dashboard: { ...dashboard, id: null },
      folderUid: FOLDER.uid,
      overwrite: true,
      message: 'Provisioned by infra/aws/scripts/provision-grafana.ts',
    });
    check(`save dashboard ${file}`, saved);
    log(`dashboard ${String(dashboard.title)} saved`);
  }
  return { datasources: input.datasources.length, dashboards: input.dashboards.length };
}

/** The outputs of one deployed stack, by key. */
async function outputsOf(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const described = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = described.Stacks?.[0]?.Outputs ?? [];
  return Object.fromEntries(outputs.flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])));
}

/**
 * Reads the outputs the script needs: the dashboards stack's (workspace, and the
 * warehouse it reads), and those of the data and pipeline stacks the dashboards'
 * variables name.
 *
 * @throws Error naming the stack and output when one is missing
 */
export async function readStackOutputs(client: CloudFormationClient, stackName: string, resourceStacks: readonly string[] = []): Promise<Record<string, string>> {
  const byKey = await outputsOf(client, stackName);
  for (const key of [StackOutput.GrafanaWorkspaceId, StackOutput.GrafanaEndpoint, StackOutput.WorkgroupName, StackOutput.DatabaseName]) {
    if (!byKey[key]) throw new Error(`stack ${stackName} has no output ${key}: is it deployed?`);
  }
  const resources = Object.assign({}, ...(await Promise.all(resourceStacks.map((name) => outputsOf(client, name))))) as Record<string, string>;
  return { ...resources, ...byKey };
}

/** A short-lived admin token for the workspace, and how to delete it. */
export async function openToken(client: GrafanaClient, workspaceId: string): Promise<{ key: string; close: () => Promise<void> }> {
  const accounts = await client.send(new ListWorkspaceServiceAccountsCommand({ workspaceId }));
  let serviceAccountId = accounts.serviceAccounts?.find((account) => account.name === SERVICE_ACCOUNT)?.id;
  if (!serviceAccountId) {
    serviceAccountId = (await client.send(new CreateWorkspaceServiceAccountCommand({ workspaceId, name: SERVICE_ACCOUNT, grafanaRole: 'ADMIN' }))).id;
  }
  const created = await client.send(
    new CreateWorkspaceServiceAccountTokenCommand({ workspaceId, serviceAccountId, name: `provision-${Date.now()}`, secondsToLive: TOKEN_SECONDS }),
  );
  const key = created.serviceAccountToken?.key;
  const tokenId = created.serviceAccountToken?.id;
  if (!key || !tokenId || !serviceAccountId) throw new Error('Grafana did not return a service-account token');
  return {
    key,
    close: async () => {
      await client.send(new DeleteWorkspaceServiceAccountTokenCommand({ workspaceId, serviceAccountId, tokenId }));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      prefix: { type: 'string', default: 'SuperCafe' },
      stack: { type: 'string' },
      region: { type: 'string' },
      dashboards: { type: 'string', default: DEFAULT_DASHBOARDS_DIR },
      'auth-type': { type: 'string', default: DEFAULT_AUTH_TYPE },
    },
  });
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('set --region or AWS_REGION');
  const dashboards = await loadDashboards(resolve(values.dashboards));
  const prefix = values.prefix;
  const outputs = await readStackOutputs(new CloudFormationClient({ region }), values.stack ?? `${prefix}Dashboards`, [`${prefix}Data`, `${prefix}Pipeline`]);
  const grafana = new GrafanaClient({ region });
  const workspaceId = outputs[StackOutput.GrafanaWorkspaceId] as string;
  const token = await openToken(grafana, workspaceId);
  try {
    const result = await provision({
      http: createGrafanaHttp(outputs[StackOutput.GrafanaEndpoint] as string, token.key),
      datasources: datasourceDefinitions({
        region,
        workgroupName: outputs[StackOutput.WorkgroupName] as string,
        database: outputs[StackOutput.DatabaseName] as string,
        authType: values['auth-type'],
      }),
      dashboards,
      variables: dashboardVariableValues(outputs, region),
      log: (line) => console.log(line),
    });
    console.log(`provisioned ${result.datasources} data sources and ${result.dashboards} dashboards: https://${outputs[StackOutput.GrafanaEndpoint]}`);
  } finally {
    await token.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
