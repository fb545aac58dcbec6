import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { WarehouseTables, loadedColumns, type IngestFile, type SaleRecord, type TableDefinition } from '../../../contracts/index.js';
import { ingestFileFactory, quarantineEntryFactory, saleRecordFactory } from '../../../test/helpers/factories.js';
import type { ProjectionBatch } from '../ports.js';
import { createPostgresSink } from './postgres-sink.js';

/**
 * The sink's decisions, seen through the statements it sends: which rows each
 * table gets, what it removes, and its transaction. The fake answers the fold's
 * reads from what it was told (file versions, voids, the rows the set-based
 * retraction and balance would pick) and refuses any statement it does not know.
 * What PostgreSQL then does with the statements is test/infra/warehouse-fold.test.ts's.
 */

const FILE = 'uploads/leeds/leeds_27-08-2021_09-00-00.csv';
const V1 = '00000000000000000000005F1A2B3C4D';
const V2 = '00000000000000000000005F1A2B3C9E';
const FOLD_LOCK = 0x5c_f01d;

type Row = Record<string, unknown>;

interface FakeState {
  /** Versions already in `file_versions`. */
  readonly versions?: readonly { file: string; version: string; status: string }[];
  /** Till sales already voided. */
  readonly voided?: readonly string[];
  /** What the retraction of superseded versions picks. */
  readonly retracted?: readonly string[];
  /** What the live-and-file balance picks, by scope. */
  readonly shadowedByKeys?: readonly string[];
  readonly shadowedByFiles?: readonly string[];
  /** A statement (by its start) that fails. */
  readonly failOn?: string;
  readonly rollbackFails?: boolean;
}

const TABLES: readonly TableDefinition[] = Object.values(WarehouseTables);

/** An `INSERT … SELECT * FROM unnest(…)` back to its rows, checking it binds every loaded column as its warehouse type. */
function insertedRows(sql: string, params: readonly unknown[]): { table: string; rows: Row[]; conflict: string } {
  const match = /^INSERT INTO (\w+) \(([^)]*)\) SELECT \* FROM unnest\(([^)]*)\)\s+ON CONFLICT \(([^)]*)\) (.*)$/s.exec(sql);
  if (!match) throw new Error(`not an unnest insert: ${sql}`);
  const [, name, columnList, casts, conflict] = match as unknown as [string, string, string, string, string];
  const table = TABLES.find((each) => each.name === name);
  if (!table) throw new Error(`no table ${name}`);
  const columns = loadedColumns(table);
  expect(columnList.split(', ')).toEqual(columns.map((column) => column.name));
  expect(casts.split(', ')).toEqual(columns.map((column, index) => `$${index + 1}::${column.type}[]`));
  expect(conflict.split(', ')).toEqual(table.primaryKey);
  const arrays = params as unknown[][];
  const rows = (arrays[0] ?? []).map((_, index) => Object.fromEntries(columns.map((column, at) => [column.name, arrays[at]?.[index]])));
  return { table: name, rows, conflict: match[5] as string };
}

/** The greatest loaded version of each file, else its greatest (the fold's head). */
function headsOf(versions: readonly { file: string; version: string; status: string }[], files: readonly string[]): Row[] {
  return files.flatMap((file) => {
    const own = versions.filter((each) => each.file === file);
    if (own.length === 0) return [];
    const loaded = own.filter((each) => each.status === 'loaded').map((each) => each.version);
    const pick = (list: string[]) => list.sort().at(-1);
    return [{ file, version: pick(loaded) ?? pick(own.map((each) => each.version)) }];
  });
}

