import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Figures over standard-format CSV files computed without any pipeline code: a
 * plain quote-aware line splitter and string arithmetic on money, as the data's
 * own stats.py does. Tests compare the warehouse against these.
 */
export interface IndependentStats {
  rows: number;
  items: number;
  revenuePence: number;
  byBranch: Map<string, { rows: number; revenuePence: number }>;
  /** Units per product text before the last " - " (size, name, flavour; case-sensitive). */
  unitsByProduct: Map<string, number>;
  revenueByProduct: Map<string, number>;
  names: Set<string>;
  cards: Set<string>;
}

const pence = (text: string) => {
  const [whole = '0', fraction = ''] = text.trim().split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};

function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

export function standardFiles(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.csv')).sort().map((name) => join(dir, name)));
}

export function computeStats(files: readonly string[]): IndependentStats {
  const stats: IndependentStats = { rows: 0, items: 0, revenuePence: 0, byBranch: new Map(), unitsByProduct: new Map(), revenueByProduct: new Map(), names: new Set(), cards: new Set() };
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const [, branch = '', name = '', basket = '', total = '', , card = ''] = splitLine(line);
      stats.rows++;
      stats.revenuePence += pence(total);
      const entry = stats.byBranch.get(branch) ?? { rows: 0, revenuePence: 0 };
      entry.rows++;
      entry.revenuePence += pence(total);
      stats.byBranch.set(branch, entry);
      for (const item of basket.split(', ')) {
        const cut = item.lastIndexOf(' - ');
        const product = item.slice(0, cut);
        stats.items++;
        stats.unitsByProduct.set(product, (stats.unitsByProduct.get(product) ?? 0) + 1);
        stats.revenueByProduct.set(product, (stats.revenueByProduct.get(product) ?? 0) + pence(item.slice(cut + 3)));
      }
      if (name.trim()) stats.names.add(name.trim());
      if (card.trim()) stats.cards.add(card.trim());
    }
  }
  return stats;
}
