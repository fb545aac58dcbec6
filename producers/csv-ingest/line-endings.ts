import { LineEndings } from '../../contracts/index.js';

/** Turns every line ending into LF, chunk by chunk, and remembers which kinds it met. */
export interface LineEndingNormaliser {
  /** The chunk with CRLF and bare CR as LF. A CR at the end is held until the next chunk shows whether LF follows. */
  normalise(text: string): string;
  /** What is still held at the end of the text. */
  end(): string;
  /** The kinds of line ending met so far. */
  found(): LineEndings;
}

const BARE_CR = /\r(?!\n)/;
const BARE_LF = /(?<!\r)\n/;
const CR_OR_CRLF = /\r\n?/g;

/**
 * Line endings record by record: CRLF, LF and bare CR (old Mac Excel) may all
 * occur in one file, e.g. a CRLF export with rows appended by a Unix script.
 * csv-parse fixes its record delimiter from the first line break it sees and
 * then merges or splits the rest wrongly, so the text reaches it with LF only:
 * one line ending is one line, wherever it was.
 */
export function createLineEndingNormaliser(): LineEndingNormaliser {
  let held = '';
  let lf = false;
  let crlf = false;
  let cr = false;
  return {
    normalise(chunk) {
      let text = held + chunk;
      held = '';
      // The common case, an LF-only chunk, costs one native scan.
      // Stryker disable next-line StringLiteral,BlockStatement: a fast path only; the general path below gives an LF-only chunk the same text and kinds
      if (!text.includes('\r')) {
        lf ||= text.includes('\n');
        return text;
      }
      if (text.endsWith('\r')) {
        held = '\r';
        text = text.slice(0, -1);
      }
      crlf ||= text.includes('\r\n');
      cr ||= BARE_CR.test(text);
      lf ||= BARE_LF.test(text);
      return text.replace(CR_OR_CRLF, '\n');
    },
    end() {
      if (held === '') return '';
      held = '';
      cr = true;
      return '\n';
    },
    found() {
      const kinds = [lf && LineEndings.Lf, crlf && LineEndings.Crlf, cr && LineEndings.Cr].filter((kind) => kind !== false);
      if (kinds.length === 0) return LineEndings.None;
      return kinds.length === 1 ? (kinds[0] as LineEndings) : LineEndings.Mixed;
    },
  };
}
