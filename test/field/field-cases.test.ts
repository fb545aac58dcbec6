import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableSql, WarehouseTables, type IngestFile, type QuarantineEntry, type SaleRecord } from '../../contracts/index.js';
import { projectEvent } from '../../consumers/sales-transform/project-event.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile, type IngestSummary } from '../../producers/csv-ingest/ingest-file.js';
import { memoryWriter } from '../helpers/memory-writer.js';
import { loadS3HandlerHarness, type S3HandlerHarness } from './s3-handler-harness.js';

/**
 * The field cases (faults reported in public by people running pipelines like
 * this one, see README.md here): each folder holds the input as reported and
 * `expected.txt`, the right outcome decided before the run. Each test below
 * asserts that outcome. Files go through the real producer (`ingestFile`) and
 * the real consumer projection (`projectEvent`: validate, redact, normalise), so
 * the assertions are on the rows the warehouse would get; the S3 cases run the
 * real Lambda handler with AWS faked at the SDK.
 */

const CASES = import.meta.dirname;
const expected = (folder: string) => readFileSync(join(CASES, folder, 'expected.txt'), 'utf8').trim();

interface Loaded {
  readonly summary: IngestSummary;
  readonly sales: SaleRecord[];
  readonly quarantine: QuarantineEntry[];
  readonly files: IngestFile[];
  /** Every text value of every event the producer wrote. */
  readonly rawTexts: string[];
}

