import { customerKey } from '../sales-transform/customer-key.js';

/**
 * Whose data to erase: the customer's name as the tills and files carry it, and
 * the cards they paid with. The warehouse knows customers only by `customer_key`
 * (a keyed hash of name and card, `consumers/sales-transform/customer-key.ts`),
 * so an erasure is computed from the same inputs, with the same pepper.
 */
export interface ErasureRequest {
  readonly name: string;
  /** Whole card numbers (spaces and hyphens allowed); each gives its own key. */
  readonly cards: readonly string[];
  /**
   * Also erase the name-only key: the customer's sales without a whole card
   * number (cash, or a card the file did not carry in full). That key is shared
   * with anyone of the same name who paid that way.
   */
  readonly includeCash?: boolean;
}

/** A request that cannot name a customer; the message never repeats what was given. */
export class ErasureRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErasureRequestError';
  }
}

/** A card number as the raw-sale contract reads a whole one: 12–19 digits once spaces and hyphens go. */
export function normaliseCard(card: string): string {
  const digits = card.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) throw new ErasureRequestError('a card number must have 12 to 19 digits (spaces and hyphens allowed)');
  return digits;
}

/**
 * The customer keys an erasure covers: one per card, and the name-only key when
 * asked (or when no card is given: the customer only ever paid without one).
 *
 * @param pepper the warehouse's pepper (the same secret the consumer hashes with)
 * @throws ErasureRequestError for an empty name or a card that is not a whole number
 */
export function erasureKeys(pepper: string, request: ErasureRequest): string[] {
  // The name-only key is null exactly when the name normalises to nothing; then so is every card's.
  const nameOnly = customerKey(pepper, request.name, null);
  if (nameOnly === null) throw new ErasureRequestError('the customer name is empty');
  const keys = request.cards.map((card) => customerKey(pepper, request.name, normaliseCard(card)) ?? nameOnly);
  if (request.includeCash || request.cards.length === 0) keys.push(nameOnly);
  return [...new Set(keys)];
}
