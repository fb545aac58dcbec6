import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readPipelineContext, unknownContextKeys } from '../../infra/aws/context.js';

const lookupOf = (context: Record<string, unknown>) => (key: string) => context[key];

describe('Function: readPipelineContext', () => {
  it('defaults everything but the stack prefix and Grafana sign-in', () => {
    // Act
    const { stackPrefix, data, pipeline, dashboards } = readPipelineContext(lookupOf({}));

    // Assess
    expect(stackPrefix).toBe('SuperCafe');
    expect(Object.values(data).every((value) => value === undefined)).toBe(true);
    expect(Object.values(pipeline).every((value) => value === undefined)).toBe(true);
    expect(dashboards).toEqual({ authentication: 'AWS_SSO' });
  });

  it.each([
    ['SAML', { authentication: 'SAML' }],
    ['none', undefined],
  ])('chooses Grafana sign-in %s by context (none leaves the dashboards stack out)', (value, dashboards) => {
    // Act
    const settings = readPipelineContext(lookupOf({ 'supercafe:grafanaAuthentication': value }));

    // Assess
    expect(settings.dashboards).toEqual(dashboards);
  });

  it('reads numbers and lists from cdk.json values and from -c strings alike', () => {
    // Act
    const fromJson = readPipelineContext(lookupOf({ 'supercafe:shardCount': 2, 'supercafe:expectedBranches': ['leeds', 'london-soho'] }));
    const fromCli = readPipelineContext(lookupOf({ 'supercafe:shardCount': '2', 'supercafe:expectedBranches': 'leeds, london-soho' }));

    // Assess
    expect(fromJson.data).toMatchObject({ shardCount: 2 });
    expect(fromJson.pipeline).toMatchObject({ expectedBranches: ['leeds', 'london-soho'] });
    expect(fromCli.data).toMatchObject({ shardCount: 2 });
    expect(fromCli.pipeline).toMatchObject({ expectedBranches: ['leeds', 'london-soho'] });
  });

  it('treats an empty list or string as unset', () => {
    // Act
    const { pipeline } = readPipelineContext(lookupOf({ 'supercafe:expectedBranches': [], 'supercafe:alarmEmail': '' }));

    // Assess
    expect(pipeline.expectedBranches).toBeUndefined();
    expect(pipeline.alarmEmail).toBeUndefined();
  });

  it.each([
    [{ 'supercafe:shardCount': 'two' }, /shardCount must be a number/],
    [{ 'supercafe:streamCapacity': 'SOMETIMES' }, /streamCapacity must be one of ON_DEMAND, PROVISIONED/],
    [{ 'supercafe:grafanaAuthentication': 'PASSWORD' }, /grafanaAuthentication must be one of AWS_SSO, SAML, none/],
    [{ 'supercafe:stackPrefix': '9lives' }, /stackPrefix must start with a letter/],
    [{ 'supercafe:alarmEmail': 'not-an-address' }, /alarmEmail is not an e-mail address/],
  ])('refuses %o', (context, message) => {
    // Act
    const act = () => readPipelineContext(lookupOf(context));

    // Assess
    expect(act).toThrow(message);
  });

  it("reads cdk.json's own settings, none of them unknown", () => {
    // Prepare
    const { context } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

    // Act
    const settings = readPipelineContext(lookupOf(context));

    // Assess
    expect(unknownContextKeys(context)).toEqual([]);
    expect(unknownContextKeys({ 'supercafe:firehoseRetrySeconds': 3600 })).toEqual(['supercafe:firehoseRetrySeconds']);
    expect(settings.data.rawArchiveRetentionDays).toBe(90);
    expect(settings.pipeline.ingestMemoryMb).toBe(1769);
  });
});
