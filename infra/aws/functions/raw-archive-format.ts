/**
 * The raw event archive's line format. Firehose reads the sales-events stream and
 * writes its records to S3 back to back; the stream's records are gzip packs of
 * events with no delimiter of their own, so concatenated they could not be split
 * again. The archive's transformation function therefore writes each Kinesis
 * record as one JSON line that keeps the record's bytes intact (base64) and where
 * it came from, and Firehose gzips the lines. A replay reads the lines back and
 * hands each record's bytes to `splitStreamRecord`, exactly as the consumer does.
 */

/** One archived Kinesis record. `data` is the record's bytes, base64, as Kinesis delivered them. */
export interface ArchivedRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  /** When Kinesis received the record (ms since the epoch). */
  readonly arrivedAt: number;
  readonly data: string;
}

/** One line of the archive (newline-terminated). */
export function archiveLine(record: ArchivedRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The archived records of one archive object's text (already gunzipped); blank lines are skipped. */
export function parseArchiveLines(text: string): ArchivedRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = JSON.parse(line) as Partial<ArchivedRecord>;
      if (typeof parsed.data !== 'string' || typeof parsed.sequenceNumber !== 'string') throw new Error(`archive line ${index + 1} is not an archived record`);
      return parsed as ArchivedRecord;
    });
}
