/**
 * What a viewer URL holds, in Grafana's own query parameters, so a view can be
 * shared and the same query string means the same thing on a real Grafana:
 * `from` and `to` (date math such as `now-7d`, or epoch milliseconds),
 * `var-<name>` once per selected value (`$__all` for All), and `dashboard` (the
 * uid; Grafana has it in the path instead).
 */
export interface ViewState {
  readonly dashboard?: string;
  readonly from?: string;
  readonly to?: string;
  /** Selected values per variable; a variable absent from the URL is absent here. */
  readonly variables: Readonly<Record<string, readonly string[]>>;
}

const VARIABLE_PREFIX = 'var-';

/** Reads a `location.search` string. Unknown parameters are ignored. */
export function readViewState(search: string): ViewState {
  const query = new URLSearchParams(search);
  const variables: Record<string, string[]> = {};
  for (const [key, value] of query) {
    if (!key.startsWith(VARIABLE_PREFIX) || key.length === VARIABLE_PREFIX.length) continue;
    (variables[key.slice(VARIABLE_PREFIX.length)] ??= []).push(value);
  }
  const text = (name: string) => query.get(name)?.trim() || undefined;
  return { dashboard: text('dashboard'), from: text('from'), to: text('to'), variables };
}

/** Writes a view as a query string (with its leading `?`), in a stable order. */
export function writeViewState(state: ViewState): string {
  const query = new URLSearchParams();
  if (state.dashboard) query.set('dashboard', state.dashboard);
  if (state.from) query.set('from', state.from);
  if (state.to) query.set('to', state.to);
  for (const [name, values] of Object.entries(state.variables)) for (const value of values) query.append(`${VARIABLE_PREFIX}${name}`, value);
  return `?${query.toString()}`;
}
