/**
 * Decimal pounds as text ("2.45", "5.2", "6", "6.80") to integer pence, by string
 * arithmetic: money never passes through a binary float.
 */
const POUNDS_PATTERN = /^(\d{1,7})(?:\.(\d{1,2}))?$/;

/** Pounds text to pence, or undefined when the text is not a non-negative amount. */
function poundsToPence(text: string): number | undefined {
  const match = POUNDS_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Pence to the two-decimal pounds text the CSV files use. */
function penceToPounds(pence: number): string {
  return `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

export { poundsToPence, penceToPounds };
