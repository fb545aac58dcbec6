import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { FileRefusedError } from '../shared/errors.js';
import { decodeUpload } from './decode-upload.js';

/** Decodes bytes fed in chunks of `chunkSize`; returns the text and the encoding found. */
async function decode(bytes: Buffer, chunkSize = 1 << 16) {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const decoded = decodeUpload('upload.csv');
  const parts: string[] = [];
  await pipeline(Readable.from(chunks), decoded, async (text: AsyncIterable<string>) => {
    for await (const part of text) parts.push(part);
  });
  // A stream of strings, never of bytes.
  expect(parts.filter((part) => typeof part !== 'string')).toEqual([]);
  return { text: parts.join(''), encoding: decoded.encoding };
}

/** Decodes bytes fed in the given chunks. */
async function decodeChunks(chunks: readonly Buffer[]) {
  const decoded = decodeUpload('upload.csv');
  const parts: string[] = [];
  await pipeline(Readable.from(chunks), decoded, async (text: AsyncIterable<string>) => {
    for await (const part of text) parts.push(part);
  });
  return { text: parts.join(''), encoding: decoded.encoding };
}

const refusalOf = (bytes: Buffer) => decode(bytes).then(
  () => undefined,
  (error: unknown) => (error instanceof FileRefusedError ? [error.refusal, error.message] : error),
);

const ROW = '25/08/2021 09:00,Leeds,Zoë Ashby,Large Latte - 2.45,2.45,CASH,\n';
const BOM = { utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] };

