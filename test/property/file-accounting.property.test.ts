import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawSaleSchema, type SalesStreamEvent } from '../../contracts/index.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { memoryWriter } from '../helpers/memory-writer.js';

/**
 * The accounting invariant, over generated files: real sale rows written in a
 * random encoding, dialect, line endings and layout, with preamble, header,
 * blank lines, footnotes and damaged rows, read in random chunk sizes through the
 * real `ingestFile` (in-memory writer) and the real RawSale contract. For every
 * file: each line is a loaded row, a rejected row or a skipped line, and the
 * account adds up to the file's lines; every intact row loads exactly once with
 * its true values, at its line; every damaged row is rejected at its line.
 */

// ── The truth: sales as they happened ───────────────────────────────────────────

interface TrueItem {
  readonly size: 'Regular' | 'Large' | null;
  readonly product: string;
  readonly flavour: string | null;
  readonly pence: number;
}

interface TrueSale {
  readonly branch: string;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly name: string;
  readonly items: readonly TrueItem[];
  readonly payment: 'CARD' | 'CASH';
  readonly card: string;
}

const MENU = [
  { product: 'Latte', flavour: null, pence: 245 },
  { product: 'Flavoured iced latte', flavour: 'Hazelnut', pence: 275 },
  { product: 'Speciality Tea', flavour: 'Camomile', pence: 130 },
  { product: 'Frappes', flavour: 'Strawberries & Cream', pence: 275 },
  { product: 'Hot Chocolate', flavour: null, pence: 140 },
  { product: 'Babyccino', flavour: null, pence: 0 },
] as const;
const BRANCHES = ['Leeds', 'London Soho', 'Southend-on-Sea'];
// Invented names: ASCII, Latin-1 (which Windows-1252 can write), other scripts, and quote characters.
const LATIN1_NAMES = ['Ann Example', "Rory O'Brien", 'José Núñez', 'Zoë Ashby', 'Jürgen Weiß', 'Åse Øvrebø', 'Noël "Nono" Ray'];
const OTHER_NAMES = ['Łukasz Wiśniewski', 'Nguyễn Văn An', 'Σοφία Παππά'];

const itemArb = (sizeless: boolean) =>
  fc.tuple(fc.constantFrom(...MENU), fc.constantFrom<'Regular' | 'Large' | null>('Regular', 'Large', ...(sizeless ? [null] : []))).map(([entry, size]): TrueItem => ({
    size,
    product: entry.product,
    flavour: entry.flavour,
    pence: entry.pence + (size === 'Large' ? 30 : 0),
  }));

const saleArb = (sizeless: boolean, names: readonly string[]) =>
  fc.record({
    branch: fc.constantFrom(...BRANCHES),
    // June: no clock change, so every wall-clock time is one instant.
    day: fc.integer({ min: 1, max: 30 }),
    hour: fc.integer({ min: 8, max: 20 }),
    minute: fc.integer({ min: 0, max: 59 }),
    name: fc.constantFrom(...names),
    items: fc.array(itemArb(sizeless), { minLength: 1, maxLength: 4 }),
    payment: fc.constantFrom<'CARD' | 'CASH'>('CARD', 'CASH'),
    card: fc.stringMatching(/^4\d{15}$/),
  }) as fc.Arbitrary<TrueSale>;

// ── How a file writes them ──────────────────────────────────────────────────────

const DELIMITERS = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' } as const;
type DelimiterName = keyof typeof DELIMITERS;
type Damage = 'none' | 'delimiter-in-name' | 'stray-quote' | 'other-delimiter' | 'missing-field' | 'name-on-two-lines';
type Ending = '\n' | '\r\n' | '\r';
type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

interface FileSpec {
  readonly layout: 'standard' | 'gen-2020';
  readonly encoding: Encoding;
  readonly delimiter: DelimiterName;
  readonly quote: '"' | "'";
  readonly quoteAll: boolean;
  readonly decimalComma: boolean;
  readonly trailingColumn: boolean;
  readonly rowNumbers: boolean;
  readonly spaces: boolean;
  readonly header: boolean;
  readonly preamble: readonly string[];
  readonly footnotes: readonly string[];
  readonly rows: readonly { readonly sale: TrueSale; readonly damage: Damage; readonly blankBefore: boolean }[];
  readonly endings: readonly Ending[];
  readonly finalEnding: boolean;
  readonly chunkSize: number;
}

const DAMAGE_REASONS: Readonly<Record<Exclude<Damage, 'none' | 'name-on-two-lines'>, readonly string[]>> = {
  'delimiter-in-name': ['column_count'],
  'stray-quote': ['row_malformed'],
  'other-delimiter': ['column_count'],
  // Without the name the row has six columns; with a trailing or row-number column, seven in the wrong places.
  'missing-field': ['column_count', 'basket_malformed', 'date_unparsable'],
};

