import { App } from 'aws-cdk-lib';
import { buildApp } from './build-app.js';
import { addNagChecks } from './nag.js';

/**
 * The CDK app (`cdk.json` runs it with tsx): three stacks, for one environment
 * (`-c supercafe:environment=dev|prod`, dev when unset), each pinned to that
 * environment's account and Region, with termination protection in production
 * (`build-app.ts`). It synthesises offline. `<prefix>Data` holds every stateful
 * resource; `<prefix>Pipeline` the stateless rest; `<prefix>Dashboards` Grafana,
 * optional (context `supercafe:grafanaAuthentication`: `AWS_SSO`, `SAML` or
 * `none`). AWS Solutions checks (cdk-nag v3, a CDK policy-validation plugin) run
 * over everything; an unacknowledged finding fails the synth.
 */
const app = new App();
buildApp(app);
addNagChecks(app);

app.synth();
