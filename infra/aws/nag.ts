import { Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag v3 runs as a CDK policy-validation plugin, and findings are acknowledged
 * with CDK's own `Validations.of(construct).acknowledge()`. The package is CommonJS
 * whose named exports Node's ESM loader cannot see (`__exportStar`), so its classes
 * are taken from the default import here, once.
 */
export const { AwsSolutionsChecks } = cdkNag;

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
