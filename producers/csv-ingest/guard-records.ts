import { Transform, type TransformCallback } from 'node:stream';
import { RejectReason, type RejectReasonCode } from '../../contracts/index.js';

/**
 * What the guard puts in place of a line it refused: a record whose only field is
 * a NUL. The guard refuses every line holding a NUL, so no real record looks like it.
 */
export const REFUSED_LINE_MARK = '\u0000';

const NUL = 0x00;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const COMMA = 0x2c;

// Where the scanner is within a record (numbers, not strings: this runs once per byte).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;
const AFTER_QUOTED = 4;
const SKIP_LINE = 5;

const MARK = Buffer.from(REFUSED_LINE_MARK);
const EMPTY = Buffer.alloc(0);

export interface GuardRecordsOptions {
  /** A record (quoted line breaks included) longer than this many bytes is refused. */
  readonly maxRecordBytes: number;
  /** Told why, in order, each time a line is replaced by {@link REFUSED_LINE_MARK}. */
  readonly onRefused: (reason: RejectReasonCode) => void;
  /** The field separator, one ASCII character (default `,`). */
  readonly delimiter?: string;
  /** The quote character, one ASCII character (default `"`); inside quotes it is escaped by doubling. */
  readonly quote?: string;
}

const asciiByte = (text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback;
  const code = text.charCodeAt(0);
  if (text.length !== 1 || code > 0x7f) throw new RangeError(`guardRecords: ${JSON.stringify(text)} is not one ASCII character`);
  return code;
};

/**
 * Frames UTF-8 CSV text into records before csv-parse sees it, so that one broken
 * line can never take the rest of the file with it. csv-parse does not recover
 * well: with `skip_records_with_error`, a record over `max_record_size` makes it
 * drop every later chunk, and a stray quote inside a quoted field leaves it
 * quoting to the end of the file; both lose good rows without saying so.
 *
 * The guard follows RFC 4180 (with csv-parse's `trim`), for the file's separator
 * and quote character: a field is unquoted and holds no quote, or is quoted with
 * doubled-quote escapes and may span lines. A record that
 * breaks these rules, is not closed by the end of the file, holds a NUL byte or
 * grows past `maxRecordBytes` is replaced, one physical line at a time, by the
 * mark (`field_too_long` for a single overlong line, `row_malformed` otherwise).
 * Reading resumes on the next line: for a quote that never closed, that is the
 * line after the one that opened it, so the rows it swallowed are read again.
 * Line breaks are passed through untouched, so csv-parse's line numbers stay right.
 */
export function guardRecords(options: GuardRecordsOptions): Transform {
  const max = options.maxRecordBytes;
  const DELIMITER = asciiByte(options.delimiter, COMMA);
  const QUOTE = asciiByte(options.quote, DOUBLE_QUOTE);
  let carry: Buffer = EMPTY;
  let state = FIELD_START;
  // Offset from the record's start of its first line break inside quotes, or 0 for none
  // (never an offset: a break inside quotes comes after the opening quote).
  let firstBreak = 0;

  const scan = (data: Buffer, from: number, final: boolean): Buffer[] => {
    const out: Buffer[] = [];
    let recordStart = 0;
    let emitFrom = 0;
    let i = from;

    /** Replaces the record's first line by the mark; returns where scanning resumes. */
    const refuse = (at: number, reason: RejectReasonCode): number => {
      options.onRefused(reason);
      out.push(data.subarray(emitFrom, recordStart), MARK);
      if (firstBreak > 0) {
        // An open quote swallowed later lines: give them back to the scanner (resuming at that line break, which ends the record).
        const resume = recordStart + firstBreak;
        recordStart = emitFrom = resume;
        state = FIELD_START;
        return resume;
      }
      state = SKIP_LINE;
      return at + 1;
    };

    /** A record ended with the line break at `at`. */
    const endRecord = (at: number) => {
      state = FIELD_START;
      firstBreak = 0;
      recordStart = at + 1;
    };

    for (;;) {
      while (i < data.length) {
        const byte = data[i] as number;
        const lineBreak = byte === LF || byte === CR;
        if (state === SKIP_LINE) {
          if (lineBreak) {
            // The line break itself is kept, so csv-parse counts the refused line.
            emitFrom = i;
            endRecord(i);
          }
          i++;
          continue;
        }
        let broken = byte === NUL;
        switch (state) {
          case FIELD_START:
            if (byte === QUOTE) state = QUOTED;
            else if (lineBreak) endRecord(i);
            // Blanks around fields (csv-parse's trim): a tab that is the separator was taken as one just above.
            else if (byte !== SPACE && byte !== TAB && byte !== DELIMITER) state = UNQUOTED;
            break;
          case UNQUOTED:
            if (byte === DELIMITER) state = FIELD_START;
            else if (lineBreak) endRecord(i);
            else if (byte === QUOTE) broken = true;
            break;
          case QUOTED:
            if (byte === QUOTE) state = QUOTE_IN_QUOTED;
            else if (lineBreak && firstBreak === 0) firstBreak = i - recordStart;
            break;
          default:
            // Just after a quote inside a quoted field (QUOTE_IN_QUOTED), or in the blanks after the closing one.
            if (byte === QUOTE && state === QUOTE_IN_QUOTED) state = QUOTED;
            else if (byte === DELIMITER) state = FIELD_START;
            else if (lineBreak) endRecord(i);
            else if (byte === SPACE || byte === TAB) state = AFTER_QUOTED;
            else broken = true;
        }
        if (broken) i = refuse(i, RejectReason.RowMalformed);
        else if (i - recordStart + 1 > max) i = refuse(i, firstBreak > 0 ? RejectReason.RowMalformed : RejectReason.FieldTooLong);
        else i++;
      }
      // A quote still open at the end of the file never closed: refuse it and read on.
      if (final && state === QUOTED) {
        // Stryker disable next-line ArithmeticOperator: at the data's end, scanning resumes past it (or at the quote's first line break) either way
        i = refuse(data.length - 1, RejectReason.RowMalformed);
        continue;
      }
      break;
    }

    if (final) {
      if (state !== SKIP_LINE) out.push(data.subarray(emitFrom));
      carry = EMPTY;
      // Stryker disable next-line BlockStatement: a refused line's bytes are never emitted (only from its line break on); this frees them
    } else if (state === SKIP_LINE) {
      carry = EMPTY;
    } else {
      out.push(data.subarray(emitFrom, recordStart));
      // Copied, so a long-lived remainder does not pin the whole chunk in memory.
      carry = Buffer.from(data.subarray(recordStart));
    }
    return out;
  };

  // Node's stream docs advise against pushing an empty buffer (it ends the current read).
  const push = (stream: Transform, parts: Buffer[]) => {
    // Stryker disable next-line ConditionalExpression: pushing an empty part too (→ true) adds no bytes
    for (const part of parts) if (part.length !== 0) stream.push(part);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      // A chunk is copied only when a record runs on from the last one: most chunks are scanned where they lie.
      // Stryker disable next-line ConditionalExpression: concatenating an empty carry too (→ false) gives the same bytes, copied
      const data = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      push(this, scan(data, carry.length, false));
      callback();
    },
    flush(callback: TransformCallback) {
      push(this, scan(carry, carry.length, true));
      callback();
    },
  });
}
