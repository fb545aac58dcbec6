import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateWorkspaceServiceAccountCommand,
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  GrafanaClient,
  ListWorkspaceServiceAccountsCommand,
} from '@aws-sdk/client-grafana';
import { mockClient } from 'aws-sdk-client-mock';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DASHBOARDS_DIR,
  DatasourceUid,
  dashboardVariableValues,
  datasourceDefinitions,
  loadDashboards,
  openToken,
  provision,
  referencedDatasourceUids,
  type GrafanaHttp,
} from '../../infra/aws/scripts/provision-grafana.js';
import { testStacks } from './helpers.js';

const settings = { region: 'eu-west-2', workgroupName: 'supercafe', database: 'supercafe' };
const variables = { region: 'eu-west-2', stream: 'SuperCafeData-SalesEventsStream-abc', consumer: 'SuperCafePipeline-SalesTransform-xyz', dlq: 'SuperCafePipeline-Dlq-123' };
const salesDashboard = {
  title: 'Sales overview',
  uid: 'supercafe-sales',
  panels: [
    { type: 'stat', datasource: { type: 'grafana-redshift-datasource', uid: DatasourceUid.Redshift }, targets: [{ refId: 'A', rawSQL: 'SELECT 1', format: 1 }] },
    { type: 'timeseries', datasource: { type: 'cloudwatch', uid: DatasourceUid.CloudWatch } },
    { type: 'text', datasource: { type: 'datasource', uid: 'grafana' } },
  ],
};

/** A Grafana that knows the datasources in `existing`, recording every call. */
function fakeGrafana(existing: Record<string, number> = {}): GrafanaHttp & { calls: { method: string; path: string; body?: unknown }[] } {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  return {
    calls,
    async request(method, path, body) {
      calls.push({ method, path, body });
      const lookup = /^\/api\/datasources\/uid\/(.+)$/.exec(path);
      if (method === 'GET' && lookup) {
        const id = existing[lookup[1] ?? ''];
        return id === undefined ? { status: 404, body: { message: 'Data source not found' } } : { status: 200, body: { id } };
      }
      if (path === '/api/folders') return { status: 409, body: { message: 'a folder with the same uid already exists' } };
      return { status: 200, body: { status: 'success' } };
    },
  };
}

describe('Function: datasourceDefinitions', () => {
  it('points the Redshift source at the serverless workgroup with the workspace role', () => {
    // Act
    const [redshift, cloudWatch] = datasourceDefinitions(settings);

    // Assess
    expect(redshift).toMatchObject({
      uid: 'supercafe-redshift',
      type: 'grafana-redshift-datasource',
      isDefault: true,
      jsonData: { authType: 'ec2_iam_role', defaultRegion: 'eu-west-2', useServerless: true, workgroupName: 'supercafe', database: 'supercafe' },
    });
    expect(cloudWatch).toMatchObject({ uid: 'supercafe-cloudwatch', type: 'cloudwatch' });
    expect(JSON.stringify([redshift, cloudWatch])).not.toMatch(/password|secret/i);
  });
});

describe('Function: referencedDatasourceUids', () => {
  it('finds the dashboard datasources, skipping built-ins', () => {
    // Act
    const uids = referencedDatasourceUids(salesDashboard);

    // Assess
    expect([...uids].sort()).toEqual(['supercafe-cloudwatch', 'supercafe-redshift']);
  });
});

describe('Function: loadDashboards', () => {
  it('reads the JSON dashboards of a folder at run time', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'dashboards-'));
    await writeFile(join(dir, 'b.json'), JSON.stringify(salesDashboard));
    await writeFile(join(dir, 'a.json'), JSON.stringify({ ...salesDashboard, title: 'Ops' }));
    await writeFile(join(dir, 'notes.txt'), 'ignored');

    // Act
    const loaded = await loadDashboards(dir);

    // Assess
    expect(loaded.map((entry) => entry.dashboard.title)).toEqual(['Ops', 'Sales overview']);
  });

  it('refuses an empty folder and a file that is not a dashboard', async () => {
    // Prepare
    const empty = await mkdtemp(join(tmpdir(), 'dashboards-'));
    const bad = await mkdtemp(join(tmpdir(), 'dashboards-'));
    await writeFile(join(bad, 'x.json'), '[1, 2]');

    // Act + Assess
    await expect(loadDashboards(empty)).rejects.toThrow(/no dashboard JSON/);
    await expect(loadDashboards(bad)).rejects.toThrow(/not a Grafana dashboard/);
  });

  it.skipIf(!existsSync(DEFAULT_DASHBOARDS_DIR))('covers every datasource the generated AWS dashboards use', async () => {
    // Act
    const dashboards = await loadDashboards(DEFAULT_DASHBOARDS_DIR);

    // Assess
    const provisioned = new Set(datasourceDefinitions(settings).map((datasource) => datasource.uid));
    for (const { file, dashboard } of dashboards) {
      for (const uid of referencedDatasourceUids(dashboard)) expect(provisioned.has(uid), `${file}: ${uid}`).toBe(true);
    }
  });
});

