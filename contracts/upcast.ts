import { SaleTimestampSchema } from './local-time.js';
import { LEGACY_FILE_VERSION } from './transaction-recorded.js';

/**
 * Brings an event written under an older schema version up to the current one,
 * one version step at a time, before it is validated. Events are facts: old ones
 * stay on the stream and in archives, so every past version keeps an upcaster.
 * Input is untrusted JSON; anything unrecognised is passed on for the schema to reject.
 */
type Upcaster = (event: Record<string, unknown>) => Record<string, unknown>;

const UPCASTERS: Readonly<Record<number, Upcaster>> = {
  // v1 → v2: TransactionRecorded gains `occurredAt`, resolved from the payload's timestamp.
  1: (event) => {
    if (event.type !== 'TransactionRecorded') return { ...event, schemaVersion: 2 };
    const data = event.data as { timestamp?: unknown } | undefined;
    const instant = SaleTimestampSchema.safeParse(data?.timestamp);
    return { ...event, schemaVersion: 2, ...(instant.success ? { occurredAt: instant.data.toISOString() } : {}) };
  },
  // v2 → v3: files are versioned. A file row's source and a file's account (FileIngested,
  // renamed FileVersionIngested) get the legacy version, the same for all of a file's old
  // runs, so they add up as they did (nothing retracted).
  2: (event) => {
    const source = event.source as { kind?: unknown } | undefined;
    if (event.type === 'FileIngested') {
      return { ...event, schemaVersion: 3, type: 'FileVersionIngested', data: { ...(event.data as object), version: LEGACY_FILE_VERSION } };
    }
    if (source?.kind === 'file') return { ...event, schemaVersion: 3, source: { ...source, version: LEGACY_FILE_VERSION } };
    return { ...event, schemaVersion: 3 };
  },
};

/**
 * Applies upcasters until the event reaches the current version (or one none
 * knows). Each raises the version, so this ends. Anything without a numeric
 * `schemaVersion` (not an object, an array, a version in quotes) is returned as
 * it is, for the schema to reject.
 */
export function upcastEvent(json: unknown): unknown {
  const version = (json as { schemaVersion?: unknown } | null | undefined)?.schemaVersion;
  const upcaster = typeof version === 'number' ? UPCASTERS[version] : undefined;
  return upcaster ? upcastEvent(upcaster(json as Record<string, unknown>)) : json;
}
