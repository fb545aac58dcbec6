import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The wire format of one Kinesis record: one or more events as newline-delimited
 * JSON, gzip-compressed when several share the record. Kinesis bills by the
 * kilobyte (on-demand rounds each record up to 1 KiB), and a sale is ~450 bytes of
 * JSON: packing and compressing cuts the bytes billed per sale about tenfold. A
 * consumer treats each line as its own event; a lone event may travel as plain JSON.
 */

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Joins serialised events into one record body (gzip at zlib's default level 6 when `compress`). */
export function encodeStreamRecord(lines: readonly string[], compress = true): Buffer {
  const body = Buffer.from(lines.join('\n'));
  return compress ? gzipSync(body) : body;
}

/**
 * Splits a record body into its events' JSON texts (not yet parsed), dropping
 * blank lines. A body that starts with the gzip magic is inflated first; one that
 * inflates past 16 MiB (far above any real record, which holds at most 1 MiB;
 * a gzip bomb otherwise) throws a RangeError.
 */
export function splitStreamRecord(data: Buffer | Uint8Array | string): string[] {
  let bytes = Buffer.from(data);
  if (bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1) bytes = gunzipSync(bytes, { maxOutputLength: 16 * 1024 * 1024 });
  return bytes
    .toString()
    .split('\n')
    .filter((line) => line.trim() !== '');
}
