import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag.js';
import { readPipelineContext } from './context.js';
import { PipelineStack } from './stacks/pipeline-stack.js';

/**
 * The CDK app (`cdk.json` runs it with tsx). One stack, environment-agnostic: it
 * deploys to the account and Region of the CLI's credentials, and synthesises
 * offline. AWS Solutions checks (cdk-nag v3, a CDK policy-validation plugin) run
 * over everything; an unacknowledged finding fails the synth.
 */
const app = new App();
const { stackName, props } = readPipelineContext((key) => app.node.tryGetContext(key));

new PipelineStack(app, stackName, props);

Tags.of(app).add('project', 'supercafe');
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
