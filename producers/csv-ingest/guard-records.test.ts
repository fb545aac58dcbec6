import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RejectReasonCode } from '../../contracts/index.js';
import { guardRecords, REFUSED_LINE_MARK } from './guard-records.js';

/** Runs text through the guard in chunks of `chunkSize` bytes; returns the output and the refusals. */
async function guard(text: string | Buffer, chunkSize = 1 << 16, maxRecordBytes = 64, dialect: { delimiter?: string; quote?: string } = {}) {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  const refused: RejectReasonCode[] = [];
  const stream = Readable.from(chunks).pipe(guardRecords({ maxRecordBytes, ...dialect, onRefused: (reason) => refused.push(reason) }));
  const out: Buffer[] = [];
  for await (const part of stream) out.push(part as Buffer);
  return { text: Buffer.concat(out).toString('utf8'), refused };
}

const X = REFUSED_LINE_MARK;

describe('Function: guardRecords', () => {
  const wellFormed = [
    'a,b,c\n',
    'a,"b, with comma",c\r\n"d ""quoted""",e\r\n',
    'a,"multi\nline\r\nfield",c\nnext,row\n',
    'a, "spaced" ,c\n\n\nlast,row,no newline',
    '"",,"\n"\n',
  ];

  it.each(wellFormed)('passes well-formed CSV through unchanged, however it is chunked: %j', async (text) => {
    // Prepare / Act: every chunk size from one byte up, so each state crosses a chunk boundary.
    for (let chunkSize = 1; chunkSize <= text.length; chunkSize++) {
      const result = await guard(text, chunkSize);
      // Assess
      expect(result).toEqual({ text, refused: [] });
    }
  });

  it('replaces an overlong line by the mark and keeps the lines after it', async () => {
    const text = `good,1\n${'x'.repeat(200)},"${'y'.repeat(100)}"\ngood,2\n`;
    for (const chunkSize of [1, 7, 64, 1 << 16]) {
      expect(await guard(text, chunkSize)).toEqual({ text: `good,1\n${X}\ngood,2\n`, refused: ['field_too_long'] });
    }
  });

  it('refuses a quote inside an unquoted field, keeping the line count', async () => {
    expect(await guard('a,=HYPERLINK("x"),b\r\nc,d\r\n')).toEqual({ text: `${X}\r\nc,d\r\n`, refused: ['row_malformed'] });
  });

  it('refuses a stray quote inside a quoted field instead of quoting to the end of the file', async () => {
    expect(await guard('a,"Bob "The Builder" Smith",b\nc,"d, e"\n')).toEqual({ text: `${X}\nc,"d, e"\n`, refused: ['row_malformed'] });
  });

  it('refuses the line that opens a quote never closed, and reads the lines it swallowed', async () => {
    const text = 'a,"unclosed,b\nc,d\ne,"f, g",h\n';
    expect(await guard(text)).toEqual({ text: `${X}\nc,d\ne,"f, g",h\n`, refused: ['row_malformed'] });
    // At the end of the file, and when the open quote outgrows the limit before any closing quote.
    expect(await guard('a,b\nc,"unclosed\nd,e')).toEqual({ text: `a,b\n${X}\nd,e`, refused: ['row_malformed'] });
    expect(await guard(`a,"unclosed\n${'c,d\n'.repeat(40)}`, 5)).toEqual({ text: `${X}\n${'c,d\n'.repeat(40)}`, refused: ['row_malformed'] });
  });

  it('refuses a line holding a NUL byte, which no warehouse text column can store', async () => {
    expect(await guard(Buffer.from('a,b\nc\u0000d,e\nf,g\n'))).toEqual({ text: `a,b\n${X}\nf,g\n`, refused: ['row_malformed'] });
  });

  it('frames records by the separator and quote it is given', async () => {
    // Prepare: a ';' file quoted with ', where a comma and a double quote are plain text.
    const text = "a;'b; with semicolon';\"c\", d\n'e ''quoted''';f\n";
    // Act / Assess
    for (const chunkSize of [1, 3, 1 << 16]) expect(await guard(text, chunkSize, 64, { delimiter: ';', quote: "'" })).toEqual({ text, refused: [] });
    // The same text read with the RFC 4180 quote has a quote inside a bare field.
    expect((await guard(text, 1 << 16, 64, { delimiter: ';' })).refused).toEqual(['row_malformed']);
  });

  it('treats a tab as the separator, not as a blank, when it is the separator', async () => {
    const text = 'a\t "b\tc" \t\td\n';
    expect(await guard(text, 1 << 16, 64, { delimiter: '\t' })).toEqual({ text, refused: [] });
  });

  it('refuses a separator or quote that is not one ASCII character', () => {
    expect(() => guardRecords({ maxRecordBytes: 64, delimiter: ';;', onRefused: () => undefined })).toThrow(RangeError);
    expect(() => guardRecords({ maxRecordBytes: 64, quote: '«', onRefused: () => undefined })).toThrow(RangeError);
  });

  it.each([
    ['a record of exactly the limit', 'abcdefgh\nij\n', 8, 'abcdefgh\nij\n', []],
    ['a record one byte over the limit', 'abcdefghi\nij\n', 8, `${X}\nij\n`, ['field_too_long']],
    ['a quoted record over the limit across lines, from its first line', '"ab\ncdefghij"\nk\n', 8, `${X}\n${X}\nk\n`, ['row_malformed', 'row_malformed']],
    ['an open quote over two lines, read again from its first line break', 'a,"open\nb,c\nd,e\n', 64, `${X}\nb,c\nd,e\n`, ['row_malformed']],
    ['a bare CR as a line break', 'a,b\rc,d\r', 64, 'a,b\rc,d\r', []],
    ['a CR ending a refused line', 'a,b"c\rd,e\r', 64, `${X}\rd,e\r`, ['row_malformed']],
    ['text after a closing quote', 'a,"b"c,d\ne,f\n', 64, `${X}\ne,f\n`, ['row_malformed']],
    ['blanks and a tab after a closing quote', 'a,"b" \t ,c\n', 64, 'a,"b" \t ,c\n', []],
    ['a tab before a quoted field', 'a,\t"b",c\n', 64, 'a,\t"b",c\n', []],
    ['an escaped quote then the separator', 'a,"b""",c\n', 64, 'a,"b""",c\n', []],
    ['a line break right after a closing quote', 'a,"b"\nc\n', 64, 'a,"b"\nc\n', []],
    ['a NUL opening a line', 'a\n\u0000b\nc\n', 64, `a\n${X}\nc\n`, ['row_malformed']],
    ['a second quoted part after blanks', 'a,"b" "c",d\ne\n', 64, `${X}\ne\n`, ['row_malformed']],
    ['a NUL in a quoted field', 'a,"b\u0000"\nc\n', 64, `${X}\nc\n`, ['row_malformed']],
    ['a refused last line without a line end', 'a\nb"c', 64, `a\n${X}`, ['row_malformed']],
    ['a quote opened on the last line and never closed', 'a\n"bc', 64, `a\n${X}`, ['row_malformed']],
    ['a quote opened in the middle of the last line and never closed', 'a\nb,"c', 64, `a\n${X}`, ['row_malformed']],
  ])('frames %s', async (_name, text, max, expected, refused) => {
    for (const chunkSize of [1, 2, 5, 1 << 16]) expect(await guard(text, chunkSize, max)).toEqual({ text: expected, refused });
  });

  it('takes DEL as an ASCII separator, and names a separator it cannot take', () => {
    expect(() => guardRecords({ maxRecordBytes: 64, delimiter: '\u007f', onRefused: () => undefined })).not.toThrow();
    expect(() => guardRecords({ maxRecordBytes: 64, delimiter: '\u0080', onRefused: () => undefined })).toThrow('guardRecords: "\u0080" is not one ASCII character');
    expect(() => guardRecords({ maxRecordBytes: 64, quote: '', onRefused: () => undefined })).toThrow('guardRecords: "" is not one ASCII character');
  });
});
