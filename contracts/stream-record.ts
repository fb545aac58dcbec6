/**
 * The wire format of one Kinesis record: one or more events as newline-delimited
 * JSON. Several small events share a record because on-demand Kinesis bills every
 * record as at least 1 KiB; a consumer treats each line as its own event.
 */

/** Joins serialised events into one record body. */
export function encodeStreamRecord(events: readonly unknown[]): Buffer {
  return Buffer.from(events.map((event) => JSON.stringify(event)).join('\n'), 'utf8');
}

/** Splits a record body into its events' JSON texts (not yet parsed). */
export function splitStreamRecord(data: Buffer | Uint8Array | string): string[] {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}
