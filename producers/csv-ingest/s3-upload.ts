/**
 * What an S3 ObjectCreated record names: the upload's key, and whether it is an
 * upload at all. Pure, so the rules are tested without AWS.
 */

/** Why an object is not read: it is not a branch file but a placeholder. */
export const Placeholder = {
  /** The S3 console's "Create folder" writes a zero-byte object whose key ends in `/`. */
  FolderMarker: 'folder_marker',
  /** A zero-byte object: a placeholder (`touch`, a sync tool), not an export; a branch whose file never arrives is the missing-uploads check's to report. */
  Empty: 'empty_object',
} as const;

export type Placeholder = (typeof Placeholder)[keyof typeof Placeholder];

/** S3 event keys are URL-encoded, with spaces as '+' (a literal '+' arrives as %2B). */
export function objectKeyOf(encodedKey: string): string {
  return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
}

/** The placeholder an object is, or undefined for an upload to read. `size` is the event's object size in bytes. */
export function placeholderOf(key: string, size: number | undefined): Placeholder | undefined {
  if (key.endsWith('/')) return Placeholder.FolderMarker;
  return size === 0 ? Placeholder.Empty : undefined;
}

/** Sequencers are left-padded to this many hex digits, so that two versions of one key compare as text. */
export const SEQUENCER_DIGITS = 32;

/**
 * An upload's file version from its S3 event's `sequencer` (docs/corrections.md):
 * S3 gives a greater sequencer to a later PUT or DELETE of the same key, and its
 * sequencers may differ in length, to be compared after left-padding the shorter
 * with zeros (S3 User Guide, "Event message structure"). Padded to 32 hex digits
 * and upper-cased, versions of one key compare as text, as the fold compares them.
 * Undefined when the record has none or it is not hex (a hand-made test event):
 * the ingest then uses its start instant.
 */
export function fileVersionOf(sequencer: string | undefined): string | undefined {
  if (sequencer === undefined || !/^[0-9a-fA-F]{1,64}$/.test(sequencer)) return undefined;
  return sequencer.toUpperCase().padStart(SEQUENCER_DIGITS, '0');
}
