import { describe, expect, it } from 'vitest';
import { readPipelineContext } from '../../infra/aws/context.js';

const lookupOf = (context: Record<string, unknown>) => (key: string) => context[key];

describe('Function: readPipelineContext', () => {
  it('defaults everything but the stack name', () => {
    // Act
    const { stackName, props } = readPipelineContext(lookupOf({}));

    // Assess
    expect(stackName).toBe('SuperCafePipeline');
    expect(Object.values(props).every((value) => value === undefined)).toBe(true);
  });

  it('reads numbers and lists from cdk.json values and from -c strings alike', () => {
    // Act
    const fromJson = readPipelineContext(lookupOf({ 'supercafe:shardCount': 2, 'supercafe:expectedBranches': ['leeds', 'london-soho'] }));
    const fromCli = readPipelineContext(lookupOf({ 'supercafe:shardCount': '2', 'supercafe:expectedBranches': 'leeds, london-soho' }));

    // Assess
    expect(fromJson.props).toMatchObject({ shardCount: 2, expectedBranches: ['leeds', 'london-soho'] });
    expect(fromCli.props).toMatchObject({ shardCount: 2, expectedBranches: ['leeds', 'london-soho'] });
  });

  it('treats an empty list or string as unset', () => {
    // Act
    const { props } = readPipelineContext(lookupOf({ 'supercafe:expectedBranches': [], 'supercafe:alarmEmail': '' }));

    // Assess
    expect(props.expectedBranches).toBeUndefined();
    expect(props.alarmEmail).toBeUndefined();
  });

  it.each([
    [{ 'supercafe:shardCount': 'two' }, /shardCount must be a number/],
    [{ 'supercafe:streamCapacity': 'SOMETIMES' }, /streamCapacity must be one of ON_DEMAND, PROVISIONED/],
    [{ 'supercafe:grafanaAuthentication': 'PASSWORD' }, /grafanaAuthentication must be one of AWS_SSO, SAML/],
    [{ 'supercafe:alarmEmail': 'not-an-address' }, /alarmEmail is not an e-mail address/],
  ])('refuses %o', (context, message) => {
    // Act
    const act = () => readPipelineContext(lookupOf(context));

    // Assess
    expect(act).toThrow(message);
  });
});
