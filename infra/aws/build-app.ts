import { Tags, type App } from 'aws-cdk-lib';
import { COST_TAG } from './constructs/cost-guards.js';
import { readPipelineContext, unknownContextKeys, type PipelineContext } from './context.js';
import { DashboardsStack } from './stacks/dashboards-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { PipelineStack, type HandlerEntries } from './stacks/pipeline-stack.js';

/** The stacks of one environment, as `app.ts` builds them. */
export interface BuiltApp {
  readonly settings: PipelineContext;
  readonly data: DataStack;
  readonly pipeline: PipelineStack;
  readonly dashboards: DashboardsStack | undefined;
}

/**
 * Builds the three stacks from the app's context (`supercafe:*`, the chosen
 * environment's settings over the top-level ones): each pinned to the
 * environment's account and Region, termination-protected in production, and
 * every resource tagged `project=supercafe` (what the budget counts) and
 * `environment=<name>`.
 *
 * @param handlerEntries stand-in handler modules (tests); the real ones otherwise
 * @throws Error on an unknown `supercafe:*` key or a bad setting, naming it
 */
export function buildApp(app: App, handlerEntries?: HandlerEntries): BuiltApp {
  const unknown = unknownContextKeys({ ...app.node.getAllContext() });
  if (unknown.length > 0) throw new Error(`unknown setting(s) ${unknown.join(', ')}: docs/aws.md lists the supercafe:* keys`);
  const settings = readPipelineContext((key) => app.node.tryGetContext(key));

  const pinned = settings.environment
    ? { env: { account: settings.environment.account, region: settings.environment.region }, terminationProtection: settings.environment.production }
    : {};
  const data = new DataStack(app, `${settings.stackPrefix}Data`, { ...settings.data, ...pinned });
  const pipeline = new PipelineStack(app, `${settings.stackPrefix}Pipeline`, { ...settings.pipeline, ...pinned, data, handlerEntries });
  const dashboards = settings.dashboards
    ? new DashboardsStack(app, `${settings.stackPrefix}Dashboards`, { ...pinned, data, authentication: settings.dashboards.authentication })
    : undefined;

  Tags.of(app).add(COST_TAG.key, COST_TAG.value);
  if (settings.environment) Tags.of(app).add('environment', settings.environment.name);
  return { settings, data, pipeline, dashboards };
}
