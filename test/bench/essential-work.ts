import { RawSaleSchema, SalesStreamEventSchema, splitStreamRecord, upcastEvent, type ParsedSale, type SalesStreamEvent } from '../../contracts/index.js';
import { customerKey } from '../../consumers/sales-transform/customer-key.js';
import { matchKey } from '../../consumers/sales-transform/match-key.js';
import { saleContentKey } from '../../producers/shared/event-id.js';
import { DEFAULT_RECORD_TARGET_BYTES, defaultPartitionKey, packRecords } from '../../producers/shared/kinesis-event-writer.js';
import { ownCpuMicros } from './process-cpu.js';

/**
 * The work the pipeline's guarantees cannot do without, each step timed alone in
 * a warm loop over the same files' sales (µs of CPU per sale, best of `passes`),
 * with the pipeline's own functions:
 *
 * - producer: the raw-sale contract check, the sale's content key (the keyed
 *   HMAC its event id comes from), and packing (each event's JSON, gzip);
 * - consumer: unpacking (gunzip, split), each event's JSON and contract check
 *   (validation at both ends of the stream), the keyed customer key, the match key.
 *
 * Added to the floor (and kinesalite, the stream itself), it is the least CPU per
 * row the guarantees allow: what a pipeline with no other cost at all would take.
 * Whatever the pipeline takes above that is its own overhead: the SDK and HTTP at
 * both ends, streams, framing and mapping rows, building records, the archive,
 * and the garbage all of these make.
 */
export interface EssentialWork {
  readonly sales: number;
  readonly producerUs: { readonly validate: number; readonly contentKey: number; readonly pack: number; readonly total: number };
  readonly consumerUs: { readonly unpack: number; readonly parseAndValidate: number; readonly customerKey: number; readonly matchKey: number; readonly total: number };
  readonly totalUs: number;
}

/** Times `work` over all sales `passes` times; the cheapest pass, per sale. */
function perSale(sales: number, passes: number, work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  let kept: unknown;
  for (let pass = 0; pass < passes; pass++) {
    const started = ownCpuMicros();
    kept = work();
    best = Math.min(best, ownCpuMicros() - started);
  }
  // Read the result, so no step can be optimised away.
  if (kept === undefined) throw new Error('a step returned nothing');
  return best / sales;
}

/** Measures the essential work on the sale events of the producer (`producerEvents`). Throws if there are none. */
export function measureEssentialWork(events: readonly SalesStreamEvent[], pepper: string, passes = 5): EssentialWork {
  const sales = events.filter((event) => event.type === 'TransactionRecorded');
  const count = sales.length;
  if (count === 0) throw new Error('no sales to measure the essential work on');
  const raws = sales.map((event) => event.data);
  const parsed = raws.map((raw) => RawSaleSchema.parse(raw));
  const records = packRecords(sales, defaultPartitionKey, DEFAULT_RECORD_TARGET_BYTES);
  const texts = records.flatMap((record) => splitStreamRecord(record.Data));

  const validate = perSale(count, passes, () => raws.map((raw) => RawSaleSchema.safeParse(raw).success));
  const contentKey = perSale(count, passes, () => parsed.map((sale: ParsedSale) => saleContentKey(pepper, sale)));
  const pack = perSale(count, passes, () => packRecords(sales, defaultPartitionKey, DEFAULT_RECORD_TARGET_BYTES));
  const unpack = perSale(count, passes, () => records.map((record) => splitStreamRecord(record.Data)));
  const parseAndValidate = perSale(count, passes, () => texts.map((text) => SalesStreamEventSchema.safeParse(upcastEvent(JSON.parse(text))).success));
  const customer = perSale(count, passes, () => parsed.map((sale) => customerKey(pepper, sale.customerName, sale.cardNumber)));
  const match = perSale(count, passes, () => parsed.map((sale) => matchKey({ branch: sale.branch, soldAt: sale.occurredAt, paymentMethod: sale.paymentMethod, totalPence: sale.totalPence, items: sale.items })));
  const producerUs = { validate, contentKey, pack, total: validate + contentKey + pack };
  const consumerUs = { unpack, parseAndValidate, customerKey: customer, matchKey: match, total: unpack + parseAndValidate + customer + match };
  return { sales: count, producerUs, consumerUs, totalUs: producerUs.total + consumerUs.total };
}
