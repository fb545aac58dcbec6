import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * An independent reading of the branch CSV files, for checking dashboard
 * figures: a few lines of plain TypeScript that share no code with the pipeline
 * (no csv-parse, no contracts, no zod), so a bug there cannot hide here.
 */
export interface SampleItem {
  readonly size: string;
  /** Name and flavour as the menu writes them: `Speciality Tea - Camomile`. */
  readonly label: string;
  readonly pence: number;
}

export interface SampleSale {
  readonly branch: string;
  readonly instantMs: number;
  readonly localDate: string;
  readonly localHour: number;
  /** 0 = Sunday, as SQL's DOW. */
  readonly localDow: number;
  readonly totalPence: number;
  readonly payment: 'CARD' | 'CASH';
  readonly items: readonly SampleItem[];
  /** Who bought, as the pipeline recognises a customer (name, plus the card when whole); null without a name. */
  readonly identity: string | null;
}

export interface SampleFile {
  readonly path: string;
  readonly rowsRead: number;
  readonly rejected: readonly { readonly line: number; readonly reason: string }[];
  readonly sales: readonly SampleSale[];
  /** Content keys of the sales, numbered per file like the pipeline's occurrence index. */
  readonly keys: readonly string[];
}

/** Splits one CSV line; whitespace around quoted fields is dropped (the padded export has it). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && char === '"') {
      quoted = false;
    } else if (!quoted && char === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (!quoted && char === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field.trim());
  return fields;
}

const pence = (text: string) => {
  const [pounds = '0', fraction = ''] = text.trim().split('.');
  return Number(pounds) * 100 + Number((fraction + '00').slice(0, 2));
};

/** Last Sunday of a month at 01:00 UTC: when UK clocks change. */
const lastSundayUtc = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1);
};

/** London wall clock to UTC: BST (UTC+1) between the March and October changes. */
function londonToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const bst = asUtc - 3_600_000 >= lastSundayUtc(y, 3) && asUtc - 3_600_000 < lastSundayUtc(y, 10);
  return asUtc - (bst ? 3_600_000 : 0);
}

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function wallClock(text: string): [number, number, number, number, number, number] | undefined {
  const dmy = DMY.exec(text);
  if (dmy) return [Number(dmy[3]), Number(dmy[2]), Number(dmy[1]), Number(dmy[4]), Number(dmy[5]), 0];
  const iso = ISO.exec(text);
  return iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6])] : undefined;
}

function standardItems(basket: string): SampleItem[] {
  return basket.split(', ').map((item) => {
    const cut = item.lastIndexOf(' - ');
    const words = item.slice(0, cut).trim().split(' ');
    // The 2020 export writes some items without a size word (`Speciality Tea - Camomile - 1.30`).
    const size = /^(regular|large)$/i.test(words[0] ?? '') ? (words.shift() as string) : '';
    return { size: size.toLowerCase(), label: words.join(' ').replace(/\s+/g, ' ').trim(), pence: pence(item.slice(cut + 3)) };
  });
}

function legacyItems(basket: string): SampleItem[] {
  const parts = basket.split(',');
  const items: SampleItem[] = [];
  for (let i = 0; i + 2 < parts.length; i += 3) items.push({ size: (parts[i] ?? '').trim().toLowerCase(), label: (parts[i + 1] ?? '').trim(), pence: pence(parts[i + 2] ?? '') });
  return items;
}

function identityOf(name: string, payment: string, card: string): string | null {
  const who = name.trim().replace(/\s+/g, ' ').toLowerCase();
  if (who === '') return null;
  const digits = card.trim().replace(/\.0+$/, '').replace(/[\s-]/g, '');
  return `${who}|${payment === 'CARD' && /^\d{12,19}$/.test(digits) ? digits : ''}`;
}

/** Reads one branch file in any of the sample layouts. */
export async function readSampleFile(path: string): Promise<SampleFile> {
  const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
  const sales: SampleSale[] = [];
  const keys: string[] = [];
  const rejected: { line: number; reason: string }[] = [];
  const seen = new Map<string, number>();
  let rowsRead = 0;
  let legacy: boolean | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const fields = splitCsvLine(line);
    const clock = wallClock(fields[0] ?? '');
    if (legacy === undefined) {
      legacy = /^\d{4}-/.test(fields[0] ?? '') && /^(CARD|CASH)$/.test(fields[4] ?? '');
      if (!clock) return; // a header row
    }
    rowsRead++;
    const reject = (reason: string) => rejected.push({ line: index + 1, reason });
    if (fields.length !== 7 || !clock) return reject('column_count');
    const [, branch = '', name = '', basket = '', fifth = '', sixth = '', card = ''] = fields;
    const [payment, total] = legacy ? [fifth, sixth] : [sixth, fifth];
    if (payment !== 'CARD' && payment !== 'CASH') return reject('payment_unknown');
    const items = legacy ? legacyItems(basket) : standardItems(basket);
    const totalPence = pence(total);
    if (items.reduce((sum, item) => sum + item.pence, 0) !== totalPence) return reject('total_mismatch');
    const [y, mo, d, h, mi, s] = clock;
    const localDate = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    const cardNumber = legacy ? (card.includes(',') ? card.slice(card.indexOf(',') + 1) : '') : card;
    const content = JSON.stringify([branch.toLowerCase(), localDate, h, mi, s, items, totalPence, payment, name.trim().replace(/\s+/g, ' ').toLowerCase()]);
    const occurrence = seen.get(content) ?? 0;
    seen.set(content, occurrence + 1);
    keys.push(`${content}#${occurrence}`);
    sales.push({
      branch: branch.replace(/\s+/g, ' '),
      instantMs: londonToUtc(y, mo, d, h, mi, s),
      localDate,
      localHour: h,
      localDow: new Date(Date.UTC(y, mo - 1, d)).getUTCDay(),
      totalPence,
      payment,
      items,
      identity: identityOf(name, payment, cardNumber),
    });
  });
  return { path, rowsRead, rejected, sales, keys };
}

/** Files as `supercafe ingest` takes them: each named folder's CSV files in name order. */
export async function listCsvFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isFile()) files.push(path);
    else files.push(...(await readdir(path)).filter((name) => name.toLowerCase().endsWith('.csv')).sort().map((name) => join(path, name)));
  }
  return files;
}

/**
 * Every distinct sale in the files: the same sale in several files (re-uploads,
 * spreadsheet re-saves) counts once, and the first copy read is the one kept.
 */
export async function readSampleSales(paths: readonly string[]): Promise<{ files: SampleFile[]; sales: SampleSale[] }> {
  const files = await Promise.all((await listCsvFiles(paths)).map(readSampleFile));
  const unique = new Map<string, SampleSale>();
  for (const file of files) file.sales.forEach((sale, index) => unique.has(file.keys[index] ?? '') || unique.set(file.keys[index] ?? '', sale));
  return { files, sales: [...unique.values()] };
}
