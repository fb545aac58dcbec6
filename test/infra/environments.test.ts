import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/build-app.js';
import { readPipelineContext } from '../../infra/aws/context.js';
import { FIXTURE_ENTRIES, testApp } from './helpers.js';

const { context: cdkContext } = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };
const lookupOf = (context: Record<string, unknown>) => (key: string) => context[key];
const EMAIL = { 'supercafe:alarmEmail': 'ops@example.com' };

describe('Environments: dev and prod from cdk.json', () => {
  it('chooses dev when none is named: pinned to its account and Region, not production, with its own settings', () => {
    // Act
    const settings = readPipelineContext(lookupOf(cdkContext));
    // Assess
    expect(settings.environment).toEqual({ name: 'dev', account: '111111111111', region: 'eu-west-2', production: false });
    expect(settings.stackPrefix).toBe('SuperCafeDev');
    expect(settings.data.redshiftBaseCapacity).toBe(4);
    // A top-level setting the environment leaves alone still applies.
    expect(settings.pipeline.ingestMemoryMb).toBe(1769);
  });

  it('refuses to synthesise prod without an alarm e-mail', () => {
    // Act
    const act = () => readPipelineContext(lookupOf({ ...cdkContext, 'supercafe:environment': 'prod' }));
    // Assess
    expect(act).toThrow(/environment "prod" is production: set supercafe:alarmEmail/);
  });

  it('reads prod with its e-mail: production, its own account, the reserved concurrency the capacity plan chose', () => {
    // Act
    const settings = readPipelineContext(lookupOf({ ...cdkContext, ...EMAIL, 'supercafe:environment': 'prod' }));
    // Assess
    expect(settings.environment).toEqual({ name: 'prod', account: '222222222222', region: 'eu-west-2', production: true });
    expect(settings.stackPrefix).toBe('SuperCafe');
    expect(settings.pipeline).toMatchObject({ alarmEmail: 'ops@example.com', ingestReservedConcurrency: 7, consumerReservedConcurrency: 10, tillApiReservedConcurrency: 5 });
  });

  it.each([
    ['an unknown environment', { 'supercafe:environment': 'staging' }, /unknown environment "staging": supercafe:environments defines dev, prod/],
    ['an account that is not 12 digits', { 'supercafe:environments': { dev: { account: '1234', region: 'eu-west-2' } } }, /environment "dev": account: account must be a 12-digit AWS account id/],
    ['no Region', { 'supercafe:environments': { dev: { account: '111111111111' } } }, /environment "dev": region/],
    ['an unknown setting', { 'supercafe:environments': { dev: { account: '111111111111', region: 'eu-west-2', settings: { shardCunt: 2 } } } }, /environment "dev": unknown setting\(s\) shardCunt/],
    ['a setting the wrong shape', { 'supercafe:environments': { dev: { account: '111111111111', region: 'eu-west-2', settings: { shardCount: 'two' } } } }, /shardCount must be a number/],
  ])('refuses %s', (_, overrides, message) => {
    expect(() => readPipelineContext(lookupOf({ ...cdkContext, ...overrides }))).toThrow(message);
  });

  it.each([
    ['dev', {}, false, '111111111111'],
    ['prod', EMAIL, true, '222222222222'],
  ] as const)('synthesises %s pinned to its account, termination protection %s', (name, extra, production, account) => {
    // Act
    const app = testApp({ context: { 'supercafe:environment': name, ...extra } });
    const built = buildApp(app, FIXTURE_ENTRIES);
    // Assess
    for (const stack of [built.data, built.pipeline, built.dashboards!]) {
      expect(stack.account).toBe(account);
      expect(stack.region).toBe('eu-west-2');
      expect(stack.terminationProtection).toBe(production);
    }
    const pipeline = Template.fromStack(built.pipeline);
    if (production) {
      pipeline.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
      pipeline.hasResourceProperties('AWS::Lambda::Function', {
        ReservedConcurrentExecutions: 5,
        Environment: Match.objectLike({ Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'till-api' }) }),
      });
    } else {
      pipeline.resourceCountIs('AWS::SNS::Subscription', 0);
    }
  });
});
