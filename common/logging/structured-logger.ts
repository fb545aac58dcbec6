/**
 * Structured logs, one JSON object a line, in the shape Powertools Logger writes in
 * Lambda (`level`, `message`, `timestamp`, `service`, then the attributes), so a
 * line from a laptop reads like a line from CloudWatch. Attributes are reason codes,
 * counts and positions: never event data, names or card numbers.
 */

/** Values a log attribute may take: codes, counts, positions, flags. */
export type LogAttributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** What the handlers log through: Powertools Logger in Lambda satisfies it, `createJsonLogger` does locally. */
export interface StructuredLogger {
  info(message: string, ...attributes: LogAttributes[]): void;
  warn(message: string, ...attributes: LogAttributes[]): void;
  error(message: string, ...attributes: LogAttributes[]): void;
}

export interface JsonLoggerOptions {
  /** The Powertools `service` of the function this stands in for (`ServiceName` in contracts). */
  readonly service: string;
  /** Where each JSON line goes (the local stack's log, a test's array). */
  readonly write: (line: string) => void;
  readonly clock?: () => Date;
}

/** A logger writing Powertools-shaped JSON lines to `write`: the local stand-in for Powertools Logger. */
export function createJsonLogger(options: JsonLoggerOptions): StructuredLogger {
  const clock = options.clock ?? (() => new Date());
  const line =
    (level: 'INFO' | 'WARN' | 'ERROR') =>
    (message: string, ...attributes: LogAttributes[]) =>
      options.write(JSON.stringify({ ...Object.assign({}, ...attributes), level, message, timestamp: clock().toISOString(), service: options.service }));
  return { info: line('INFO'), warn: line('WARN'), error: line('ERROR') };
}

/** A logger that drops everything (tests and callers that do not log). */
export const silentLogger: StructuredLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
