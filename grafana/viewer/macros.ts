import { formatDuration, parseDuration, type TimeRange } from './time-range.js';

/**
 * Expands a panel's SQL for PostgreSQL the way Grafana does before a query
 * reaches the database: template variables and `$__interval` first (Grafana's
 * frontend), then the `$__` macros (the PostgreSQL datasource backend). Variable
 * values become bind parameters, never SQL text, so a branch name cannot change
 * the statement.
 */
export interface ExpandContext {
  readonly range: TimeRange;
  readonly intervalMs: number;
  /** Selected values per variable name, after "All" was resolved to every option. */
  readonly variables: Readonly<Record<string, readonly string[]>>;
}

export interface ExpandedQuery {
  readonly text: string;
  readonly values: string[];
}

export class MacroError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MacroError';
  }
}

// ${name}, ${name:format} and $name; the format does not matter once values are bound.
const VARIABLE = /\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g;
// Grafana's macro syntax: $__name(args) with no nested parentheses.
const MACRO = /\$(__\w+)\(([^)]*)\)/g;

const quoteInstant = (instant: Date) => `'${instant.toISOString()}'`;

function bucket(column: string, intervalText: string | undefined, macro: string): string {
  if (!column || !intervalText) throw new MacroError(`${macro} needs a time column and an interval`);
  const seconds = parseDuration(intervalText) / 1000;
  return `floor(extract(epoch from ${column})/${seconds})*${seconds}`;
}

function expandMacro(name: string, args: string[], range: TimeRange, followedByComma: boolean): string {
  const [column = '', second] = args;
  switch (name) {
    case '__time':
      return `${column} AS "time"`;
    case '__timeEpoch':
      return `extract(epoch from ${column}) as "time"`;
    case '__timeFilter':
      if (!column) throw new MacroError('$__timeFilter needs a time column');
      return `${column} BETWEEN ${quoteInstant(range.from)} AND ${quoteInstant(range.to)}`;
    case '__timeFrom':
      return quoteInstant(range.from);
    case '__timeTo':
      return quoteInstant(range.to);
    case '__timeGroup':
      // Grafana's PostgreSQL datasource adds the alias when a comma follows (pre-5.3 compatibility).
      return bucket(column, second, '$__timeGroup') + (followedByComma ? ' AS "time"' : '');
    case '__timeGroupAlias':
      return `${bucket(column, second, '$__timeGroupAlias')} AS "time"`;
    case '__unixEpochFilter':
      return `${column} >= ${Math.floor(range.from.getTime() / 1000)} AND ${column} <= ${Math.floor(range.to.getTime() / 1000)}`;
    default:
      throw new MacroError(`unknown macro $${name}`);
  }
}

/** Expands variables, `$__interval`/`$__interval_ms` and macros; returns SQL with `$n` placeholders. */
export function expandQuery(sql: string, context: ExpandContext): ExpandedQuery {
  const values: string[] = [];
  const withVariables = sql.replace(VARIABLE, (whole, braced: string | undefined, _format: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    if (name === '__interval') return formatDuration(context.intervalMs);
    if (name === '__interval_ms') return String(context.intervalMs);
    if (name.startsWith('__')) return whole; // a macro, expanded below
    const selected = context.variables[name];
    if (!selected) throw new MacroError(`no value for variable $${name}`);
    if (selected.length === 0) return 'NULL'; // IN (NULL) matches nothing, as an empty selection should
    return selected
      .map((value) => {
        values.push(value);
        return `$${values.length}`;
      })
      .join(', ');
  });
  const text = withVariables.replace(MACRO, (whole, name: string, argText: string, offset: number) => {
    const args = argText.split(',').map((arg) => arg.trim());
    return expandMacro(name, args, context.range, withVariables[offset + whole.length] === ',');
  });
  return { text, values };
}
