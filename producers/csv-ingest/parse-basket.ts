import type { RawSale } from '../../contracts/index.js';

type RawItem = RawSale['items'][number];

const SIZE_WORD = /^(?:regular|large)$/i;
const BLANK = /^\s/;

export interface ParseBasketOptions {
  /**
   * Items may have no size word (the 2020 Generation export, which writes
   * `Speciality Tea - Camomile - 1.30`): such an item gets an empty size.
   * Without it, a first word that is not a size is kept as the size, for the
   * contract to reject as `size_unknown`.
   */
  readonly sizeOptional?: boolean;
}

/**
 * The standard basket: items joined by ", ", each `<Size> <Name>[ - <Flavour>] - <price>`.
 * The price follows the last " - " (names and flavours contain " - " and "&").
 * An item whose size slot is visibly blank (` Speciality Tea - …`: the 2020 export
 * joins an empty size and the name with a space, so the item starts with one) has
 * an empty size in any layout. Returns undefined when an item has no price separator.
 */
export function parseBasket(basket: string, options: ParseBasketOptions = {}): RawItem[] | undefined {
  // Only the end is trimmed: a blank at the start is an empty size slot.
  const text = basket.trimEnd();
  if (text === '') return [];
  const items: RawItem[] = [];
  for (const part of text.split(', ')) {
    const cut = part.lastIndexOf(' - ');
    if (cut < 0) return undefined;
    const slot = part.slice(0, cut);
    const described = slot.trim();
    // The first word and the rest, cut at the first space (no word arrays: this runs for every item of every row).
    const space = described.indexOf(' ');
    const first = space === -1 ? described : described.slice(0, space);
    const sized = SIZE_WORD.test(first) || !(options.sizeOptional || BLANK.test(slot));
    items.push({
      size: sized ? first : '',
      name: sized ? (space === -1 ? '' : described.slice(space + 1)) : described,
      price: part.slice(cut + 3),
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
    // Whole triples (checked above): each part is there.
    items.push({ size: parts[index] as string, name: parts[index + 1] as string, price: parts[index + 2] as string });
  }
  return items;
}
