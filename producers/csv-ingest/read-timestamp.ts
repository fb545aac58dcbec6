/**
 * The timestamp layouts seen in branch files, rewritten as the contract's London
 * wall-clock text `YYYY-MM-DD HH:MM[:SS]`. Range checks are the contract's job: a
 * 31/02 becomes `…-02-31` here and is rejected there as an impossible date.
 */
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

const two = (part: string) => part.padStart(2, '0');

/** `dd/mm/YYYY HH:MM` (also Excel's `d/m/yyyy h:mm`) or ISO local; undefined when neither. */
export function readTimestamp(text: string): string | undefined {
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    // Every group but the seconds always takes part in a match.
    const [, day, month, year, hour, minute, second] = dayFirst as unknown as [string, string, string, string, string, string, string | undefined];
    return `${year}-${two(month)}-${two(day)} ${two(hour)}:${minute}${second ? `:${second}` : ''}`;
  }
  if (ISO_LOCAL.test(text)) return text.replace('T', ' ');
  return undefined;
}

/** True when a field looks like the start of a data row (a date), not a header. */
export function looksLikeTimestamp(text: string): boolean {
  return readTimestamp(text.trim()) !== undefined;
}
