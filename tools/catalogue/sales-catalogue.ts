import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FileLayout, RawSaleSchema, type ItemSize } from '../../contracts/index.js';
import { mapRow } from '../../producers/csv-ingest/map-row.js';

/**
 * What the till simulator sells, learnt from the sample branch files: each
 * branch's menu with how often each product sold, the spread of basket sizes, and
 * the share of card payments. Customer names and card numbers are read past and
 * never kept: the simulator invents its own.
 */

export interface CatalogueProduct {
  readonly size: ItemSize;
  readonly product: string;
  readonly flavour: string | null;
  readonly pricePence: number;
}

/** Choices with weights, drawn by a uniform number in [0, 1). */
export interface Weighted<T> {
  readonly choices: readonly T[];
  readonly cumulative: readonly number[];
}

export interface Catalogue {
  /** Branches in the sample, as the files spell them. */
  readonly branches: readonly string[];
  /** Each branch's own menu (products differ between branches). */
  readonly menus: ReadonlyMap<string, Weighted<CatalogueProduct>>;
  /** Every product of every branch, for a branch the sample does not know. */
  readonly menu: Weighted<CatalogueProduct>;
  readonly basketSizes: Weighted<number>;
  readonly cardShare: number;
  readonly salesRead: number;
}

/** Builds a weighted choice from counts. */
export function weighted<T>(counts: ReadonlyMap<T, number>): Weighted<T> {
  const choices: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [choice, count] of counts) {
    if (count <= 0) continue;
    total += count;
    choices.push(choice);
    cumulative.push(total);
  }
  return { choices, cumulative: cumulative.map((sum) => sum / total) };
}

/** Draws one choice; `uniform` is in [0, 1). */
export function pick<T>(from: Weighted<T>, uniform: number): T {
  let low = 0;
  let high = from.cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((from.cumulative[mid] ?? 1) > uniform) high = mid;
    else low = mid + 1;
  }
  const choice = from.choices[low];
  if (choice === undefined) throw new RangeError('cannot pick from an empty choice');
  return choice;
}

const productKey = (item: CatalogueProduct) => JSON.stringify([item.size, item.product, item.flavour, item.pricePence]);

/** Learns a catalogue from sale records (parsed the way the pipeline parses them). */
export function catalogueFromRecords(records: Iterable<readonly string[]>): Catalogue {
  const products = new Map<string, CatalogueProduct>();
  const perBranch = new Map<string, Map<CatalogueProduct, number>>();
  const everywhere = new Map<CatalogueProduct, number>();
  const sizes = new Map<number, number>();
  let cards = 0;
  let sales = 0;
  for (const record of records) {
    const mapped = mapRow(record, FileLayout.Standard);
    if (!mapped.ok) continue;
    const parsed = RawSaleSchema.safeParse(mapped.sale);
    if (!parsed.success) continue;
    const sale = parsed.data;
    sales++;
    if (sale.paymentMethod === 'CARD') cards++;
    sizes.set(sale.items.length, (sizes.get(sale.items.length) ?? 0) + 1);
    const menu = perBranch.get(sale.branch) ?? new Map<CatalogueProduct, number>();
    perBranch.set(sale.branch, menu);
    for (const item of sale.items) {
      if (item.size === null) continue;
      const candidate: CatalogueProduct = { size: item.size, product: item.product, flavour: item.flavour, pricePence: item.pricePence };
      const known = products.get(productKey(candidate)) ?? candidate;
      products.set(productKey(candidate), known);
      menu.set(known, (menu.get(known) ?? 0) + 1);
      everywhere.set(known, (everywhere.get(known) ?? 0) + 1);
    }
  }
  if (sales === 0) throw new Error('the catalogue found no readable sales');
  return {
    branches: [...perBranch.keys()].sort(),
    menus: new Map([...perBranch].map(([branch, counts]) => [branch, weighted(counts)])),
    menu: weighted(everywhere),
    basketSizes: weighted(new Map([...sizes].sort((a, b) => a[0] - b[0]))),
    cardShare: cards / sales,
    salesRead: sales,
  };
}

/** Reads every standard-layout `*.csv` in a folder (the sample `data/real`) into a catalogue. */
export async function loadCatalogue(folder: string): Promise<Catalogue> {
  const files = (await readdir(folder)).filter((name) => name.toLowerCase().endsWith('.csv')).sort();
  const records: string[][] = [];
  for (const name of files) {
    const text = await readFile(join(folder, name), 'utf8');
    records.push(...(parse(text, { relax_column_count: true, trim: true, bom: true, skip_empty_lines: true }) as string[][]));
  }
  return catalogueFromRecords(records);
}

/** The standard-layout sample files shipped in the repository. */
export { SAMPLE_STANDARD_DIR as SAMPLE_CATALOGUE_DIR } from '../../samples/paths.js';
