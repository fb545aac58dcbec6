import { isAscii } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { FileEncoding, FileRefusal } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** How much of the file is looked at before deciding what it is (magic numbers, byte-order mark, NUL bytes). */
const SNIFF_BYTES = 8192;
/** U+FFFD itself in UTF-8: the one valid sequence that decodes to what invalid bytes also decode to. */
const UTF8_REPLACEMENT_CHARACTER = [0xef, 0xbf, 0xbd];
const RESAVE = "re-save it as 'CSV UTF-8 (Comma delimited)' and upload it again";

/** A stream of an upload's text, which says the encoding it found once it has begun. */
export interface DecodedUpload extends Transform {
  /** The encoding, once the first bytes are read (undefined before, or for an empty file). */
  readonly encoding: FileEncoding | undefined;
}

type Start = { encoding: FileEncoding; decoder: TextDecoder } | FileRefusedError;

const startsWith = (bytes: Buffer, prefix: readonly number[]) => prefix.every((byte, index) => bytes[index] === byte);

/** The share of NUL bytes at even and at odd offsets: UTF-16 text without a byte-order mark has them on one side. */
function nulPattern(head: Buffer): { even: number; odd: number } {
  const nuls: [number, number] = [0, 0];
  for (const [index, byte] of head.entries()) if (byte === 0) nuls[(index % 2) as 0 | 1]++;
  // Called with the bytes holding a NUL: never empty.
  const half = head.length / 2;
  return { even: nuls[0] / half, odd: nuls[1] / half };
}

/** Decides from the first bytes how to read the file, or why not to. */
function begin(file: string, head: Buffer): Start {
  const refuse = (refusal: string, detail: string) => new FileRefusedError(file, refusal, detail);
  if (startsWith(head, GZIP_MAGIC)) return refuse(FileRefusal.Compressed, 'gzip data, not a CSV text file: upload the .csv file itself, uncompressed');
  if (startsWith(head, ZIP_MAGIC)) return refuse(FileRefusal.Compressed, `a zip archive (an Excel workbook is one), not a CSV text file: open it in Excel and ${RESAVE}`);
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00]) || startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return refuse(FileRefusal.Encoding, `UTF-32 text: ${RESAVE}`);
  // TextDecoder drops the byte-order mark it recognises (ignoreBOM is false by default).
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return { encoding: FileEncoding.Utf8Bom, decoder: new TextDecoder('utf-8') };
  if (startsWith(head, [0xff, 0xfe])) return { encoding: FileEncoding.Utf16Le, decoder: new TextDecoder('utf-16le') };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: FileEncoding.Utf16Be, decoder: new TextDecoder('utf-16be') };
  // Only the start is judged: NULs further on (a zero-filled tail) cost their lines, not the file.
  const start = head.subarray(0, SNIFF_BYTES);
  if (start.includes(0)) {
    const { even, odd } = nulPattern(start);
    // ASCII text in UTF-16 is every other byte NUL; binary data has NULs anywhere.
    if (start.length >= 16 && Math.max(even, odd) > 0.7 && Math.min(even, odd) < 0.05) return refuse(FileRefusal.Encoding, `UTF-16 text without a byte-order mark, which cannot be read reliably: ${RESAVE}`);
    return refuse(FileRefusal.Binary, 'binary content (NUL bytes), not a CSV text file: upload the CSV export of the day\'s sales');
  }
  // No mark: UTF-8 until the first non-ASCII bytes say otherwise (see `decodeUpload`).
  return { encoding: FileEncoding.Utf8, decoder: new TextDecoder('utf-8') };
}