describe('Function: provision', () => {
  it('creates missing data sources, updates existing ones, and overwrites dashboards in the folder', async () => {
    // Prepare
    const grafana = fakeGrafana({ 'supercafe-cloudwatch': 7 });

    // Act
    const result = await provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [{ file: 'sales.json', dashboard: salesDashboard }], variables });

    // Assess
    expect(result).toEqual({ datasources: 2, dashboards: 1 });
    expect(grafana.calls.map(({ method, path }) => `${method} ${path}`)).toEqual([
      'GET /api/datasources/uid/supercafe-redshift',
      'POST /api/datasources',
      'GET /api/datasources/uid/supercafe-cloudwatch',
      'PUT /api/datasources/uid/supercafe-cloudwatch',
      'POST /api/folders',
      'POST /api/dashboards/db',
    ]);
    expect(grafana.calls[3]?.body).toMatchObject({ id: 7, uid: 'supercafe-cloudwatch' });
    expect(grafana.calls[5]?.body).toMatchObject({ folderUid: 'supercafe', overwrite: true, dashboard: { title: 'Sales overview', id: null } });
  });

  it('refuses a dashboard that uses a datasource it does not provision, before changing anything', async () => {
    // Prepare
    const grafana = fakeGrafana();
    const stray = { title: 'Stray', panels: [{ datasource: { type: 'postgres', uid: 'supercafe-warehouse' } }] };

    // Act
    const outcome = provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [{ file: 'stray.json', dashboard: stray }], variables });

    // Assess
    await expect(outcome).rejects.toThrow(/stray\.json uses datasource uid\(s\) supercafe-warehouse/);
    expect(grafana.calls).toEqual([]);
  });

  it('sets every variable of every AWS dashboard from the stack outputs before saving it', async () => {
    // Prepare
    const grafana = fakeGrafana();
    const dashboards = await loadDashboards(DEFAULT_DASHBOARDS_DIR);

    // Act
    await provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards, variables });

    // Assess
    const saved = grafana.calls.filter((call) => call.path === '/api/dashboards/db').map((call) => (call.body as { dashboard: { templating?: { list: Variable[] } } }).dashboard);
    expect(saved).toHaveLength(dashboards.length);
    const textboxes = saved.flatMap((dashboard) => (dashboard.templating?.list ?? []).filter((variable) => variable.type === 'textbox'));
    expect(textboxes.map((variable) => variable.name).sort()).toEqual(['consumer', 'dlq', 'region', 'stream']);
    for (const variable of textboxes) {
      const value = variables[variable.name as keyof typeof variables];
      expect(variable).toMatchObject({ query: value, current: { selected: true, text: value, value } });
    }
  });

  it('refuses, before changing anything, a dashboard variable no output fills', async () => {
    // Prepare
    const grafana = fakeGrafana();
    const dashboard = { title: 'Ops', templating: { list: [{ type: 'textbox', name: 'bucket', query: 'nothing-deployed' }] } };

    // Act
    const outcome = provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [{ file: 'ops.json', dashboard }], variables });

    // Assess
    await expect(outcome).rejects.toThrow('dashboard Ops: no value for its variable $bucket (add it to VARIABLE_OUTPUTS)');
    expect(grafana.calls).toEqual([]);
  });

  it('stops with Grafana’s answer when a save fails', async () => {
    // Prepare
    const grafana: GrafanaHttp = { request: async (method) => (method === 'GET' ? { status: 404, body: {} } : { status: 403, body: { message: 'Permissions needed' } }) };

    // Act
    const outcome = provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [], variables });

    // Assess
    await expect(outcome).rejects.toThrow(/save datasource supercafe-redshift: Grafana answered 403/);
  });
});

type Variable = { type?: string; name?: string; query?: unknown; current?: unknown };

describe('Function: dashboardVariableValues', () => {
  it('names the output each variable needs when a stack lacks it', () => {
    expect(() => dashboardVariableValues({ StreamName: 's' }, 'eu-west-2')).toThrow(/no stack output ConsumerFunctionName for the dashboard variable \$consumer/);
  });
});

/**
 * The operations dashboard's CloudWatch panels against the synthesised stacks:
 * each query's dimensions, with the variables filled from the outputs the way
 * provisioning fills them, name a resource the templates create.
 */