const fileSpecArb: fc.Arbitrary<FileSpec> = fc
  .record({
    layout: fc.constantFrom<'standard' | 'gen-2020'>('standard', 'gen-2020'),
    encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'),
    delimiter: fc.constantFrom<DelimiterName>('comma', 'semicolon', 'tab', 'pipe'),
    quote: fc.constantFrom<'"' | "'">('"', "'"),
    quoteAll: fc.boolean(),
    decimalComma: fc.boolean(),
    trailingColumn: fc.boolean(),
    rowNumbers: fc.boolean(),
    spaces: fc.boolean(),
    header: fc.boolean(),
    preamble: fc.subarray(['Super Café till export', 'Report: daily sales', 'Printed by TillMaster 3']),
    hint: fc.boolean(),
    footnotes: fc.subarray(['* prices include VAT', 'TOTAL', 'Payment summary', 'Generated by TillMaster']),
    chunkSize: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 70_000 })),
    finalEnding: fc.boolean(),
    rowCount: fc.integer({ min: 3, max: 24 }),
  })
  .chain((shape) => {
    // A `"` in a name of a file quoted with ' is written bare, which reads right only once ' is known to be the quote.
    const latin1 = shape.quote === "'" ? LATIN1_NAMES.filter((name) => !name.includes('"')) : LATIN1_NAMES;
    const names = shape.encoding === 'windows-1252' ? latin1 : [...latin1, ...OTHER_NAMES];
    const sizeless = shape.layout === 'gen-2020';
    const row = fc.record({
      sale: saleArb(sizeless, names),
      damage: fc.oneof(
        { weight: 7, arbitrary: fc.constant<Damage>('none') },
        { weight: 1, arbitrary: fc.constantFrom<Damage>('delimiter-in-name', 'stray-quote', 'other-delimiter', 'missing-field', 'name-on-two-lines') },
      ),
      blankBefore: fc.integer({ min: 0, max: 9 }).map((draw) => draw < 2),
    });
    // The first row is intact; in a 2020 export it shows the layout's mark (an item with its size slot blank, after
    // another), and in a file quoted with ' it has a name that must be quoted (an apostrophe), so the quote shows.
    const first = fc.record({
      sale: saleArb(sizeless, names).map((sale) => ({
        ...sale,
        ...(sizeless ? { items: [sale.items[0] as TrueItem, { product: 'Iced latte', flavour: null, size: null, pence: 235 }] } : {}),
        ...(shape.quote === "'" ? { name: "Rory O'Brien" } : {}),
      })),
      damage: fc.constant<Damage>('none'),
      blankBefore: fc.constant(false),
    });
    const lineCount = shape.preamble.length + 2 + shape.rowCount * 3 + shape.footnotes.length;
    return fc.record({
      // Damage on every other row at most, so intact rows outvote it wherever the dialect is sniffed.
      rows: fc
        .tuple(first, fc.array(row, { minLength: shape.rowCount - 1, maxLength: shape.rowCount - 1 }))
        .map(([head, rest]) => [head, ...rest.map((entry, index) => (index % 2 === 0 ? { ...entry, damage: 'none' as const } : entry))]),
      endings: fc.array(fc.constantFrom<Ending>('\n', '\r\n', '\r'), { minLength: lineCount, maxLength: lineCount }),
      shape: fc.constant(shape),
    });
  })
  .map(({ rows, endings, shape }) => ({
    ...shape,
    decimalComma: shape.decimalComma && shape.delimiter !== 'comma',
    preamble: shape.hint ? [`sep=${DELIMITERS[shape.delimiter]}`, ...shape.preamble] : shape.preamble,
    rows,
    endings,
  }));

/** What the file should become, line by line. */
interface Expected {
  readonly bytes: Buffer;
  readonly lines: number;
  readonly continued: number;
  readonly skipped: { blank: number; header: number; preamble: number; footnote: number };
  readonly intact: Map<number, TrueSale>;
  readonly damaged: Map<number, Damage>;
  readonly endingsUsed: Set<Ending>;
}