/** One file through the producer and the consumer's projection, as far as the warehouse rows. */
async function load(path: string): Promise<Loaded> {
  const writer = memoryWriter();
  const summary = await ingestFile({ file: basename(path), reader: createFileObjectReader(dirname(path)), writer, pepper: 'field-pepper' });
  const context = { pepper: 'field-pepper', now: new Date('2026-01-01T00:00:00Z'), position: 'shard-0:1' };
  const sales: SaleRecord[] = [];
  const quarantine: QuarantineEntry[] = [];
  const files: IngestFile[] = [];
  for (const event of writer.events) {
    const projection = projectEvent(JSON.stringify(event), context);
    if (projection.kind === 'sale') sales.push(projection.record);
    else if (projection.kind === 'file') files.push(projection.file);
    else if (projection.kind === 'rejection' || projection.kind === 'quarantine') quarantine.push(projection.entry);
  }
  const rawTexts = writer.events.flatMap((event) => (event.type === 'TransactionRecorded' ? JSON.stringify(event.data).match(/"(?:[^"\\]|\\.)*"/g) ?? [] : []));
  return { summary, sales, quarantine, files, rawTexts };
}

const pence = (records: readonly SaleRecord[]) => records.reduce((sum, record) => sum + record.sale.totalPence, 0);

describe('Field case 01: the 2020 Generation export, items without a size word', () => {
  const folder = '01-gen2020-sizeless-items';
  const path = join(CASES, folder, 'aberdeen_11-10-2020_08-00-00.csv');

  /**
   * The figures read without the pipeline: the file split on its line breaks and
   * plain quote-aware commas, each item's price the digits after its last " - ",
   * its size the first word only when that word is Regular or Large.
   */
  function independent() {
    const rows = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
    const items: { size: string | null; product: string; flavour: string | null; pence: number }[] = [];
    let totalPence = 0;
    for (const row of rows) {
      const fields = row.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((field) => field.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
      totalPence += Math.round(Number(fields[4]) * 100);
      for (const item of (fields[3] ?? '').split(', ')) {
        const [, described = '', price = ''] = /^(.*) - (\d+\.\d{2})$/.exec(item.trim()) ?? [];
        const sized = /^(Regular|Large) (.*)$/.exec(described);
        const [product = '', flavour = null] = (sized ? (sized[2] ?? '') : described).split(' - ');
        items.push({ size: sized ? (sized[1] ?? null) : null, product, flavour, pence: Math.round(Number(price) * 100) });
      }
    }
    return { rows: rows.length, totalPence, items };
  }

  let loaded: Loaded;
  beforeAll(async () => {
    loaded = await load(path);
  });

  it(expected(folder), () => {
    // Assess: every row loads, none is rejected.
    expect(loaded.summary).toMatchObject({ status: 'loaded', layout: 'gen-2020', rowsRead: 7, eventsPublished: 7, rowsRejected: 0 });
    expect(loaded.quarantine).toEqual([]);
    expect(loaded.sales).toHaveLength(7);
    expect(pence(loaded.sales)).toBe(2020);
    const items = loaded.sales.flatMap((record) => record.items);
    expect(items).toHaveLength(13);
    expect(items.filter((item) => item.size === null)).toHaveLength(9);
    expect(items).toContainEqual(expect.objectContaining({ size: null, product: 'Speciality Tea', flavour: 'Camomile', pricePence: 130 }));
  });

  it('agrees with the figures computed independently of the pipeline, item by item', () => {
    // Prepare
    const figures = independent();
    // Assess: the same sales, pence and basket lines, £0.00 items included.
    expect(loaded.sales).toHaveLength(figures.rows);
    expect(pence(loaded.sales)).toBe(figures.totalPence);
    const items = loaded.sales.flatMap((record) => record.items.map(({ size, product, flavour, pricePence }) => ({ size, product, flavour, pence: pricePence })));
    expect(items).toEqual(figures.items);
    expect(items.filter((item) => item.pence === 0)).toHaveLength(2);
  });

  it('allows a NULL size in the warehouse, PostgreSQL and Redshift alike', () => {
    for (const dialect of ['postgres', 'redshift'] as const) expect(createTableSql(WarehouseTables.saleItems, dialect)).toMatch(/^ {2}size (TEXT|VARCHAR\(16\)),$/m);
  });
});

describe('Field case 02: CRLF and LF line endings in one file', () => {
  const folder = '02-mixed-line-endings';

  it.each(['leeds_2021-08-27_crlf-then-lf.csv', 'leeds_2021-08-28_lf-then-crlf.csv'])(`%s: ${expected(folder)}`, async (name) => {
    // Act
    const loaded = await load(join(CASES, folder, name));

    // Assess
    expect(loaded.summary).toMatchObject({ status: 'loaded', rowsRead: 6, eventsPublished: 6, rowsRejected: 0, linesSkipped: 0, lines: 6, lineEndings: 'mixed' });
    expect(loaded.sales).toHaveLength(6);
    expect(pence(loaded.sales)).toBe(1580);
    expect(loaded.quarantine).toEqual([]);
    expect(loaded.rawTexts.filter((text) => text.includes('\\r'))).toEqual([]);
    expect(JSON.stringify(loaded.sales)).not.toContain('\\r');
  });
});

describe('Field case 03: bare CR line endings (Excel for Mac)', () => {
  const folder = '03-cr-only-line-endings';

  it(expected(folder), async () => {
    const loaded = await load(join(CASES, folder, 'leeds_2021-09-02_mac-cr.csv'));
    expect(loaded.summary).toMatchObject({ status: 'loaded', rowsRead: 4, eventsPublished: 4, rowsRejected: 0, lines: 4, lineEndings: 'cr' });
    expect(pence(loaded.sales)).toBe(1065);
    expect(loaded.quarantine).toEqual([]);
  });
});

describe('Field case 04: UTF-16LE with a byte-order mark (Excel "Unicode text")', () => {
  const folder = '04-utf16le-bom';

  it(expected(folder), async () => {
    // Act
    const loaded = await load(join(CASES, folder, 'london-soho_2021-09-03_utf16le.csv'));

    // Assess: read as UTF-16LE, not refused as binary; the name with a diaeresis is read right.
    expect(loaded.summary).toMatchObject({ status: 'loaded', encoding: 'utf-16le', rowsRead: 3, eventsPublished: 3, rowsRejected: 0 });
    expect(pence(loaded.sales)).toBe(925);
    expect(loaded.rawTexts).toContain('"Zoë Ashby"');
  });
});

describe('Field cases 05 and 06: S3 events through the ingest Lambda handler', () => {
  let harness: S3HandlerHarness;
  beforeAll(async () => {
    harness = await loadS3HandlerHarness();
  });
  afterAll(() => harness?.restore());

  const eventOf = (folder: string) => JSON.parse(readFileSync(join(CASES, folder, 's3-event.json'), 'utf8')) as S3Event;

  it(`05: ${expected('05-s3-key-url-encoding')}`, async () => {
    // Prepare
    const key = "uploads/Leeds/leeds 27-08-2021 (copy 1) + fixes Zoë's.csv";
    const body = readFileSync(join(CASES, '05-s3-key-url-encoding', 'leeds_2021-08-27.csv'));

    // Act
    const run = await harness.run(eventOf('05-s3-key-url-encoding'), new Map([[key, body]]));

    // Assess
    expect(run.error).toBeUndefined();
    expect(run.objectsRequested).toEqual([key]);
    expect(run.events.map((event) => event.type)).toEqual(['TransactionRecorded', 'TransactionRecorded', 'TransactionRecorded', 'FileVersionIngested']);
    expect(run.events.at(-1)).toMatchObject({ type: 'FileVersionIngested', data: { file: key, status: 'loaded' } });
    expect(run.events.slice(0, 3).every((event) => event.type === 'TransactionRecorded' && event.source.kind === 'file' && event.source.file === key)).toBe(true);
  });

  it(`06: ${expected('06-s3-folder-marker')}`, async () => {
    // Act
    const run = await harness.run(eventOf('06-s3-folder-marker'), new Map([['uploads/Leeds/2024-03/', Buffer.alloc(0)]]));

    // Assess: nothing read, published or counted; nothing logged above debug.
    expect(run.error).toBeUndefined();
    expect(run.objectsRequested).toEqual([]);
    expect(run.events).toEqual([]);
    expect(run.metrics).toEqual([]);
    expect(run.output.filter((line) => typeof line === 'object' && line !== null && 'level' in line && (line as { level: string }).level !== 'DEBUG')).toEqual([]);
  });

  it('06: skips a zero-byte object whose key does not end in "/" the same way', async () => {
    // Prepare
    const event = eventOf('06-s3-folder-marker');
    const record = event.Records[0] as S3Event['Records'][number];
    record.s3.object.key = 'uploads/Leeds/placeholder.csv';
    record.s3.object.size = 0;

    // Act
    const run = await harness.run(event, new Map([['uploads/Leeds/placeholder.csv', Buffer.alloc(0)]]));

    // Assess
    expect([run.error, run.objectsRequested, run.events, run.metrics]).toEqual([undefined, [], [], []]);
  });
});

describe('Field case 12: a European Excel export, ";" separated with decimal commas', () => {
  const folder = '12-semicolon-excel-eu';

  it(expected(folder), async () => {
    const loaded = await load(join(CASES, folder, 'leeds_2024-03-05_semicolon.csv'));
    // Assess: ";" is recognised, so all four load; none is counted as a skipped header line.
    expect(loaded.summary).toMatchObject({ status: 'loaded', rowsRead: 4, eventsPublished: 4, rowsRejected: 0, linesSkipped: 0 });
    expect(loaded.summary.dialect).toMatchObject({ delimiter: 'semicolon', decimalComma: true });
    expect(loaded.files[0]?.dialect).toBe('semicolon, decimal comma');
    expect(loaded.sales.map((record) => record.sale.totalPence)).toEqual([215, 475, 195, 245]);
    expect(loaded.sales[1]?.items.map((item) => [item.size, item.product, item.pricePence])).toEqual([
      ['Large', 'Latte', 245],
      ['Regular', 'Mocha', 230],
    ]);
  });
});

describe("Field case 13: Excel's sep= hint line", () => {
  const folder = '13-excel-sep-hint';

  it(expected(folder), async () => {
    const loaded = await load(join(CASES, folder, 'leeds_2024-03-05_sep-hint.csv'));
    expect(loaded.summary).toMatchObject({ status: 'loaded', rowsRead: 3, eventsPublished: 3, rowsRejected: 0, linesSkipped: 2, skipped: { blank: 0, header: 1, preamble: 1, footnote: 0 } });
    expect(pence(loaded.sales)).toBe(885);
    expect(loaded.quarantine).toEqual([]);
  });
});

describe('Field cases', () => {
  // Where each case folder is tested (the till and CLI cases need the running services).
  const TESTED_IN: Readonly<Record<string, string>> = {
    '01-gen2020-sizeless-items': 'field/field-cases.test.ts',
    '02-mixed-line-endings': 'field/field-cases.test.ts',
    '03-cr-only-line-endings': 'field/field-cases.test.ts',
    '04-utf16le-bom': 'field/field-cases.test.ts',
    '05-s3-key-url-encoding': 'field/field-cases.test.ts',
    '06-s3-folder-marker': 'field/field-cases.test.ts',
    '10-till-saleid-reuse': 'e2e/till-api.test.ts',
    '11-till-concurrent-same-saleid': 'e2e/till-api.test.ts',
    '12-semicolon-excel-eu': 'field/field-cases.test.ts',
    '13-excel-sep-hint': 'field/field-cases.test.ts',
    '14-cli-exit-code': 'e2e/cli-exit-status.test.ts',
  };

  it('has a test for every case folder, which reads it', () => {
    const folders = readdirSync(CASES).filter((name) => statSync(join(CASES, name)).isDirectory()).sort();
    expect(folders).toEqual(Object.keys(TESTED_IN).sort());
    for (const folder of folders) expect(readFileSync(join(CASES, '..', TESTED_IN[folder] as string), 'utf8')).toContain(folder);
  });
});
