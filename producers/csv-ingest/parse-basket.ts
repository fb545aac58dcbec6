import type { RawSale } from '../../contracts/index.js';

type RawItem = RawSale['items'][number];

/**
 * The standard basket: items joined by ", ", each `<Size> <Name>[ - <Flavour>] - <price>`.
 * The price follows the last " - " (names and flavours contain " - " and "&").
 * Returns undefined when an item has no price separator at all.
 */
export function parseBasket(basket: string): RawItem[] | undefined {
  const text = basket.trim();
  if (text === '') return [];
  const items: RawItem[] = [];
  for (const part of text.split(', ')) {
    const item = part.trim();
    const cut = item.lastIndexOf(' - ');
    if (cut < 0) return undefined;
    const described = item.slice(0, cut).trim();
    const space = described.indexOf(' ');
    items.push({
      size: space < 0 ? described : described.slice(0, space),
      name: space < 0 ? '' : described.slice(space + 1),
      price: item.slice(cut + 3),
    });
  }
  return items;
}

/**
 * The legacy 2021 basket: one flat list of `size,name,price` triples
 * (`"Large,Hot chocolate,2.9,,Cortado,2.05"`); the size may be empty.
 */
export function parseLegacyBasket(basket: string): RawItem[] | undefined {
  const text = basket.trim();
  if (text === '') return [];
  const parts = text.split(',');
  if (parts.length % 3 !== 0) return undefined;
  const items: RawItem[] = [];
  for (let index = 0; index < parts.length; index += 3) {
    items.push({ size: parts[index] ?? '', name: parts[index + 1] ?? '', price: parts[index + 2] ?? '' });
  }
  return items;
}
