import type { Pool } from 'pg';
import type { ParsedSale } from '../../../contracts/index.js';
import { LiveSalePool, matchableFromParsed, type MatchableSale, type MatchWindow } from './reconcile.js';

/** A sale already in the warehouse, with its basket lines: what reconciliation compares. */
export interface WarehouseSale extends MatchableSale {
  readonly source: 'file' | 'till';
  readonly sourceRef: string;
}

/** Reads a branch-day's sales from the warehouse (Postgres locally; a Redshift Data API adapter in AWS). */
export interface WarehouseSaleSource {
  sales(branch: string, businessDate: string, source: 'file' | 'till'): Promise<WarehouseSale[]>;
}

interface SaleLineRow {
  event_id: string;
  sold_at: Date;
  total_pence: number;
  payment_method: string;
  source: 'file' | 'till';
  source_ref: string;
  size: string | null;
  product: string;
  flavour: string | null;
  price_pence: number;
}

// Plain joins and comparisons only, so the same text runs on Redshift.
const BRANCH_DAY_SALES_SQL = `SELECT s.event_id, s.sold_at, s.total_pence, s.payment_method, s.source, s.source_ref,
       i.size, i.product, i.flavour, i.price_pence
  FROM sales s JOIN sale_items i ON i.event_id = s.event_id
 WHERE LOWER(s.branch) = LOWER($1) AND s.business_date = $2 AND s.source = $3
 ORDER BY s.sold_at, s.event_id, i.line_no`;

/** Groups joined sale/line rows back into sales. */
export function salesFromLines(rows: readonly SaleLineRow[]): WarehouseSale[] {
  const sales = new Map<string, WarehouseSale & { items: WarehouseSale['items'][number][] }>();
  for (const row of rows) {
    let sale = sales.get(row.event_id);
    if (!sale) {
      sale = {
        id: row.event_id,
        occurredAtMs: new Date(row.sold_at).getTime(),
        totalPence: Number(row.total_pence),
        paymentMethod: row.payment_method,
        source: row.source,
        sourceRef: row.source_ref,
        items: [],
      };
      sales.set(row.event_id, sale);
    }
    sale.items.push({ size: row.size, product: row.product, flavour: row.flavour, pricePence: Number(row.price_pence) });
  }
  return [...sales.values()];
}

/** The warehouse sale source on a pg pool. */
export function createPostgresSaleSource(pool: Pool): WarehouseSaleSource {
  return {
    async sales(branch, businessDate, source) {
      const result = await pool.query<SaleLineRow>(BRANCH_DAY_SALES_SQL, [branch.trim().replace(/\s+/g, ' '), businessDate, source]);
      return salesFromLines(result.rows);
    },
  };
}

/**
 * The ingest hook: asked about each parsed file row, answers with the event id of
 * the live till sale it duplicates (then the row must not be published as a sale),
 * or undefined (publish it as usual). One matcher per file: each live sale is
 * claimed by at most one row of the file. Live sales are read once per branch-day.
 */
export interface LiveSaleMatcher {
  claim(sale: ParsedSale, rowRef: string): Promise<string | undefined>;
  /** Rows matched so far. */
  readonly matched: number;
}

/** A matcher reading live sales from the warehouse (see LiveSaleMatcher). */
export function createLiveSaleMatcher(source: WarehouseSaleSource, window?: MatchWindow): LiveSaleMatcher {
  const pools = new Map<string, Promise<LiveSalePool<WarehouseSale>>>();
  let matched = 0;
  return {
    get matched() {
      return matched;
    },
    async claim(sale, rowRef) {
      const key = JSON.stringify([sale.branch.toLowerCase(), sale.businessDate]);
      let pool = pools.get(key);
      if (!pool) {
        pool = source.sales(sale.branch, sale.businessDate, 'till').then((live) => new LiveSalePool(live, window));
        pools.set(key, pool);
      }
      const live = (await pool).claim(matchableFromParsed(rowRef, sale));
      if (live) matched++;
      return live?.id;
    },
  };
}
