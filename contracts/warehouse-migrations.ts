import { WarehouseTables, type ColumnDefinition, type TableDefinition } from './warehouse-tables.js';

/**
 * Forward-only schema migrations, derived from the table definitions: a table or
 * column carries the version that added it (`since`, 1 when omitted), and version
 * N is "create the tables of N, add the columns of N". Nothing is ever dropped or
 * retyped, so a loader built for version N still loads into a warehouse at N+1.
 * Each migration has a fingerprint of what it does; a warehouse records the
 * versions it has applied with their fingerprints (`schema_migrations`), and a
 * runner refuses to go on when an applied version has changed since, or when the
 * warehouse is ahead of the code. Both runners use `planMigrations`: the Redshift
 * custom resource (`infra/aws/functions/warehouse-schema.ts`) and the local
 * PostgreSQL (`infra/local/emulators/warehouse-migrations.ts`).
 */

/** One change of a migration. */
export type MigrationChange =
  | { readonly kind: 'createTable'; readonly table: TableDefinition }
  | { readonly kind: 'addColumn'; readonly table: TableDefinition; readonly column: ColumnDefinition };

export interface WarehouseMigration {
  readonly version: number;
  readonly changes: readonly MigrationChange[];
  /** What the migration does, for the migrations table and the logs. */
  readonly description: string;
  /** A fingerprint of the changes (FNV-1a, hex): an applied migration must keep it. */
  readonly fingerprint: string;
}

/** The name of the table each warehouse records its applied migrations in. */
export const MIGRATIONS_TABLE = 'schema_migrations';

/** A version as a warehouse recorded it. */
export interface AppliedMigration {
  readonly version: number;
  readonly fingerprint: string;
}

/** The schema of the warehouse does not match the migrations of the code. */
export class MigrationMismatchError extends Error {
  constructor(
    readonly version: number,
    detail: string,
  ) {
    super(`schema migration ${version}: ${detail}`);
    this.name = 'MigrationMismatchError';
  }
}

const sinceOf = (item: { readonly since?: number }) => item.since ?? 1;

/** The table as it stood at `version`: the columns added by then. */
export function tableAsOf(table: TableDefinition, version: number): TableDefinition {
  return { ...table, columns: table.columns.filter((column) => sinceOf(column) <= version) };
}

/** FNV-1a (32-bit) over text, as 8 hex digits: a change detector, not a security hash. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

// A stamp joins the shape only when present, so versions applied before stamps existed keep their fingerprints.
const columnShape = (column: ColumnDefinition) => [column.name, column.type, column.width ?? null, column.nullable ?? false, ...(column.stamp ? [column.stamp] : [])];

/** What a change does to a schema, and nothing else (not descriptions): the fingerprinted part. */
function shapeOf(change: MigrationChange): unknown {
  switch (change.kind) {
    case 'createTable': {
      const { name, columns, primaryKey, sortKey, distKey } = change.table;
      return [change.kind, name, columns.map(columnShape), primaryKey, sortKey ?? null, distKey ?? null];
    }
    case 'addColumn':
      return [change.kind, change.table.name, columnShape(change.column)];
    // Stryker disable next-line ConditionalExpression,BlockStatement: unreachable, the switch covers every kind (the never check)
    default: {
      const unhandled: never = change;
      return unhandled;
    }
  }
}

function describeChange(change: MigrationChange): string {
  switch (change.kind) {
    case 'createTable':
      return `create ${change.table.name}`;
    case 'addColumn':
      return `add ${change.table.name}.${change.column.name}`;
    // Stryker disable next-line ConditionalExpression,BlockStatement: unreachable, the switch covers every kind (the never check)
    default: {
      const unhandled: never = change;
      return unhandled;
    }
  }
}

/**
 * The migrations that build `tables` from nothing, in version order. Fails when
 * the definitions could not be migrated to: a version with no change, a column
 * older than its table, or a column added later that is not nullable.
 */
export function warehouseMigrations(tables: Readonly<Record<string, TableDefinition>> = WarehouseTables): WarehouseMigration[] {
  const definitions = Object.values(tables);
  const latest = Math.max(1, ...definitions.flatMap((table) => [sinceOf(table), ...table.columns.map(sinceOf)]));
  const migrations: WarehouseMigration[] = [];
  for (let version = 1; version <= latest; version++) {
    const changes: MigrationChange[] = [];
    for (const table of definitions) {
      const created = sinceOf(table);
      if (!Number.isInteger(created) || created < 1) throw new Error(`${table.name}: since must be a version from 1, got ${created}`);
      if (created === version) changes.push({ kind: 'createTable', table: tableAsOf(table, version) });
      for (const column of table.columns) {
        const added = sinceOf(column);
        if (!Number.isInteger(added) || added < created) throw new Error(`${table.name}.${column.name}: added in ${added}, before its table (${created})`);
        if (added !== version || added === created) continue;
        if (!column.nullable) throw new Error(`${table.name}.${column.name}: a column added after its table must be nullable (rows already loaded have none)`);
        changes.push({ kind: 'addColumn', table: tableAsOf(table, version), column });
      }
    }
    if (changes.length === 0) throw new Error(`schema version ${version} has no change: versions must follow one another`);
    const description = changes.map(describeChange).join('; ');
    migrations.push({ version, changes, description, fingerprint: fnv1a(JSON.stringify(changes.map(shapeOf))) });
  }
  return migrations;
}

/**
 * What a warehouse still needs: the migrations after its latest applied version.
 * Throws MigrationMismatchError when an applied version is unknown to the code
 * (the warehouse is ahead: deploy the newer code) or its fingerprint differs (a
 * migration was edited after it ran: add a new version instead).
 */
export function planMigrations<T extends AppliedMigration>(applied: readonly AppliedMigration[], migrations: readonly T[]): T[] {
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  for (const [index, record] of [...applied].sort((a, b) => a.version - b.version).entries()) {
    const migration = known.get(record.version);
    if (!migration) throw new MigrationMismatchError(record.version, 'applied to the warehouse but unknown to this code (the warehouse is newer; migrations are forward-only)');
    if (record.version !== index + 1) throw new MigrationMismatchError(record.version, `applied without version ${index + 1} before it`);
    if (migration.fingerprint !== record.fingerprint) {
      throw new MigrationMismatchError(record.version, `changed since it was applied (fingerprint ${record.fingerprint}, now ${migration.fingerprint}); add a new version instead`);
    }
  }
  const current = Math.max(0, ...applied.map((record) => record.version));
  return migrations.filter((migration) => migration.version > current);
}
