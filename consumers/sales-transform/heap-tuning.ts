/**
 * V8's young generation for the consumer, in MB per semi-space (Node's default is
 * 16 on 64-bit): the consumer makes short-lived objects for every event (JSON, the
 * contract's parse, rows), and a larger nursery lets fewer of them be copied
 * before they die. One figure for both places the consumer runs, so the CPU the
 * bench measures on the local consumer process is the CPU the Lambda is billed
 * for: the local process takes it as `--max-semi-space-size`, the Lambda in
 * `NODE_OPTIONS` (a V8 option Node allows there).
 */
export const CONSUMER_SEMI_SPACE_MB = 32;

/** The Node option that sets it. */
export const consumerSemiSpaceOption = (): string => `--max-semi-space-size=${CONSUMER_SEMI_SPACE_MB}`;
