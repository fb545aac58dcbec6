import { App, Tags } from 'aws-cdk-lib';
import { addNagChecks } from './nag.js';
import { readPipelineContext, unknownContextKeys } from './context.js';
import { DashboardsStack } from './stacks/dashboards-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { PipelineStack } from './stacks/pipeline-stack.js';

/**
 * The CDK app (`cdk.json` runs it with tsx): three stacks, environment-agnostic
 * (they deploy to the account and Region of the CLI's credentials, and synthesise
 * offline). `<prefix>Data` holds every stateful resource; `<prefix>Pipeline` the
 * stateless rest; `<prefix>Dashboards` Grafana, optional (context
 * `supercafe:grafanaAuthentication`: `AWS_SSO`, `SAML` or `none`). AWS Solutions
 * checks (cdk-nag v3, a CDK policy-validation plugin) run over everything; an
 * unacknowledged finding fails the synth.
 */
const app = new App();
const unknown = unknownContextKeys({ ...app.node.getAllContext() });
if (unknown.length > 0) throw new Error(`unknown setting(s) ${unknown.join(', ')}: docs/aws.md lists the supercafe:* keys`);
const settings = readPipelineContext((key) => app.node.tryGetContext(key));

const data = new DataStack(app, `${settings.stackPrefix}Data`, settings.data);
new PipelineStack(app, `${settings.stackPrefix}Pipeline`, { ...settings.pipeline, data });
if (settings.dashboards) new DashboardsStack(app, `${settings.stackPrefix}Dashboards`, { data, authentication: settings.dashboards.authentication });

Tags.of(app).add('project', 'supercafe');
addNagChecks(app);

app.synth();