/**
 * Bytes of an upload to text, as a stream of strings. Refuses what is not text:
 * compressed archives, binary content (NUL bytes), UTF-16 without a byte-order
 * mark and UTF-32, each with a refusal naming the file and saying what to do.
 *
 * The encoding comes from the byte-order mark (UTF-8, UTF-16LE, UTF-16BE; the mark
 * is dropped). Without one the file is read as ASCII until its first other byte;
 * the bytes from there decide as soon as they can: UTF-8 if they form a valid
 * UTF-8 character, else Windows-1252 (what Excel on Windows writes as "CSV").
 * Everything before was ASCII, which both encodings read alike, so the choice
 * holds for the whole file without reading it twice. Invalid bytes after a UTF-8
 * choice (a file of mixed encodings) become U+FFFD, and the rows holding them are
 * rejected, not the file. Windows-1252 text practically never forms a valid UTF-8
 * sequence (that takes a letter such as `Ã` followed by a symbol such as `©`), so
 * the choice is safe. Decoding is Node's TextDecoder (WHATWG encodings, full ICU).
 */
export function decodeUpload(file: string): DecodedUpload {
  let head: Buffer[] = [];
  let headLength = 0;
  let encoding: FileEncoding | undefined;
  let decoder: TextDecoder | undefined;
  // Undecided between UTF-8 and Windows-1252: every byte before `held` was ASCII (set when the file is opened).
  // Stryker disable next-line BooleanLiteral: always set by open() before any byte is decoded
  let undecided = false;
  // Bytes from the first non-ASCII one on, not yet decoded: a UTF-8 sequence may be split across chunks.
  let held: Buffer = Buffer.alloc(0);

  /** Settles the encoding on the held bytes if they allow it (or must, at the end); returns their text. */
  const settle = (final: boolean): string => {
    // `held` begins at the first non-ASCII byte, so the probe's first character is what that sequence decodes to.
    const probe = new TextDecoder('utf-8').decode(held, { stream: !final });
    if (probe === '') return ''; // only the start of a sequence so far
    const utf8 = probe[0] !== '\uFFFD' || startsWith(held, UTF8_REPLACEMENT_CHARACTER);
    undecided = false;
    if (!utf8) {
      encoding = FileEncoding.Windows1252;
      decoder = new TextDecoder('windows-1252');
    }
    const bytes = held;
    held = Buffer.alloc(0);
    return (decoder as TextDecoder).decode(bytes, { stream: !final });
  };

  const decode = (chunk: Buffer): string => {
    if (!undecided) return (decoder as TextDecoder).decode(chunk, { stream: true });
    if (held.length === 0) {
      if (isAscii(chunk)) return chunk.toString('latin1');
      const first = chunk.findIndex((byte) => byte > 0x7f);
      held = chunk.subarray(first);
      return chunk.toString('latin1', 0, first) + settle(false);
    }
    held = Buffer.concat([held, chunk]);
    return settle(false);
  };

  /** The text still pending at the end of the file. */
  const end = (): string => {
    // Bytes are held only while undecided.
    if (held.length > 0) return settle(true);
    return decoder?.decode() ?? '';
  };

  /** Decides on the bytes held so far; returns their text, or throws the refusal. */
  const open = (): string => {
    const bytes = Buffer.concat(head);
    // Stryker disable next-line ArrayDeclaration: only frees the first bytes; head is never read once the decoder is set
    head = [];
    const started = begin(file, bytes);
    if (started instanceof FileRefusedError) throw started;
    ({ encoding, decoder } = started);
    undecided = encoding === FileEncoding.Utf8;
    const text = decode(bytes);
    // A byte-order mark before binary data: the text would be full of NULs.
    if (text.slice(0, SNIFF_BYTES).includes('\u0000')) throw new FileRefusedError(file, FileRefusal.Binary, 'binary content (NUL characters), not a CSV text file: upload the CSV export of the day\'s sales');
    return text;
  };

  const stream = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        if (decoder) return callback(null, decode(chunk) || undefined);
        head.push(chunk);
        headLength += chunk.length;
        callback(null, headLength >= SNIFF_BYTES ? open() || undefined : undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        const text = decoder ? '' : headLength > 0 ? open() : '';
        callback(null, text + end() || undefined);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  return Object.defineProperty(stream, 'encoding', { get: () => encoding }) as DecodedUpload;
}
