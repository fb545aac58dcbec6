import { Transform, type TransformCallback } from 'node:stream';
import { FileRefusal } from '../../contracts/index.js';
import { FileRefusedError } from '../shared/errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const SNIFF_BYTES = 8192;

/**
 * Bytes of an upload to text, refusing what is not a UTF-8 text file: compressed
 * archives, binary content (NUL bytes) and invalid UTF-8, each with its own
 * refusal naming the file. A UTF-8 byte-order mark is dropped.
 */
export function decodeUpload(file: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sniffed = 0;
  const refuse = (refusal: string, detail: string) => new FileRefusedError(file, refusal, detail);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (sniffed === 0 && chunk.length >= 2) {
        if (GZIP_MAGIC.every((byte, index) => chunk[index] === byte)) return callback(refuse(FileRefusal.Compressed, 'gzip data, not a CSV text file; upload it uncompressed'));
        if (ZIP_MAGIC.every((byte, index) => chunk[index] === byte)) return callback(refuse(FileRefusal.Compressed, 'zip archive, not a CSV text file'));
      }
      if (sniffed < SNIFF_BYTES) {
        const window = chunk.subarray(0, SNIFF_BYTES - sniffed);
        if (window.includes(0)) return callback(refuse(FileRefusal.Binary, 'binary content (NUL bytes), not a CSV text file'));
        sniffed += window.length;
      }
      try {
        callback(null, decoder.decode(chunk, { stream: true }));
      } catch {
        callback(refuse(FileRefusal.Encoding, 'not valid UTF-8 text'));
      }
    },
    flush(callback: TransformCallback) {
      try {
        callback(null, decoder.decode());
      } catch {
        callback(refuse(FileRefusal.Encoding, 'not valid UTF-8 text (truncated character at the end)'));
      }
    },
  });
}
