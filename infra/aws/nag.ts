import { Stack, Validations, type IPolicyValidationContext, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import flattening from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 runs as a CDK policy-validation plugin, and findings are acknowledged
 * with CDK's own `Validations.of(construct).acknowledge()`. The package is CommonJS
 * whose named exports Node's ESM loader cannot see (`__exportStar`), so its classes
 * are taken from the default import here, once.
 */
export const { AwsSolutionsChecks } = cdkNag;
const { flattenCfnReference } = flattening as { flattenCfnReference: (reference: unknown) => string };

/** One acknowledged finding: a rule, optionally narrowed to one finding (`Resource::*`), and why. */
export interface Acknowledgement {
  readonly id: string;
  /** The finding within the rule, e.g. `Resource::*` for AwsSolutions-IAM5. */
  readonly finding?: string;
  readonly reason: string;
}

/**
 * Acknowledges findings on `scope` and everything under it. Each sits on the
 * resource that causes it, with a reason a reviewer can check.
 */
export function acknowledge(scope: IConstruct, ...rules: Acknowledgement[]): void {
  Validations.of(scope).acknowledge(...rules.map(({ id, finding, reason }) => ({ id: qualified(finding ? `${id}[${finding}]` : id), reason })));
}

/** `AwsSolutions-X` → `AwsSolutions::AwsSolutions-X`: an unqualified id would be filed as an annotation rule. */
function qualified(id: string): string {
  return id.startsWith('AwsSolutions-') ? `AwsSolutions::${id}` : id;
}

/** An acknowledgement of one wildcard resource, named by the ARN expression the policy uses. */
export interface ResourceAcknowledgement {
  readonly id: string;
  /** The resource exactly as the statement has it (a token is fine, e.g. `bucket.arnForObjects('rows/*')`). */
  readonly resource: string;
  readonly reason: string;
}

const resolvedLater = new WeakMap<IConstruct, ResourceAcknowledgement[]>();

/**
 * Acknowledges one `Resource::…` finding whose resource comes from another stack.
 * cdk-nag names such a finding by the cross-stack reference CloudFormation will
 * see, which exists only once the app is synthesised; `ResolvedAcknowledgements`
 * (run just before cdk-nag) resolves the ARN then and files the acknowledgement,
 * still on this resource and for this one finding.
 */
export function acknowledgeResource(scope: IConstruct, acknowledgement: ResourceAcknowledgement): void {
  resolvedLater.set(scope, [...(resolvedLater.get(scope) ?? []), acknowledgement]);
}

/** Files the `acknowledgeResource` acknowledgements with their resolved findings; finds nothing itself. */
export class ResolvedAcknowledgements implements IPolicyValidationPlugin {
  readonly name = 'supercafe-resolved-acknowledgements';

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const root = (context as IPolicyValidationContext & { appConstruct?: IConstruct }).appConstruct;
    for (const construct of root?.node.findAll() ?? []) {
      for (const { id, resource, reason } of resolvedLater.get(construct) ?? []) {
        acknowledge(construct, { id, finding: `Resource::${flattenCfnReference(Stack.of(construct).resolve(resource))}`, reason });
      }
    }
    return { success: true, violations: [] };
  }
}

/** The checks every app (and the nag test) runs: the resolved acknowledgements first, then AWS Solutions. */
export function addNagChecks(app: IConstruct): void {
  Validations.of(app).addPlugins(new ResolvedAcknowledgements(), new AwsSolutionsChecks(app, { verbose: true }));
}
