import type { ParsedSale } from '../../../contracts/index.js';

/**
 * Nightly file and live feed together: the matching rule, pure. A file row and a
 * live till sale are the same sale when they share branch and trading day,
 * payment method, total and basket (the same lines, in any order), and the till's
 * instant falls in or near the file's minute. Files keep minutes only (the till
 * keeps seconds), and the two clocks may disagree a little, hence the window.
 * Matching is one-to-one, nearest in time first, so identical baskets sold in
 * the same minute pair off in turn and any surplus on either side is reported.
 */

export interface MatchableItem {
  readonly size: string | null;
  readonly product: string;
  readonly flavour: string | null;
  readonly pricePence: number;
}

export interface MatchableSale {
  /** Event id (warehouse rows) or any stable reference (file rows). */
  readonly id: string;
  readonly occurredAtMs: number;
  readonly totalPence: number;
  readonly paymentMethod: string;
  readonly items: readonly MatchableItem[];
}

/** How far the till's instant may sit from the start of the file's minute. */
export interface MatchWindow {
  readonly beforeMs: number;
  readonly afterMs: number;
}

/** The file minute [t, t+60 s) plus a minute of clock disagreement either side. */
export const DEFAULT_MATCH_WINDOW: MatchWindow = { beforeMs: 60_000, afterMs: 120_000 };
// Inside the window, prefer the till sale nearest the middle of the file's minute.
const MINUTE_MIDDLE_MS = 30_000;

/** What must be equal for two records to be one sale (time aside). */
export function saleMatchKey(sale: Omit<MatchableSale, 'id' | 'occurredAtMs'>): string {
  const lines = sale.items.map((item) => JSON.stringify([item.size, item.product, item.flavour, item.pricePence])).sort();
  return JSON.stringify([sale.paymentMethod.toUpperCase(), sale.totalPence, lines]);
}

/** A parsed file row as a matchable sale. */
export function matchableFromParsed(id: string, sale: ParsedSale): MatchableSale {
  return { id, occurredAtMs: sale.occurredAt.getTime(), totalPence: sale.totalPence, paymentMethod: sale.paymentMethod, items: sale.items };
}

export interface MatchResult<F extends MatchableSale, L extends MatchableSale> {
  readonly pairs: readonly (readonly [F, L])[];
  readonly fileOnly: readonly F[];
  readonly liveOnly: readonly L[];
}

/**
 * A pool of live sales that file rows claim one at a time. Used row by row during
 * an ingest, and all at once by `matchSales`.
 */
export class LiveSalePool<L extends MatchableSale> {
  private readonly byKey = new Map<string, L[]>();
  private readonly claimed = new Set<L>();

  constructor(
    live: readonly L[],
    private readonly window: MatchWindow = DEFAULT_MATCH_WINDOW,
  ) {
    for (const sale of live) {
      const key = saleMatchKey(sale);
      const group = this.byKey.get(key) ?? [];
      group.push(sale);
      this.byKey.set(key, group);
    }
  }

  /** The unclaimed live sale this file row is, if any; it is then claimed. */
  claim(file: MatchableSale): L | undefined {
    // Most branch-days have no live sales: skip building the key.
    if (this.byKey.size === 0) return undefined;
    let best: L | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of this.byKey.get(saleMatchKey(file)) ?? []) {
      if (this.claimed.has(candidate)) continue;
      const offset = candidate.occurredAtMs - file.occurredAtMs;
      if (offset < -this.window.beforeMs || offset >= this.window.afterMs) continue;
      const distance = Math.abs(offset - MINUTE_MIDDLE_MS);
      if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate.id < best.id)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best) this.claimed.add(best);
    return best;
  }

  /** Live sales no file row has claimed. */
  unclaimed(): L[] {
    return [...this.byKey.values()].flat().filter((sale) => !this.claimed.has(sale));
  }
}

/** Pairs file rows with live sales (file rows in time order), and lists what is left on each side. */
export function matchSales<F extends MatchableSale, L extends MatchableSale>(
  fileSales: readonly F[],
  liveSales: readonly L[],
  window: MatchWindow = DEFAULT_MATCH_WINDOW,
): MatchResult<F, L> {
  const pool = new LiveSalePool(liveSales, window);
  const pairs: (readonly [F, L])[] = [];
  const fileOnly: F[] = [];
  const ordered = [...fileSales].sort((a, b) => a.occurredAtMs - b.occurredAtMs || (a.id < b.id ? -1 : 1));
  for (const file of ordered) {
    const live = pool.claim(file);
    if (live) pairs.push([file, live]);
    else fileOnly.push(file);
  }
  return { pairs, fileOnly, liveOnly: pool.unclaimed() };
}
