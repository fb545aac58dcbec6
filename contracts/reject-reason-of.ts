import { RejectReasonSchema, type RejectReasonCode } from './reject-reason.js';

/**
 * The one mapping from a contract issue to a reject reason. The contracts'
 * refinements put the reason code in the issue's message (`RawSaleSchema` says
 * `total_mismatch`, not prose), so an issue whose message is a known code is
 * rejected with that code; any other issue (zod's own: a wrong type, a missing
 * key) gets the caller's fallback — `row_malformed` for a row or a till sale,
 * `event_malformed` for an event. The message is only compared, never kept.
 */

/** Whether a text is one of the reject reason codes. */
export function isRejectReason(value: unknown): value is RejectReasonCode {
  return RejectReasonSchema.safeParse(value).success;
}

/** The reject reason for a contract issue (zod's first issue, or none), else `fallback`. */
export function rejectReasonOf(issue: { readonly message: string } | undefined, fallback: RejectReasonCode): RejectReasonCode {
  return isRejectReason(issue?.message) ? issue.message : fallback;
}