const money = (pence: number, decimalComma: boolean) => {
  const text = `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
  return decimalComma ? text.replace('.', ',') : text;
};

function basketText(items: readonly TrueItem[], decimalComma: boolean): string {
  // The 2020 export joins an empty size and the name with a space, so a sizeless item starts with one.
  return items.map((item) => `${item.size ?? ''} ${item.product}${item.flavour ? ` - ${item.flavour}` : ''} - ${money(item.pence, decimalComma)}`).join(', ');
}

/** Writes the file and works out, independently of the pipeline, what each line is. */
function writeFile(spec: FileSpec): Expected {
  const d = DELIMITERS[spec.delimiter];
  const q = spec.quote;
  const pad = (text: string) => (spec.spaces ? ` ${text} ` : text);
  // Quoted as an exporter quotes: every field, or only those that need it.
  const field = (text: string) => {
    const needs = text.includes(d) || text.includes(q) || /^\s|\s$/.test(text);
    return pad(spec.quoteAll || needs ? `${q}${text.replaceAll(q, q + q)}${q}` : text);
  };
  const line = (fields: readonly string[], index?: number) => {
    const all = spec.rowNumbers ? [index === undefined ? '' : String(index), ...fields] : fields;
    return all.join(d) + (spec.trailingColumn ? d : '');
  };

  const out: string[] = [];
  const endingCounts = new Map<Ending, number>();
  const use = (ending: Ending) => endingCounts.set(ending, (endingCounts.get(ending) ?? 0) + 1);
  let endingIndex = 0;
  let lines = 0;
  let continued = 0;
  const intact = new Map<number, TrueSale>();
  const damaged = new Map<number, Damage>();
  const skipped = { blank: 0, header: 0, preamble: 0, footnote: 0 };
  const nextEnding = (): Ending => spec.endings[endingIndex++ % spec.endings.length] as Ending;
  const push = (text: string, blank = false) => {
    let ending = nextEnding();
    // A bare CR and then an empty line ending in LF would be one CRLF.
    if (blank && ending === '\n' && out.at(-1)?.endsWith('\r')) ending = '\r\n';
    out.push(text + ending);
    use(ending);
    lines++;
  };

  for (const text of spec.preamble) {
    push(text);
    skipped.preamble++;
  }
  if (spec.header) {
    push(line(['Date', 'Branch', 'Customer', 'Items', 'Total', 'Payment', 'Card'].map((name) => field(name))));
    skipped.header++;
  }
  spec.rows.forEach(({ sale, damage, blankBefore }, index) => {
    if (blankBefore) {
      push(spec.spaces ? '   ' : '', true);
      skipped.blank++;
    }
    const date = `${String(sale.day).padStart(2, '0')}/06/2024 ${String(sale.hour).padStart(2, '0')}:${String(sale.minute).padStart(2, '0')}`;
    const total = money(sale.items.reduce((sum, item) => sum + item.pence, 0), spec.decimalComma);
    const card = sale.payment === 'CARD' ? sale.card : '';
    const basket = basketText(sale.items, spec.decimalComma);
    const at = lines + 1;
    switch (damage) {
      case 'none':
        push(line([date, sale.branch, sale.name, basket, total, sale.payment, card].map((text) => field(text)), index));
        intact.set(at, sale);
        return;
      case 'name-on-two-lines': {
        // A quoted field may span lines: still an intact row, reported at its first line.
        const ending = nextEnding();
        use(ending);
        push(line([field(date), field(sale.branch), pad(`${q}${sale.name.replaceAll(q, q + q).replace(' ', ending)}${q}`), field(basket), field(total), field(sale.payment), field(card)], index));
        lines++;
        continued++;
        intact.set(at, sale);
        return;
      }
      case 'delimiter-in-name':
        push(line([field(date), field(sale.branch), pad(`Smith${d} ${sale.name.replace(/["']/g, '')}`), field(basket), field(total), field(sale.payment), field(card)], index));
        break;
      case 'stray-quote':
        push(line([field(date), field(sale.branch), pad(`Ann ${q}Nan${q} Other`), field(basket), field(total), field(sale.payment), field(card)], index));
        break;
      case 'other-delimiter': {
        const other = Object.values(DELIMITERS).find((candidate) => candidate !== d) as string;
        push([date, sale.branch, sale.name.replace(/["']/g, ''), basket, total, sale.payment, card].join(other));
        break;
      }
      case 'missing-field':
        push(line([date, sale.branch, basket, total, sale.payment, card].map((text) => field(text)), index));
        break;
      default: {
        const unhandled: never = damage;
        return unhandled;
      }
    }
    damaged.set(at, damage);
  });
  for (const text of spec.footnotes) {
    push(text === 'TOTAL' ? line(['Total', '', '', '', money(100, spec.decimalComma), '', '']) : text);
    skipped.footnote++;
  }
  let text = out.join('');
  // Without a line break at the end, unless the last line is blank (it would not be a line then).
  if (!spec.finalEnding && !/(\r\n|\r|\n) *(\r\n|\r|\n)$/.test(text)) {
    const last = /(\r\n|\r|\n)$/.exec(text)?.[1] as Ending;
    text = text.slice(0, -last.length);
    endingCounts.set(last, (endingCounts.get(last) ?? 1) - 1);
  }
  const endingsUsed = new Set([...endingCounts].filter(([, count]) => count > 0).map(([ending]) => ending));
  const bytes =
    spec.encoding === 'utf-8'
      ? Buffer.from(text, 'utf8')
      : spec.encoding === 'utf-8-bom'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
        : spec.encoding === 'utf-16le'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
          : spec.encoding === 'utf-16be'
            ? Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
            : Buffer.from(text, 'latin1');
  return { bytes, lines, continued, skipped, intact, damaged, endingsUsed };
}

const chunked = (bytes: Buffer, size: number) => ({
  open: async () => Readable.from((function* () {
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  })()),
});

describe('Property: every line of a file is accounted for, and every intact row loads once with its true values', () => {
  it('holds for generated files in random encodings, dialects, line endings, layouts and damage', async () => {
    await fc.assert(
      fc.asyncProperty(fileSpecArb, async (spec) => {
        // Prepare
        const expected = writeFile(spec);
        const writer = memoryWriter();

        // Act
        const summary = await ingestFile({ file: 'generated.csv', reader: chunked(expected.bytes, spec.chunkSize), writer, pepper: 'property-pepper' });

        // Assess: the account adds up to the file's lines, by reason.
        expect(summary).toMatchObject({ status: 'loaded', lines: expected.lines, linesContinued: expected.continued, skipped: expected.skipped });
        expect(summary.lines).toBe(summary.rowsRead + summary.linesSkipped + summary.linesContinued);
        expect(summary.rowsRead).toBe(summary.eventsPublished + summary.rowsRejected);
        expect(summary.rowsRead).toBe(expected.intact.size + expected.damaged.size);

        // How the file was written is on record.
        const nonAscii = expected.bytes.some((byte) => byte > 0x7f);
        expect(summary.encoding).toBe(spec.encoding === 'windows-1252' && !nonAscii ? 'utf-8' : spec.encoding);
        expect(summary.dialect).toMatchObject({
          delimiter: spec.delimiter,
          quote: spec.quote === '"' ? 'double' : 'single',
          rowNumbers: spec.rowNumbers,
          trailingColumn: spec.trailingColumn,
          decimalComma: spec.decimalComma,
        });
        expect(summary.layout).toBe(spec.layout === 'gen-2020' ? 'gen-2020' : spec.header ? 'header' : 'standard');
        const kinds = [...expected.endingsUsed];
        expect(summary.lineEndings).toBe(kinds.length === 0 ? 'none' : kinds.length > 1 ? 'mixed' : { '\n': 'lf', '\r\n': 'crlf', '\r': 'cr' }[kinds[0] as Ending]);

        // Every intact row: one sale, at its line, with its true values.
        const sales = writer.events.filter((event): event is Extract<SalesStreamEvent, { type: 'TransactionRecorded' }> => event.type === 'TransactionRecorded');
        const lineOf = (event: SalesStreamEvent) => ('source' in event && event.source.kind === 'file' ? event.source.line : -1);
        expect(sales.map(lineOf).sort((a, b) => a - b)).toEqual([...expected.intact.keys()]);
        for (const event of sales) {
          const truth = expected.intact.get(lineOf(event)) as TrueSale;
          const sale = RawSaleSchema.parse(event.data);
          expect({
            branch: sale.branch,
            businessDate: sale.businessDate,
            timestamp: event.data.timestamp,
            customerName: sale.customerName,
            items: sale.items,
            totalPence: sale.totalPence,
            paymentMethod: sale.paymentMethod,
            cardNumber: sale.cardNumber,
          }).toEqual({
            branch: truth.branch,
            businessDate: `2024-06-${String(truth.day).padStart(2, '0')}`,
            timestamp: `2024-06-${String(truth.day).padStart(2, '0')} ${String(truth.hour).padStart(2, '0')}:${String(truth.minute).padStart(2, '0')}`,
            customerName: truth.name,
            items: truth.items.map((item) => ({ size: item.size, product: item.product, flavour: item.flavour, pricePence: item.pence })),
            totalPence: truth.items.reduce((sum, item) => sum + item.pence, 0),
            paymentMethod: truth.payment,
            cardNumber: truth.payment === 'CARD' ? truth.card : null,
          });
        }

        // Every damaged row: rejected at its line, with the reason its damage gives.
        const rejected = writer.events.filter((event): event is Extract<SalesStreamEvent, { type: 'RowRejected' }> => event.type === 'RowRejected');
        expect(rejected.map(lineOf).sort((a, b) => a - b)).toEqual([...expected.damaged.keys()]);
        for (const event of rejected) {
          const damage = expected.damaged.get(lineOf(event)) as keyof typeof DAMAGE_REASONS;
          expect(DAMAGE_REASONS[damage]).toContain(event.data.reason);
        }
      }),
      // Bounded for `npm test`; PROPERTY_RUNS=5000 for a deeper search.
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) },
    );
  }, 60_000);
});
