/**
 * Where a command that can work on the deployed pipeline finds it: `--aws` (or a
 * `--table` named outright) selects AWS; the table comes from the data stack's
 * outputs (`--stack`, default `SuperCafeData`) unless named; the Region from
 * `--region`, else `AWS_REGION` / `AWS_DEFAULT_REGION`. Kept apart from the SDK
 * code (aws-target.ts) so a local command loads no AWS client.
 */
export interface AwsTargetOptions {
  readonly aws?: boolean;
  /** The data stack (default `SuperCafeData`). */
  readonly stack?: string;
  /** The table, named outright (skips the stack's outputs). */
  readonly table?: string;
  readonly region?: string;
}

/** The data stack's name when `--stack` is not given. */
export const DEFAULT_DATA_STACK = 'SuperCafeData';

/** True when the options point at AWS rather than the local warehouse. */
export function wantsAws(options: AwsTargetOptions | undefined): boolean {
  return Boolean(options?.aws || options?.table);
}