describe('Function: decodeUpload', () => {
  it('decides and passes the text on once the first 8 KiB are in, without waiting for more of the upload', async () => {
    // Prepare: exactly 8,192 bytes of rows, written with the stream left open.
    const bytes = Buffer.from(ROW.repeat(Math.ceil(8192 / ROW.length))).subarray(0, 8192);
    const decoded = decodeUpload('upload.csv');
    const first = new Promise<unknown>((resolve) => decoded.once('data', resolve));
    // Act
    decoded.write(bytes);
    // Assess
    await expect(first).resolves.toBe(bytes.toString('utf8'));
    expect(decoded.encoding).toBe('utf-8');
    decoded.destroy();
  });

  it("runs where Node's TextDecoder knows every encoding read (a Node built with full ICU, as official builds and Lambda's are)", () => {
    for (const label of ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']) expect(new TextDecoder(label).encoding).toBe(label);
  });

  it.each([
    ['UTF-8', Buffer.from(ROW), 'utf-8'],
    ['UTF-8 with a byte-order mark', Buffer.concat([Buffer.from(BOM.utf8), Buffer.from(ROW)]), 'utf-8-bom'],
    ['UTF-16LE with a byte-order mark', Buffer.concat([Buffer.from(BOM.utf16le), Buffer.from(ROW, 'utf16le')]), 'utf-16le'],
    ['UTF-16BE with a byte-order mark', Buffer.concat([Buffer.from(BOM.utf16be), Buffer.from(ROW, 'utf16le').swap16()]), 'utf-16be'],
    ['Windows-1252 (not valid UTF-8)', Buffer.from(ROW, 'latin1'), 'windows-1252'],
  ])('reads %s, dropping the mark, however it is chunked', async (_name, bytes, encoding) => {
    for (const chunkSize of [1, 2, 3, 5, 1 << 16]) {
      // Act
      const result = await decode(bytes, chunkSize);
      // Assess
      expect(result).toEqual({ text: ROW, encoding });
    }
  });

  it('decides on the first non-ASCII bytes, past any number of ASCII chunks', async () => {
    // Prepare: 20 KiB of ASCII rows, then a Windows-1252 é in a later chunk.
    const ascii = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH,\n'.repeat(320);
    const bytes = Buffer.from(`${ascii}${ROW.replace('Zoë', 'José')}`, 'latin1');
    // Act
    const result = await decode(bytes, 4096);
    // Assess
    expect(result.encoding).toBe('windows-1252');
    expect(result.text.endsWith(ROW.replace('Zoë', 'José'))).toBe(true);
  });

  it('keeps UTF-8 once it is found, and marks bytes that are not UTF-8 after it with U+FFFD', async () => {
    // Prepare: a valid ë, then a Windows-1252 é (a row pasted from another export).
    const bytes = Buffer.concat([Buffer.from(ROW), Buffer.from(ROW.replace('Zoë', 'José'), 'latin1')]);
    // Act
    const result = await decode(bytes);
    // Assess
    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe(`${ROW}${ROW.replace('Zoë', 'Jos\uFFFD')}`);
    // The same past the first 8 KiB, in chunks: decided once, on the first chunk with a non-ASCII byte.
    const ascii = 'a,b\n'.repeat(3000);
    const later = await decode(Buffer.concat([Buffer.from(ascii + ROW), Buffer.from(ascii), Buffer.from(ROW.replace('Zoë', 'José'), 'latin1')]), 4096);
    expect(later).toEqual({ text: `${ascii}${ROW}${ascii}${ROW.replace('Zoë', 'Jos\uFFFD')}`, encoding: 'utf-8' });
  });

  it('reads UTF-8 whose first non-ASCII character is U+FFFD itself (a replacement character an earlier tool wrote) as UTF-8', async () => {
    // Prepare: the valid sequence EF BF BD, which a non-fatal decoder also gives for invalid bytes.
    const text = ROW.replace('Zoë', 'Zo\uFFFD') + ROW.replace('Zoë', 'Zoe');
    for (const chunkSize of [1, 2, 1 << 16]) {
      // Act
      const result = await decode(Buffer.from(text), chunkSize);
      // Assess
      expect(result).toEqual({ text, encoding: 'utf-8' });
    }
  });

  it('reads an ASCII file as UTF-8, and an empty one as nothing', async () => {
    expect(await decode(Buffer.from('a,b\n'))).toEqual({ text: 'a,b\n', encoding: 'utf-8' });
    expect(await decode(Buffer.alloc(0))).toEqual({ text: '', encoding: undefined });
  });

  it.each([
    ['gzip data', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]), 'file_compressed', /upload the \.csv file itself/],
    ['a zip archive (Excel workbook)', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), 'file_compressed', /save it as 'CSV UTF-8/],
    ['binary data', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]), 'file_binary', /not a CSV text file/],
    ['UTF-16 without a byte-order mark', Buffer.from(ROW, 'utf16le'), 'file_encoding_invalid', /UTF-16 .* re-save it as 'CSV UTF-8/],
    ['UTF-32', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('a\0\0\0')]), 'file_encoding_invalid', /UTF-32/],
    ['binary data after a UTF-16 mark', Buffer.concat([Buffer.from(BOM.utf16le), Buffer.from([0x41, 0]), Buffer.alloc(64)]), 'file_binary', /NUL characters/],
  ])('refuses %s, saying what to do', async (_name, bytes, refusal, message) => {
    // Act
    const outcome = await refusalOf(bytes);
    // Assess
    expect(outcome).toEqual([refusal, expect.stringMatching(message)]);
  });

  it('judges only the first 8 KiB for NUL bytes: a zero-filled tail is left to the rows', async () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n'.repeat(3000)), Buffer.alloc(16)]);
    expect((await decode(bytes)).text.endsWith('\0'.repeat(16))).toBe(true);
  });

  it.each([
    ['UTF-16BE without a byte-order mark', Buffer.from(ROW, 'utf16le').swap16(), 'file_encoding_invalid'],
    ['UTF-16 without a mark, 16 bytes', Buffer.from('a,b,c,d\n', 'utf16le'), 'file_encoding_invalid'],
    ['UTF-16 without a mark, under 16 bytes', Buffer.from('a,b,c\n', 'utf16le'), 'file_binary'],
    ['UTF-32BE', Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), Buffer.from([0, 0, 0, 0x61])]), 'file_encoding_invalid'],
    ['text with a few NULs on one side', Buffer.from('a\0b\0c\0d\0e,f,g,h,i,j,k,l\n'), 'file_binary'],
    ['a NUL at the last byte judged', Buffer.concat([Buffer.from('a'.repeat(8191)), Buffer.from([0])]), 'file_binary'],
    ['binary data after a UTF-8 mark', Buffer.concat([Buffer.from(BOM.utf8), Buffer.from('a\0b')]), 'file_binary'],
  ])('refuses %s', async (_name, bytes, refusal) => {
    expect(((await refusalOf(bytes)) as string[] | undefined)?.[0]).toBe(refusal);
  });

  it('reads UTF-16 whose NULs are nearly all on one side as UTF-16 refused, and one with NULs on both sides as binary', async () => {
    // 20 characters of ASCII in UTF-16LE is 40 bytes, NULs at every odd offset; an even NUL (5 %) or odd NULs at 70 % only make it binary.
    const utf16 = Buffer.from('a,b,c,d,e,f,g,h,i,j\n'.slice(0, 20), 'utf16le');
    expect(((await refusalOf(utf16)) as string[])[0]).toBe('file_encoding_invalid');
    const both = Buffer.from(utf16);
    both[0] = 0;
    expect(((await refusalOf(both)) as string[])[0]).toBe('file_binary');
    const fewer = Buffer.from(utf16);
    for (let index = 1; index < 12; index += 2) fewer[index] = 0x41;
    expect(((await refusalOf(fewer)) as string[])[0]).toBe('file_binary');
  });

  it('reads a NUL just past the first 8 KiB as text, for the rows to reject', async () => {
    const bytes = Buffer.concat([Buffer.from('a'.repeat(8192)), Buffer.from([0])]);
    for (const chunkSize of [1000, 1 << 16]) expect(await decode(bytes, chunkSize)).toEqual({ text: `${'a'.repeat(8192)}\0`, encoding: 'utf-8' });
  });

  it('reads a file cut in the middle of a UTF-8 sequence: the lone lead byte as Windows-1252', async () => {
    for (const chunkSize of [1, 2, 1 << 16]) expect(await decode(Buffer.from([0x61, 0x62, 0xc3]), chunkSize)).toEqual({ text: 'ab\u00c3', encoding: 'windows-1252' });
  });

  it('reads a split UTF-8 sequence whole, and a DEL before a Windows-1252 byte as Windows-1252', async () => {
    expect(await decode(Buffer.from('ab\u00e9cd'), 3)).toEqual({ text: 'ab\u00e9cd', encoding: 'utf-8' });
    // Decided on the first é, the chunk ending part way through the second (past the first 8 KiB, read whole).
    const ascii = 'a'.repeat(8192);
    expect(await decode(Buffer.from(`${ascii}a\u00e9\u00e9`), 8196)).toEqual({ text: `${ascii}a\u00e9\u00e9`, encoding: 'utf-8' });
    for (const chunkSize of [1, 1 << 16]) expect(await decode(Buffer.from('a\u007f\u00e9b', 'latin1'), chunkSize)).toEqual({ text: 'a\u007f\u00e9b', encoding: 'windows-1252' });
  });

  it('flushes the decoder at the end: a UTF-8 file with a mark ending part way through a character', async () => {
    const bytes = Buffer.concat([Buffer.from(BOM.utf8), Buffer.from('ab'), Buffer.from([0xc3])]);
    expect(await decode(bytes)).toEqual({ text: 'ab\uFFFD', encoding: 'utf-8-bom' });
  });

  it('reads a file of 8 KiB and more in chunks, deciding on the first 8 KiB', async () => {
    const text = `${ROW.replace('Zoë', 'Zoe').repeat(200)}${ROW}`;
    for (const chunkSize of [4096, 8192, 8193]) expect(await decode(Buffer.from(text), chunkSize)).toEqual({ text, encoding: 'utf-8' });
  });

  it('keeps a UTF-8 sequence split across chunks whole: the first one, and one after the choice', async () => {
    // Prepare: 8 KiB of ASCII, then é split over two chunks, that chunk ending part way through a second é, then a third é split later.
    const ascii = Buffer.from('a'.repeat(8192));
    const e = Buffer.from('\u00e9');
    const chunks = [Buffer.concat([ascii, e.subarray(0, 1)]), Buffer.concat([e.subarray(1), e.subarray(0, 1)]), Buffer.concat([e.subarray(1), Buffer.from('b'), e.subarray(0, 1)]), Buffer.concat([e.subarray(1), Buffer.from('c')])];
    // Act / Assess
    expect(await decodeChunks(chunks)).toEqual({ text: `${'a'.repeat(8192)}\u00e9\u00e9b\u00e9c`, encoding: 'utf-8' });
  });

  it.each([
    ['UTF-16LE with one NUL among its letters (2 % of even bytes)', 'utf16le', 1],
    ['UTF-16BE with one NUL among its letters (2 % of odd bytes)', 'utf16be', 0],
  ])('refuses %s as UTF-16 without a mark, not as binary', async (_name, order, letterSide) => {
    // Prepare: 50 ASCII characters in UTF-16, one letter byte made NUL.
    const le = Buffer.from('a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y\n', 'utf16le').subarray(0, 100);
    const bytes = order === 'utf16le' ? Buffer.from(le) : Buffer.from(le).swap16();
    bytes[10 + (1 - letterSide)] = 0;
    // Act / Assess
    expect(((await refusalOf(bytes)) as string[])[0]).toBe('file_encoding_invalid');
  });
});
