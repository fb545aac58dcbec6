import type pg from 'pg';

/** Column kinds the viewer renders; `time` values are epoch milliseconds. */
export type FieldType = 'time' | 'number' | 'string';

export interface Frame {
  readonly fields: readonly { readonly name: string; readonly type: FieldType }[];
  readonly rows: readonly (readonly (number | string | null)[])[];
}

// PostgreSQL type oids (pg_type): what becomes a number, what a time.
const NUMBER_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const TIME_OIDS = new Set([1082, 1114, 1184]);
const DATE_OID = 1082;
const TIMESTAMP_OID = 1114;

/**
 * Keeps every value as PostgreSQL's text, so NUMERIC and BIGINT lose nothing
 * in transit and dates stay calendar dates (node-pg would read them as local
 * midnight); `toFrame` converts them.
 */
const asText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

const QUERY_TIMEOUT_MS = 10_000;

function convert(value: unknown, type: FieldType, oid: number, name: string): number | string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  if (type === 'number') {
    const number = Number(text);
    // Grafana reads a numeric column named "time" as epoch seconds (what $__timeGroup yields).
    return name === 'time' ? number * 1000 : number;
  }
  if (type === 'time') {
    if (oid === DATE_OID) return Date.parse(`${text}T00:00:00Z`);
    // The session runs in UTC (see runReadOnlyQuery), and Grafana reads a timestamp without zone as UTC too.
    const iso = text.replace(' ', 'T');
    return Date.parse(oid === TIMESTAMP_OID ? `${iso}Z` : iso.replace(/([+-]\d\d)$/, '$1:00'));
  }
  return text;
}

/** Turns a result into a frame: typed fields and rows of plain values. */
export function toFrame(result: pg.QueryResult<unknown[]>): Frame {
  const fields = result.fields.map((field) => {
    const type: FieldType = TIME_OIDS.has(field.dataTypeID) || (field.name === 'time' && NUMBER_OIDS.has(field.dataTypeID)) ? 'time' : NUMBER_OIDS.has(field.dataTypeID) ? 'number' : 'string';
    return { name: field.name, type, oid: field.dataTypeID };
  });
  const rows = result.rows.map((row) =>
    fields.map((field, index) => convert(row[index], field.type === 'time' && NUMBER_OIDS.has(field.oid) ? 'number' : field.type, field.oid, field.name)),
  );
  return { fields: fields.map(({ name, type }) => ({ name, type })), rows };
}

/** Only statements that read: the dashboard SQL is SELECT (or WITH ... SELECT). */
const READ_STATEMENT = /^\s*(select|with)\b/i;

/**
 * Runs one expanded panel query in a READ ONLY transaction with a statement
 * timeout: the SQL comes from the committed dashboard JSON, never from the
 * browser, and even so it cannot write or run away.
 */
export async function runReadOnlyQuery(pool: pg.Pool, text: string, values: readonly string[]): Promise<Frame> {
  if (!READ_STATEMENT.test(text) || text.replace(/;\s*$/, '').includes(';')) throw new Error('only single SELECT statements may run');
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${QUERY_TIMEOUT_MS}`);
    await client.query("SET LOCAL TimeZone = 'UTC'");
    const result = await client.query<unknown[]>({ text, values: [...values], rowMode: 'array', types: asText });
    await client.query('COMMIT');
    return toFrame(result);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
