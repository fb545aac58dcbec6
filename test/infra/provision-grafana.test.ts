import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
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
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_DASHBOARDS_DIR,
  DatasourceUid,
  datasourceDefinitions,
  loadDashboards,
  openToken,
  provision,
  referencedDatasourceUids,
  type GrafanaHttp,
} from '../../infra/aws/scripts/provision-grafana.js';

const settings = { region: 'eu-west-2', workgroupName: 'supercafe', database: 'supercafe' };
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
    const result = await provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [{ file: 'sales.json', dashboard: salesDashboard }] });

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
    const outcome = provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [{ file: 'stray.json', dashboard: stray }] });

    // Assess
    await expect(outcome).rejects.toThrow(/stray\.json uses datasource uid\(s\) supercafe-warehouse/);
    expect(grafana.calls).toEqual([]);
  });

  it('stops with Grafana’s answer when a save fails', async () => {
    // Prepare
    const grafana: GrafanaHttp = { request: async (method) => (method === 'GET' ? { status: 404, body: {} } : { status: 403, body: { message: 'Permissions needed' } }) };

    // Act
    const outcome = provision({ http: grafana, datasources: datasourceDefinitions(settings), dashboards: [] });

    // Assess
    await expect(outcome).rejects.toThrow(/save datasource supercafe-redshift: Grafana answered 403/);
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
