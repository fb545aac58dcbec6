import { sha256Hex } from '../../contracts/index.js';

/** What a sale is matched on: the same fields a nightly-file row and its till sale share. */
export interface MatchableSale {
  readonly branch: string;
  /** The sale's instant; only its minute counts (the file is the till's own export, to the minute). */
  readonly soldAt: Date;
  readonly paymentMethod: string;
  readonly totalPence: number;
  readonly items: readonly { readonly size: string | null; readonly product: string; readonly flavour: string | null; readonly pricePence: number }[];
}

const MINUTE_MS = 60_000;

/**
 * The match key of a sale (32 hex): SHA-256 of its branch (case folded), minute
 * (UTC; London's offsets are whole hours, so the same minute as the branch's),
 * payment method, total and basket lines in a canonical order (a till and a file
 * may list a basket differently). A till sale and the row of it in the branch's
 * nightly file have the same key, so the fold counts them once
 * (docs/corrections.md). No personal data goes in.
 */
export function matchKey(sale: MatchableSale): string {
  const minute = Math.floor(sale.soldAt.getTime() / MINUTE_MS) * MINUTE_MS;
  // Each line's JSON is made once and the texts sorted (ordering by JSON text, as the key has always
  // done); the canonical text is then exactly JSON.stringify of the whole array. This runs per sale.
  const lines = sale.items.map((item) => JSON.stringify([item.size ?? '', item.product.toLowerCase(), (item.flavour ?? '').toLowerCase(), item.pricePence]));
  // The default sort compares UTF-16 code units, as `<` does on strings.
  lines.sort();
  const canonical = `["match/v1",${JSON.stringify(sale.branch.trim().toLowerCase())},${minute},${JSON.stringify(sale.paymentMethod)},${sale.totalPence},[${lines.join(',')}]]`;
  return sha256Hex(canonical).slice(0, 32);
}
