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

/** Joins serialised events into one record body (gzip when `compress`). */
export function encodeStreamRecord(lines: readonly string[], compress = true): Buffer {
  const body = Buffer.from(lines.join('\n'), 'utf8');
  return compress ? gzipSync(body, { level: 6 }) : body;
}

/** Splits a record body into its events' JSON texts (not yet parsed). */
export function splitStreamRecord(data: Buffer | Uint8Array | string): string[] {
  let bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1) bytes = gunzipSync(bytes, { maxOutputLength: 16 * 1024 * 1024 });
  return bytes
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}
