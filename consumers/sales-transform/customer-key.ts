import { keyedHash } from '../../contracts/index.js';

/**
 * The pseudonymous customer key: a keyed HMAC-SHA256 of the normalised identity
 * under a secret pepper. Without the pepper nobody can test a guessed name against
 * it; with the same pepper the same customer always gets the same key, so
 * returning customers can be counted. Identity is the name, plus the card number
 * when a whole one is known (a name alone recurs across people by chance).
 */
export function customerKey(pepper: string, customerName: string | null, cardNumber: string | null): string | null {
  // NFKC leaves ASCII as it is: most names skip it (this runs per sale).
  const folded = !customerName ? '' : /[\u0080-\uffff]/.test(customerName) ? customerName.normalize('NFKC') : customerName;
  const name = folded.trim().replace(/\s+/g, ' ').toLowerCase();
  if (name === '') return null;
  return keyedHash(pepper, `customer/v1|${name}|${cardNumber ?? ''}`);
}