describe('Dashboard: every CloudWatch query of the operations dashboard names a deployed resource', () => {
  type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  let resources: Resources;
  let values: Record<string, unknown>;
  let targets: { namespace: string; metricName: string; dimensions: Record<string, string> }[];

  beforeAll(async () => {
    const { data, pipeline } = testStacks({ grafana: 'none' });
    const templates = [Template.fromStack(data).toJSON(), Template.fromStack(pipeline).toJSON()] as { Resources: Resources; Outputs: Record<string, { Value: unknown }> }[];
    resources = Object.assign({}, ...templates.map((template) => template.Resources)) as Resources;
    const outputs = Object.fromEntries(templates.flatMap((template) => Object.entries(template.Outputs).map(([key, output]) => [key, output.Value])));
    values = dashboardVariableValues(outputs, 'eu-west-2');
    const operations = JSON.parse(await readFile(join(DEFAULT_DASHBOARDS_DIR, 'pipeline-operations.json'), 'utf8')) as { panels: { targets?: Record<string, unknown>[] }[] };
    targets = operations.panels
      .flatMap((panel) => panel.targets ?? [])
      .filter((target) => (target.datasource as { type?: string } | undefined)?.type === 'cloudwatch') as typeof targets;
  });

  /** What a dimension value names: the output's CloudFormation expression for a `$variable`, the text otherwise. */
  const resolve = (value: string) => (value.startsWith('$') ? values[value.slice(1)] : value);
  const resourceOf = (expression: unknown, type: string) => {
    const ref = (expression as { Ref?: string }).Ref ?? (expression as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    return ref === undefined ? undefined : resources[ref]?.Type === type ? resources[ref] : undefined;
  };
  const functionsOf = (service: string) =>
    Object.values(resources).filter((resource) => {
      const name = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.POWERTOOLS_SERVICE_NAME;
      return resource.Type === 'AWS::Lambda::Function' && name !== undefined && (service === '*' || name === service);
    });

  it('has CloudWatch queries to check', () => {
    expect(targets.length).toBeGreaterThan(5);
  });

  it('fills every variable a query uses', () => {
    for (const target of targets) for (const value of Object.values(target.dimensions)) if (value.startsWith('$')) expect(values[value.slice(1)], value).toBeDefined();
  });

  it('names, for each dimension, a stream, function, queue or metric-publishing service that the templates create', () => {
    for (const { namespace, metricName, dimensions } of targets) {
      for (const [name, value] of Object.entries(dimensions)) {
        const where = `${namespace} ${metricName} ${name}=${value}`;
        const resolved = resolve(value);
        switch (name) {
          case 'StreamName':
            expect(resourceOf(resolved, 'AWS::Kinesis::Stream'), where).toBeDefined();
            break;
          case 'FunctionName':
            expect(resourceOf(resolved, 'AWS::Lambda::Function'), where).toBeDefined();
            break;
          case 'QueueName':
            expect(resourceOf(resolved, 'AWS::SQS::Queue'), where).toBeDefined();
            expect((resolved as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[1], where).toBe('QueueName');
            break;
          case 'service': {
            // A Powertools metric: some function publishes it under this namespace and service (`*`: any of them, one series each).
            const publishers = functionsOf(String(resolved));
            expect(publishers.length, where).toBeGreaterThan(0);
            for (const fn of publishers) expect((fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_METRICS_NAMESPACE, where).toBe(namespace);
            break;
          }
          default:
            throw new Error(`${where}: a dimension this test does not know how to check`);
        }
      }
    }
  });

  it('reads the consumer and its dead-letter queue, not another function’s', () => {
    // Assess
    const consumer = resourceOf(values.consumer, 'AWS::Lambda::Function');
    expect((consumer?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.POWERTOOLS_SERVICE_NAME).toBe('sales-transform');
    const mapping = Object.values(resources).find((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping');
    expect(JSON.stringify(mapping?.Properties?.DestinationConfig)).toContain((values.dlq as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
  });
});

describe('Function: openToken', () => {
  const grafana = mockClient(GrafanaClient);

  beforeEach(() => {
    grafana.reset();
  });

  it('issues a ten-minute admin token from the provisioner service account and deletes it after', async () => {
    // Prepare
    grafana.on(ListWorkspaceServiceAccountsCommand).resolves({ serviceAccounts: [] });
    grafana.on(CreateWorkspaceServiceAccountCommand).resolves({ id: 'sa-1', name: 'supercafe-provisioner', grafanaRole: 'ADMIN' });
    grafana.on(CreateWorkspaceServiceAccountTokenCommand).resolves({ serviceAccountToken: { id: 'tok-1', name: 'provision', key: 'glsa_x' } });
    grafana.on(DeleteWorkspaceServiceAccountTokenCommand).resolves({});

    // Act
    const token = await openToken(new GrafanaClient({ region: 'eu-west-2' }), 'g-123');
    await token.close();

    // Assess
    expect(token.key).toBe('glsa_x');
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountCommand)[0]?.args[0].input).toMatchObject({ grafanaRole: 'ADMIN', workspaceId: 'g-123' });
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountTokenCommand)[0]?.args[0].input).toMatchObject({ serviceAccountId: 'sa-1', secondsToLive: 600 });
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)[0]?.args[0].input).toEqual({ workspaceId: 'g-123', serviceAccountId: 'sa-1', tokenId: 'tok-1' });
  });
});
