import { createHmac } from 'node:crypto';

/**
 * Replaces every customer name and card number of a Super Café branch file with
 * invented ones, changing nothing else: line endings, quoting, padding, header
 * lines and the damage spreadsheets did to card numbers (`5.49E+15`,
 * `9557104128182484.0`) stay as they were, so the file still exercises the same
 * layout code. Used once to make the repository's `samples/` from the public
 * bootcamp files; the real names never enter the repository.
 *
 * The mapping is deterministic (a keyed hash, see {@link Anonymiser}) and
 * injective within one run: the same real name always becomes the same invented
 * name, in every file of the run, so a re-export of a file still loads as the
 * same sales, and two different customers never merge into one.
 */

/** A data line starts with a date: `25/08/2021 09:00`, `9/5/2023 9:00` or `2021-02-23 09:00:48`. */
const DATA_LINE = /^\s*"?\d{1,4}[/-]\d{1,2}[/-]\d{1,4}/;
const NAME_COLUMN = 2;
const CARD_COLUMN = 6;
/** The issuer prefix is kept so card brands stay as they were: 4 digits name a scheme, not a person. */
const KEPT_PREFIX_DIGITS = 4;

const FIRST_NAMES = [
  'Ada', 'Alba', 'Alric', 'Amos', 'Anise', 'Arlo', 'Astrid', 'Bram', 'Briony', 'Cai', 'Calla', 'Cato', 'Cerys', 'Clem', 'Corin', 'Dara',
  'Delia', 'Dorian', 'Edda', 'Elio', 'Elsa', 'Emrys', 'Enid', 'Ezra', 'Fern', 'Finn', 'Flora', 'Gale', 'Greer', 'Hal', 'Hazel', 'Idris',
  'Ines', 'Ira', 'Isla', 'Ivo', 'Jago', 'Juno', 'Kit', 'Lark', 'Lena', 'Linus', 'Lorne', 'Mabel', 'Maren', 'Milo', 'Mira', 'Nell',
  'Nico', 'Nola', 'Odile', 'Olan', 'Orla', 'Otto', 'Pella', 'Pip', 'Quill', 'Rafe', 'Remy', 'Rhea', 'Rowan', 'Saffi', 'Seren', 'Silas',
  'Suki', 'Tam', 'Tansy', 'Teo', 'Thea', 'Tilde', 'Ulla', 'Vale', 'Vida', 'Wren', 'Xan', 'Yara', 'Yves', 'Zadie', 'Zeb', 'Zora',
] as const;
const SURNAME_HEADS = ['Ash', 'Bar', 'Bram', 'Cal', 'Dun', 'Elm', 'Fen', 'Gar', 'Hol', 'Ink', 'Kel', 'Lang', 'Mar', 'Nor', 'Oak', 'Pen', 'Quen', 'Ros', 'Tal', 'Wick'] as const;
const SURNAME_MIDS = ['a', 'be', 'ca', 'de', 'en', 'fi', 'go', 'ha', 'i', 'lo', 'mi', 'no', 'o', 'ra', 'si', 'tu'] as const;
const SURNAME_TAILS = ['by', 'combe', 'dale', 'den', 'field', 'ford', 'ham', 'holt', 'ley', 'more', 'ridge', 'stead', 'ton', 'wood'] as const;

export interface AnonymiserOptions {
  /** Key of the hash that picks the invented values; any fixed text gives a reproducible run. */
  readonly key: string;
}

/** The spans of one CSV line: each field's raw text (quotes and padding kept) and the separators between them. */
interface SplitLine {
  readonly fields: string[];
}

/** Splits a line on commas outside double quotes, keeping every character, so `fields.join(',')` is the line again. */
function splitRaw(line: string): SplitLine {
  const fields: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      fields.push(line.slice(start, index));
      start = index + 1;
    }
  }
  fields.push(line.slice(start));
  return { fields };
}

/** Replaces a field's content, keeping its quotes and its padding to the same width where the new text fits. */
function replaceContent(raw: string, replace: (content: string) => string): string {
  const match = /^(\s*)("?)(.*?)("?)(\s*)$/s.exec(raw);
  if (!match) return raw;
  const [, lead = '', open = '', content = '', close = '', trail = ''] = match;
  if (content.trim() === '') return raw;
  const inner = content.trim();
  const innerLead = content.slice(0, content.indexOf(inner));
  const innerTrail = content.slice(content.indexOf(inner) + inner.length);
  const replaced = replace(inner);
  const width = raw.length;
  const rebuilt = `${lead}${open}${innerLead}${replaced}${innerTrail}${close}`;
  // Fixed-width exports pad after the field: keep the column's width when the new value fits.
  return trail.length > 0 ? rebuilt.padEnd(Math.max(width, rebuilt.length + 1)) : rebuilt + trail;
}

