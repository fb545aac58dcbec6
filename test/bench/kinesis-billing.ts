import { Readable } from 'node:stream';
import type { SalesStreamEvent } from '../../contracts/index.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { defaultPartitionKey, packRecords } from '../../producers/shared/kinesis-event-writer.js';

export interface BillingFigures {
  readonly label: string;
  readonly targetBytes: number;
  readonly records: number;
  readonly payloadBytes: number;
  /** On-demand: each record rounded up to 1 KiB. */
  readonly onDemandKiB: number;
  /** Provisioned: PUT payload units of 25 KB per record. */
  readonly putPayloadUnits: number;
}

/**
 * Kinesis billing for the events of a CSV text, with the writer's packing at each
 * target size (0 = one plain event per record), scaled to `perSales` sales.
 */
export async function kinesisBilling(csv: string, targets: readonly { label: string; bytes: number }[], perSales = 1_000_000): Promise<BillingFigures[]> {
  const events: SalesStreamEvent[] = [];
  await ingestFile({
    file: 'billing.csv',
    reader: { open: async () => Readable.from([Buffer.from(csv)]) },
    writer: { write: async (batch) => (events.push(...batch), new Map()) },
    pepper: 'bench',
  });
  const sales = events.filter((event) => event.type === 'TransactionRecorded');
  const scale = perSales / sales.length;
  return targets.map(({ label, bytes }) => {
    const entries = packRecords(sales, defaultPartitionKey, bytes);
    const sizes = entries.map((entry) => (entry.Data?.byteLength ?? 0) + Buffer.byteLength(entry.PartitionKey ?? ''));
    return {
      label,
      targetBytes: bytes,
      records: Math.round(entries.length * scale),
      payloadBytes: Math.round(sizes.reduce((a, b) => a + b, 0) * scale),
      onDemandKiB: Math.round(sizes.reduce((sum, size) => sum + Math.ceil(size / 1024), 0) * scale),
      putPayloadUnits: Math.round(sizes.reduce((sum, size) => sum + Math.ceil(size / 25_600), 0) * scale),
    };
  });
}