function fakePool(state: FakeState = {}) {
  const versions = [...(state.versions ?? [])];
  const statements: { sql: string; params: readonly unknown[] }[] = [];
  const inserted: Record<string, Row[]> = {};
  const upserts: Record<string, { rows: Row[]; onConflict: string }> = {};
  const deleted: Record<string, string[][]> = {};
  const listeners: { on: string[]; off: string[] } = { on: [], off: [] };
  let connections = 0;
  let releases = 0;

  async function query(sql: string, params: readonly unknown[] = []): Promise<{ rows: Row[] }> {
    statements.push({ sql, params });
    const flat = sql.replace(/\s+/g, ' ').trim();
    if (state.failOn && flat.startsWith(state.failOn)) throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    if (flat === 'BEGIN' || flat === 'COMMIT') return { rows: [] };
    if (flat === 'ROLLBACK') {
      if (state.rollbackFails) throw new Error('no connection');
      return { rows: [] };
    }
    if (flat === 'SELECT pg_advisory_xact_lock($1)') return { rows: [] };
    if (flat.startsWith("SELECT file, COALESCE(MAX(CASE WHEN status = 'loaded' THEN version END), MAX(version)) AS version FROM file_versions WHERE file = ANY($1::text[]) GROUP BY file")) {
      return { rows: headsOf(versions, params[0] as string[]) };
    }
    if (flat === 'SELECT event_id FROM till_sales WHERE voided_by IS NOT NULL AND event_id = ANY($1::text[])') {
      return { rows: (params[0] as string[]).filter((id) => state.voided?.includes(id)).map((event_id) => ({ event_id })) };
    }
    const deletion = /^DELETE FROM (sale_items|sales) WHERE event_id = ANY\(\$1::text\[\]\)$/.exec(flat);
    if (deletion) {
      (deleted[deletion[1] as string] ??= []).push(params[0] as string[]);
      return { rows: [] };
    }
    if (flat.startsWith('UPDATE file_versions v SET is_current = CASE WHEN v.version = h.version THEN 1 ELSE 0 END FROM (SELECT file, COALESCE(')) {
      return { rows: [] };
    }
    const older = /^SELECT h\.file FROM \((SELECT file, COALESCE\(.*GROUP BY file)\) h WHERE EXISTS \(SELECT 1 FROM sale_sources m WHERE m\.file = h\.file AND m\.version < h\.version\)$/.exec(flat);
    if (older) {
      const heads = headsOf(versions, params[0] as string[]);
      const sources = inserted.sale_sources ?? [];
      return { rows: heads.filter((head) => sources.some((row) => row.file === head.file && (row.version as string) < (head.version as string))).map((head) => ({ file: head.file })) };
    }
    if (flat.startsWith('WITH heads AS (') && flat.includes('SELECT DISTINCT m.event_id FROM sale_sources m WHERE m.file = ANY($1::text[])')) {
      return { rows: (state.retracted ?? []).map((event_id) => ({ event_id })) };
    }
    if (flat.startsWith('DELETE FROM sale_sources m USING (SELECT file, COALESCE(') && flat.endsWith('WHERE m.file = h.file AND m.version < h.version')) {
      (deleted.sale_sources ??= []).push(params[0] as string[]);
      return { rows: [] };
    }
    if (flat.startsWith('WITH keyed AS (')) {
      const byKeys = flat.includes("WHERE kind = 'sale' AND match_key = ANY($1::text[]) GROUP BY match_key");
      const byFiles = flat.includes("WHERE kind = 'sale' AND match_key IN (SELECT match_key FROM sale_sources WHERE file = ANY($1::text[])) GROUP BY match_key");
      if (!flat.endsWith('WHERE c.rn > GREATEST(f.rows - k.tills, 0)') || byKeys === byFiles) throw new Error(`unknown balance: ${flat}`);
      return { rows: ((byKeys ? state.shadowedByKeys : state.shadowedByFiles) ?? []).map((event_id) => ({ event_id })) };
    }
    if (flat.startsWith('INSERT INTO')) {
      const { table, rows, conflict } = insertedRows(flat, params);
      if (conflict === 'DO NOTHING') {
        (inserted[table] ??= []).push(...rows);
        if (table === 'file_versions') versions.push(...rows.map((row) => ({ file: row.file as string, version: row.version as string, status: row.status as string })));
      } else upserts[table] = { rows, onConflict: conflict };
      return { rows: [] };
    }
    throw new Error(`unexpected statement: ${flat}`);
  }

  const client = {
    query,
    on: (event: string) => listeners.on.push(event),
    off: (event: string) => listeners.off.push(event),
    release: () => void releases++,
  };
  const pool = {
    connect: async () => {
      connections++;
      return client;
    },
  } as unknown as Pool;
  return { pool, statements, inserted, upserts, deleted, listeners, connections: () => connections, releases: () => releases };
}

function batch(parts: Partial<ProjectionBatch>): ProjectionBatch {
  return { sales: parts.sales ?? [], quarantine: parts.quarantine ?? [], files: parts.files ?? [], voids: parts.voids ?? [] };
}

/** A row of `version` of the file, with its own match key unless given. */
function fileRow(index: number, version: string, matchKey?: string): SaleRecord {
  const record = saleRecordFactory(index, 1);
  return { ...record, origin: { kind: 'file', file: FILE, version, line: index, matchKey: matchKey ?? record.sale.eventId } };
}

function tillSale(index: number, matchKey: string | null): SaleRecord {
  const record = saleRecordFactory(index, 1);
  return { ...record, sale: { ...record.sale, source: 'till', sourceRef: 'till_0123456789abcdef' }, origin: { kind: 'till', matchKey } };
}

const account = (version: string, overrides: Partial<IngestFile> = {}): IngestFile => ingestFileFactory({ file: FILE, version, ...overrides });
const idOf = (index: number) => index.toString(16).padStart(32, '0');
const eventIds = (rows: readonly Row[] | undefined) => (rows ?? []).map((row) => row.event_id);

describe('Function: createPostgresSink', () => {
  it('does not touch the warehouse for an empty batch', async () => {
    // Prepare
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(batch({}));
    // Assess
    expect(fake.connections()).toBe(0);
  });

  it.each([
    ['a sale', batch({ sales: [tillSale(1, null)] })],
    ['a quarantine entry', batch({ quarantine: [quarantineEntryFactory()] })],
    ['a file’s account', batch({ files: [account(V1)] })],
    ['a void', batch({ voids: [{ saleEventId: idOf(1), voidEventId: idOf(2), recordedAt: '2021-08-27T09:00:00.000Z' }] })],
    ['a sale and a quarantine entry', batch({ sales: [tillSale(1, null)], quarantine: [quarantineEntryFactory()] })],
    ['a sale and an account', batch({ sales: [tillSale(1, null)], files: [account(V1)] })],
    ['a sale and a void', batch({ sales: [tillSale(1, null)], voids: [{ saleEventId: idOf(3), voidEventId: idOf(2), recordedAt: '2021-08-27T09:00:00.000Z' }] })],
  ])('loads a batch of %s in one transaction under the fold’s lock, on one connection it gives back', async (_, each) => {
    // Prepare
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(each);
    // Assess
    expect(fake.connections()).toBe(1);
    expect(fake.statements.slice(0, 2)).toEqual([
      { sql: 'BEGIN', params: [] },
      { sql: 'SELECT pg_advisory_xact_lock($1)', params: [FOLD_LOCK] },
    ]);
    expect(fake.statements.at(-1)).toEqual({ sql: 'COMMIT', params: [] });
    expect(fake.releases()).toBe(1);
    expect(fake.listeners).toEqual({ on: ['error'], off: ['error'] });
  });

  it('rolls back and rethrows when a statement fails, and gives the connection back', async () => {
    // Prepare
    const fake = fakePool({ failOn: 'INSERT INTO sales' });
    // Act
    const outcome = createPostgresSink(fake.pool).load(batch({ sales: [tillSale(1, null)] }));
    // Assess
    await expect(outcome).rejects.toThrow('connection reset');
    expect(fake.statements.at(-1)?.sql).toBe('ROLLBACK');
    expect(fake.statements.map((statement) => statement.sql)).not.toContain('COMMIT');
    expect(fake.releases()).toBe(1);
    expect(fake.listeners).toEqual({ on: ['error'], off: ['error'] });
  });

  it('reports the statement’s error, not the rollback’s, when the connection is gone', async () => {
    // Prepare
    const fake = fakePool({ failOn: 'INSERT INTO sales', rollbackFails: true });
    // Act / Assess
    await expect(createPostgresSink(fake.pool).load(batch({ sales: [tillSale(1, null)] }))).rejects.toThrow('connection reset');
    expect(fake.releases()).toBe(1);
  });

  it('loads a new file’s first version whole: its account, sales, lines and memberships, retracting nothing', async () => {
    // Prepare
    const fake = fakePool();
    const rows = [fileRow(1, V1), fileRow(2, V1)];
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: rows, files: [account(V1)], quarantine: [quarantineEntryFactory()] }));
    // Assess
    expect(fake.inserted.file_versions).toEqual([expect.objectContaining({ file: FILE, version: V1, is_current: 0, status: 'loaded' })]);
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(1), idOf(2)]);
    expect(eventIds(fake.inserted.sale_items)).toEqual([idOf(1), idOf(2)]);
    expect(eventIds(fake.inserted.quarantine)).toEqual(['f'.repeat(32)]);
    expect(fake.inserted.sale_sources).toEqual([
      { file: FILE, version: V1, event_id: idOf(1), line: 1, match_key: idOf(1) },
      { file: FILE, version: V1, event_id: idOf(2), line: 2, match_key: idOf(2) },
    ]);
    // The head moved (from none to v1): marked current, the account shown; a first head retracts nothing.
    expect(fake.statements.filter((statement) => statement.sql.startsWith('UPDATE file_versions')).map((statement) => statement.params)).toEqual([[[FILE]]]);
    expect(fake.upserts.ingest_files?.rows).toEqual([expect.objectContaining({ file: FILE, version: V1, rows_read: 382 })]);
    expect(fake.upserts.ingest_files?.onConflict).toMatch(/^DO UPDATE SET branch = EXCLUDED\.branch, .*version = EXCLUDED\.version$/);
    expect(fake.upserts.ingest_files?.onConflict).not.toContain('file = EXCLUDED.file');
    expect(fake.statements.some((statement) => statement.sql.trim().startsWith('WITH heads'))).toBe(false);
    expect(fake.deleted).toEqual({});
    // The balance looks at the rows' match keys, then at every key of the file whose head moved.
    const balances = fake.statements.filter((statement) => statement.sql.trim().startsWith('WITH keyed'));
    expect(balances.map((statement) => statement.params)).toEqual([[[idOf(1), idOf(2)]], [[FILE]]]);
  });

  it('loads rows of a file whose account has not come yet, without moving its head', async () => {
    // Prepare
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V1)] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(1)]);
    expect(eventIds(fake.inserted.sale_sources)).toEqual([idOf(1)]);
    expect(fake.inserted.file_versions).toBeUndefined();
    expect(fake.statements.some((statement) => statement.sql.startsWith('UPDATE'))).toBe(false);
    expect(fake.statements.filter((statement) => statement.sql.trim().startsWith('WITH keyed')).map((statement) => statement.params)).toEqual([[[idOf(1)]]]);
  });

  it('ignores a redelivered older version once a newer one is the head', async () => {
    // Prepare: v2 is loaded; v1's rows and account come again
    const fake = fakePool({ versions: [{ file: FILE, version: V2, status: 'loaded' }] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V1), fileRow(2, V1)], files: [account(V1)] }));
    // Assess: the account is history; no fact of v1 counts, the head stays
    expect(fake.inserted.file_versions?.map((row) => row.version)).toEqual([V1]);
    expect(fake.inserted.sales).toBeUndefined();
    expect(fake.inserted.sale_items).toBeUndefined();
    expect(fake.inserted.sale_sources).toBeUndefined();
    expect(fake.upserts.ingest_files).toBeUndefined();
    expect(fake.statements.some((statement) => statement.sql.startsWith('UPDATE'))).toBe(false);
  });

  it('loads the rows of a version that is the head, and of a version newer than the head', async () => {
    // Prepare: v1 is the head; rows of v1 and of v2 (whose account is still to come) arrive
    const fake = fakePool({ versions: [{ file: FILE, version: V1, status: 'loaded' }] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V1), fileRow(2, V2)] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(1), idOf(2)]);
    expect(fake.inserted.sale_sources?.map((row) => row.version)).toEqual([V1, V2]);
  });

  it('counts a sale an older version and the head both hold, keeping only the head’s membership', async () => {
    // Prepare: v2 is the head; one sale comes as a row of v1 and of v2, another as a row of v1 only
    const fake = fakePool({ versions: [{ file: FILE, version: V2, status: 'loaded' }] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V1), fileRow(1, V2), fileRow(2, V1)] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(1), idOf(1)]);
    expect(fake.inserted.sale_sources?.map((row) => [row.event_id, row.version])).toEqual([[idOf(1), V2]]);
  });

  it('moves a file’s head on: marks it, shows its account, retracts what no current version holds and prunes old memberships', async () => {
    // Prepare: v1 was the head; v2 drops sale 2 (the retraction picks it); sale 5 is shadowed by a till sale
    const fake = fakePool({ versions: [{ file: FILE, version: V1, status: 'loaded' }], retracted: [idOf(2)], shadowedByKeys: [idOf(5)], shadowedByFiles: [idOf(6)] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V2)], files: [account(V2)] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(1)]);
    const retraction = fake.statements.find((statement) => statement.sql.trim().startsWith('WITH heads'));
    expect(retraction?.params).toEqual([[FILE]]);
    // A file that had a head is retracted without asking whether it holds older rows (only first heads are asked).
    expect(fake.statements.some((statement) => statement.sql.startsWith('SELECT h.file'))).toBe(false);
    expect(fake.upserts.ingest_files?.rows.map((row) => row.version)).toEqual([V2]);
    expect(fake.deleted).toEqual({ sale_items: [[idOf(2)], [idOf(5)], [idOf(6)]], sales: [[idOf(2)], [idOf(5)], [idOf(6)]], sale_sources: [[FILE]] });
  });

  it('retracts rows of an older version loaded before any account came, when the file’s first head is newer', async () => {
    // Prepare: rows of v1 (no account yet), then v2's rows and both accounts; the retraction picks sale 2
    const fake = fakePool({ retracted: [idOf(2)] });
    const sink = createPostgresSink(fake.pool);
    await sink.load(batch({ sales: [fileRow(1, V1), fileRow(2, V1)] }));
    // Act
    await sink.load(batch({ sales: [fileRow(1, V2)], files: [account(V1), account(V2)] }));
    // Assess: asked which first heads hold older rows, then retracted and pruned that file
    const asked = fake.statements.filter((statement) => statement.sql.startsWith('SELECT h.file'));
    expect(asked.map((statement) => statement.params)).toEqual([[[FILE]]]);
    expect(fake.statements.find((statement) => statement.sql.trim().startsWith('WITH heads'))?.params).toEqual([[FILE]]);
    expect(fake.deleted.sales?.[0]).toEqual([idOf(2)]);
    expect(fake.deleted.sale_sources).toEqual([[FILE]]);
  });

  it('retracts nothing when a file’s first head holds every row loaded', async () => {
    // Prepare
    const fake = fakePool({ retracted: [idOf(2)] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [fileRow(1, V1)], files: [account(V1)] }));
    // Assess: the question is asked, and no file answers it
    expect(fake.statements.filter((statement) => statement.sql.startsWith('SELECT h.file'))).toHaveLength(1);
    expect(fake.statements.some((statement) => statement.sql.trim().startsWith('WITH heads'))).toBe(false);
    expect(fake.deleted).toEqual({});
  });

  it('shows only the head’s account, once, when a batch holds several accounts of a file', async () => {
    // Prepare: v1's account, v2's account twice (a redelivery within the batch)
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(batch({ files: [account(V1), account(V2, { rowsRead: 7 }), account(V2, { rowsRead: 8 })] }));
    // Assess
    expect(fake.upserts.ingest_files?.rows.map((row) => [row.version, row.rows_read])).toEqual([[V2, 7]]);
  });

  it('shows the account of each file whose head moved, two files in one batch', async () => {
    // Prepare
    const fake = fakePool();
    const other = 'uploads/york/york_27-08-2021_09-00-00.csv';
    // Act
    await createPostgresSink(fake.pool).load(batch({ files: [account(V1), ingestFileFactory({ file: other, version: V2 })] }));
    // Assess
    expect(fake.upserts.ingest_files?.rows.map((row) => [row.file, row.version])).toEqual([
      [FILE, V1],
      [other, V2],
    ]);
    expect(fake.statements.filter((statement) => statement.sql.startsWith('UPDATE file_versions')).map((statement) => statement.params)).toEqual([[[FILE, other]]]);
  });

  it('keeps a refused newer version from becoming the head while a loaded one exists', async () => {
    // Prepare
    const fake = fakePool({ versions: [{ file: FILE, version: V1, status: 'loaded' }] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ files: [account(V2, { status: 'refused', refusal: 'file_unreadable', eventsPublished: 0 })] }));
    // Assess
    expect(fake.inserted.file_versions?.map((row) => [row.version, row.status])).toEqual([[V2, 'refused']]);
    expect(fake.upserts.ingest_files).toBeUndefined();
    expect(fake.statements.some((statement) => statement.sql.startsWith('UPDATE'))).toBe(false);
  });

  it('does not load a till sale already voided, and records its row all the same', async () => {
    // Prepare
    const fake = fakePool({ voided: [idOf(1)] });
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [tillSale(1, 'k'.repeat(32)), tillSale(2, 'm'.repeat(32))] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(2)]);
    expect(eventIds(fake.inserted.sale_items)).toEqual([idOf(2)]);
    expect(eventIds(fake.upserts.till_sales?.rows)).toEqual([idOf(1), idOf(2)]);
    const voidedQuery = fake.statements.find((statement) => statement.sql.startsWith('SELECT event_id FROM till_sales'));
    expect(voidedQuery?.params).toEqual([[idOf(1), idOf(2)]]);
    // The balance looks at the till sales' match keys
    expect(fake.statements.filter((statement) => statement.sql.trim().startsWith('WITH keyed')).map((statement) => statement.params)).toEqual([[['k'.repeat(32), 'm'.repeat(32)]]]);
  });

  it('merges a sale and its void in one batch into one till_sales row, and removes the sale', async () => {
    // Prepare
    const fake = fakePool();
    const voided = { saleEventId: idOf(1), voidEventId: idOf(9), recordedAt: '2021-08-27T09:00:00.000Z' };
    // Act
    await createPostgresSink(fake.pool).load(batch({ sales: [tillSale(1, 'k'.repeat(32)), tillSale(3, null)], voids: [voided, voided] }));
    // Assess
    expect(eventIds(fake.inserted.sales)).toEqual([idOf(3)]);
    expect(fake.upserts.till_sales).toEqual({
      rows: [
        { event_id: idOf(1), kind: 'sale', match_key: 'k'.repeat(32), voided_by: idOf(9), voided_at: '2021-08-27T09:00:00.000Z' },
        { event_id: idOf(3), kind: 'sale', match_key: null, voided_by: null, voided_at: null },
      ],
      onConflict: 'DO UPDATE SET kind = COALESCE(till_sales.kind, EXCLUDED.kind), match_key = COALESCE(till_sales.match_key, EXCLUDED.match_key), voided_by = COALESCE(till_sales.voided_by, EXCLUDED.voided_by), voided_at = COALESCE(till_sales.voided_at, EXCLUDED.voided_at)',
    });
    expect(fake.deleted).toEqual({ sale_items: [[idOf(1)]], sales: [[idOf(1)]] });
    // The voided lookup asks about the batch’s till sales, not its voids
    expect(fake.statements.find((statement) => statement.sql.startsWith('SELECT event_id FROM till_sales'))?.params).toEqual([[idOf(1), idOf(3)]]);
  });

  it('keeps a void that comes before its sale, filling the sale in when it comes', async () => {
    // Prepare
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(batch({ voids: [{ saleEventId: idOf(1), voidEventId: idOf(9), recordedAt: '2021-08-27T09:00:00.000Z' }] }));
    // Assess: no voided lookup (no till sale), no balance (no match key), the void's row and its removal
    expect(fake.upserts.till_sales?.rows).toEqual([{ event_id: idOf(1), kind: null, match_key: null, voided_by: idOf(9), voided_at: '2021-08-27T09:00:00.000Z' }]);
    expect(fake.deleted).toEqual({ sale_items: [[idOf(1)]], sales: [[idOf(1)]] });
    expect(fake.statements.map((statement) => statement.sql.trim().slice(0, 20))).toEqual([
      'BEGIN',
      'SELECT pg_advisory_x',
      'INSERT INTO till_sal',
      'DELETE FROM sale_ite',
      'DELETE FROM sales WH',
      'COMMIT',
    ]);
  });

  it('sends a quarantine-only batch as its rows and nothing more', async () => {
    // Prepare
    const fake = fakePool();
    // Act
    await createPostgresSink(fake.pool).load(batch({ quarantine: [quarantineEntryFactory(), quarantineEntryFactory({ eventId: 'e'.repeat(32), line: null, field: null })] }));
    // Assess
    expect(fake.inserted.quarantine).toEqual([
      { event_id: 'f'.repeat(32), source: 'file', source_ref: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv', line: 12, reason: 'total_mismatch', field: 'total', recorded_at: '2021-08-27T21:00:00.000Z' },
      { event_id: 'e'.repeat(32), source: 'file', source_ref: 'uploads/leeds/leeds_27-08-2021_09-00-00.csv', line: null, reason: 'total_mismatch', field: null, recorded_at: '2021-08-27T21:00:00.000Z' },
    ]);
    expect(fake.statements).toHaveLength(4);
  });
});