/**
 * One anonymising run: call {@link Anonymiser.file} for each file, in a fixed
 * order, to get the same output every time.
 */
export class Anonymiser {
  private readonly key: string;
  private readonly names = new Map<string, string>();
  private readonly usedNames = new Set<string>();
  private readonly cards = new Map<string, string>();

  constructor(options: AnonymiserOptions) {
    this.key = options.key;
  }

  /** The invented name for a real one: first name plus a made-up surname, ≤ 21 characters, never given to two people. */
  name(real: string): string {
    const known = this.names.get(real);
    if (known) return known;
    for (let attempt = 0; ; attempt++) {
      const hash = this.hash(`name|${attempt}|${real}`);
      const first = FIRST_NAMES[hash.readUInt16BE(0) % FIRST_NAMES.length];
      const surname = `${SURNAME_HEADS[hash.readUInt16BE(2) % SURNAME_HEADS.length]}${SURNAME_MIDS[hash.readUInt16BE(4) % SURNAME_MIDS.length]}${SURNAME_TAILS[hash.readUInt16BE(6) % SURNAME_TAILS.length]}`;
      const candidate = `${first} ${surname}`;
      if (this.usedNames.has(candidate)) continue;
      this.usedNames.add(candidate);
      this.names.set(real, candidate);
      return candidate;
    }
  }

  /**
   * An invented card number of the same length and issuer prefix. Spreadsheet
   * damage is reproduced on the invented number: a pandas float (`…484.0`) is
   * the float the invented digits round to; scientific notation keeps its
   * number of significant digits, the first four kept, the rest invented.
   */
  card(real: string): string {
    const known = this.cards.get(real);
    if (known) return known;
    const invented = this.inventCard(real);
    this.cards.set(real, invented);
    return invented;
  }

  private inventCard(real: string): string {
    const typed = /^([a-z0-9]+),(\d+)$/i.exec(real);
    if (typed) return `${typed[1]},${this.digits(typed[2] as string)}`;
    if (/^\d+$/.test(real)) return this.digits(real);
    const float = /^(\d+)\.0+$/.exec(real);
    if (float) return `${BigInt(Math.round(Number(this.digits(float[1] as string)))).toString()}${real.slice((float[1] as string).length)}`;
    const scientific = /^(\d)\.(\d+)([eE][+-]?\d+)$/.exec(real);
    if (scientific) {
      const [, head = '', fraction = '', exponent = ''] = scientific;
      const kept = fraction.slice(0, KEPT_PREFIX_DIGITS - 1);
      const invented = fraction.length > kept.length ? this.digits(`${head}${fraction}`).slice(KEPT_PREFIX_DIGITS, 1 + fraction.length) : '';
      return `${head}.${kept}${invented}${exponent}`;
    }
    return real.toLowerCase() === 'none' ? real : this.digits(real.replace(/\D/g, '')) || real;
  }

  /** Same length, same first four digits, the rest from the keyed hash. */
  private digits(real: string): string {
    const hash = this.hash(`card|${real}`);
    let invented = real.slice(0, KEPT_PREFIX_DIGITS);
    for (let index = invented.length; index < real.length; index++) invented += String((hash[index % hash.length] as number) % 10);
    return invented;
  }

  /** Anonymises one file's text; every byte outside the name and card fields is kept. */
  file(text: string): string {
    const parts = text.split(/(\r\n|\n|\r)/);
    for (let index = 0; index < parts.length; index += 2) {
      const line = parts[index] as string;
      if (!DATA_LINE.test(line)) continue;
      const { fields } = splitRaw(line);
      if (fields.length <= CARD_COLUMN) {
        if (fields.length > NAME_COLUMN) fields[NAME_COLUMN] = replaceContent(fields[NAME_COLUMN] as string, (name) => this.name(name));
      } else {
        fields[NAME_COLUMN] = replaceContent(fields[NAME_COLUMN] as string, (name) => this.name(name));
        const last = fields.length - 1;
        fields[last] = replaceContent(fields[last] as string, (card) => this.card(card));
      }
      parts[index] = fields.join(',');
    }
    return parts.join('');
  }

  private hash(text: string): Buffer {
    return createHmac('sha256', this.key).update(text).digest();
  }
}
