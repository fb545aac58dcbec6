import type { TillSale } from '../../contracts/till-sale.js';
import { pick, type Catalogue } from '../catalogue/sales-catalogue.js';

/** Invented customers: the sample's real-looking names are never reused. */
const FIRST = ['Alex', 'Sam', 'Jo', 'Priya', 'Tom', 'Aisha', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jack', 'Kira'];
const LAST = ['Archer', 'Baker', 'Carter', 'Dyer', 'Fletcher', 'Glover', 'Hunter', 'Mason', 'Potter', 'Sawyer', 'Thatcher', 'Weaver'];

export interface GeneratedSaleOptions {
  readonly branch: string;
  readonly saleId: string;
  readonly occurredAt: Date;
  /** Uniform in [0, 1): Math.random, or a seeded generator for reproducible runs. */
  readonly random: () => number;
}

/** A seeded uniform generator (mulberry32), so a simulation can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * One realistic till sale for a branch: a basket size and products drawn with the
 * sample's frequencies from that branch's menu, the sample's card share, and an
 * invented customer (a fake card number on card sales: the contract wants one).
 */
export function generateTillSale(catalogue: Catalogue, options: GeneratedSaleOptions): TillSale {
  const { random } = options;
  const menu = catalogue.menus.get(options.branch) ?? catalogue.menu;
  const count = pick(catalogue.basketSizes, random());
  const items = Array.from({ length: count }, () => {
    const product = pick(menu, random());
    return {
      size: product.size,
      product: product.product,
      ...(product.flavour === null ? {} : { flavour: product.flavour }),
      pricePence: product.pricePence,
    };
  });
  const card = random() < catalogue.cardShare;
  const name = `${FIRST[Math.floor(random() * FIRST.length)] ?? 'Alex'} ${LAST[Math.floor(random() * LAST.length)] ?? 'Baker'}`;
  const cardNumber = card ? `4${Array.from({ length: 15 }, () => Math.floor(random() * 10)).join('')}` : undefined;
  return {
    saleId: options.saleId,
    branch: options.branch,
    occurredAt: options.occurredAt.toISOString(),
    items,
    totalPence: items.reduce((sum, item) => sum + item.pricePence, 0),
    paymentMethod: card ? 'CARD' : 'CASH',
    customer: cardNumber === undefined ? { name } : { name, cardNumber },
  };
}
