import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseBasket } from '../../producers/csv-ingest/parse-basket.js';

/**
 * What the sample files say about how branches sell: each branch's menu with
 * prices, basket sizes, the share of card payments, trading hours and rows a day.
 * The generator and the till simulator draw from it, so synthetic sales look real.
 */
export interface BranchProfile {
  readonly branch: string;
  readonly menu: readonly { size: string; name: string; price: string }[];
  readonly basketSizes: readonly number[];
  readonly cardShare: number;
  readonly openHour: number;
  readonly closeHour: number;
  readonly rowsPerDay: number;
}

/** Profiles of every branch found in the standard-format CSV files of `dirs`. */
export function loadCatalogue(dirs: readonly string[]): BranchProfile[] {
  type Tally = { menu: Map<string, { size: string; name: string; price: string }>; sizes: number[]; cards: number; rows: number; days: Set<string>; open: number; close: number };
  const byBranch = new Map<string, Tally>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.csv'))) {
      const records = parse(readFileSync(join(dir, name), 'utf8'), { relax_column_count: true, trim: true, skip_empty_lines: true }) as string[][];
      for (const [timestamp = '', branch = '', , basket = '', , payment = ''] of records) {
        const items = parseBasket(basket);
        if (!items || items.length === 0 || !/^\d/.test(timestamp)) continue;
        const profile: Tally = byBranch.get(branch) ?? { menu: new Map(), sizes: [], cards: 0, rows: 0, days: new Set(), open: 23, close: 0 };
        for (const item of items) profile.menu.set(`${item.size} ${item.name}`, item);
        profile.sizes.push(items.length);
        profile.cards += payment === 'CARD' ? 1 : 0;
        profile.rows++;
        profile.days.add(timestamp.slice(0, 10));
        const hour = Number(timestamp.slice(11, 13));
        profile.open = Math.min(profile.open, hour);
        profile.close = Math.max(profile.close, hour + 1);
        byBranch.set(branch, profile);
      }
    }
  }
  return [...byBranch.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([branch, p]) => ({
      branch,
      menu: [...p.menu.values()],
      basketSizes: p.sizes,
      cardShare: p.cards / p.rows,
      openHour: p.open,
      closeHour: p.close,
      rowsPerDay: Math.round(p.rows / p.days.size),
    }));
}
