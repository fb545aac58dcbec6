import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileRefusedError } from '../shared/errors.js';
import { readFileLines, type FileFound, type FileLine } from './read-file-lines.js';

const ROW = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CASH,';
const FIELDS = ['25/08/2021 09:00', 'Leeds', 'Ann Example', 'Large Latte - 2.45', '2.45', 'CASH', ''];

/** Reads `chunks` to the end: the batches, every `found` report, and the error, if any. */
async function read(chunks: readonly (string | Buffer)[], maxRowChars = 1024) {
  const found: FileFound[] = [];
  const batches: FileLine[][] = [];
  let error: unknown;
  try {
    for await (const batch of readFileLines('upload.csv', Readable.from(chunks.map((chunk) => Buffer.from(chunk))), { maxRowChars, found: (each) => found.push(each) })) batches.push(batch);
  } catch (caught) {
    error = caught;
  }
  return { batches, lines: batches.flat(), found, error };
}

describe('Function: readFileLines', () => {
  it('refuses a line holding a NUL among other fields whole, past the binary check: the guard’s mark only ever stands alone', async () => {
    // Prepare: past the 16 KiB the binary check reads, a row that starts with a NUL field
    const rows = `${ROW}\n`.repeat(Math.ceil((16 * 1024) / ROW.length) + 1);
    // Act
    const { lines, error } = await read([`${rows}\u0000,Leeds,x\n${ROW}\n`]);
    // Assess
    expect(error).toBeUndefined();
    expect(lines.slice(-2)).toEqual([
      { kind: 'refused', line: lines.length - 1, reason: 'row_malformed' },
      { kind: 'record', fields: FIELDS, line: lines.length, span: 1 },
    ]);
  });

  it('reads records with the line each starts at and the lines it spans, after telling the encoding and then the format', async () => {
    // Act
    const { lines, found, error } = await read([`Super Cafe export\r\nDate,Branch,Name,Items,Total,Payment,Card\r\n${ROW}\r\n25/08/2021 09:01,Leeds,"Bo\r\nExample",Large Latte - 2.45,2.45,CASH,\r\n${ROW}\r\n`]);
    // Assess
    expect(error).toBeUndefined();
    expect(lines).toEqual([
      { kind: 'record', fields: ['Super Cafe export'], line: 1, span: 1 },
      { kind: 'record', fields: ['Date', 'Branch', 'Name', 'Items', 'Total', 'Payment', 'Card'], line: 2, span: 1 },
      { kind: 'record', fields: FIELDS, line: 3, span: 1 },
      { kind: 'record', fields: ['25/08/2021 09:01', 'Leeds', 'Bo\nExample', 'Large Latte - 2.45', '2.45', 'CASH', ''], line: 4, span: 2 },
      { kind: 'record', fields: FIELDS, line: 6, span: 1 },
    ]);
    expect(found).toEqual([
      { encoding: 'utf-8' },
      { format: { layout: 'standard', dialect: { delimiter: 'comma', quote: 'double', decimalComma: false, rowNumbers: false, trailingColumn: false } } },
      { encoding: 'utf-8', lineEndings: 'crlf' },
    ]);
  });

  it('counts quoted line breaks in every field of a record, and trims fields', async () => {
    const { lines } = await read([`25/08/2021 09:01 , Leeds ,"Bo\n\nExample",Large Latte - 2.45,2.45,CASH,"a\nb"\n${ROW}\n`]);
    expect(lines.map((line) => line.kind === 'record' && [line.line, line.span, line.fields[0], line.fields[1]])).toEqual([
      [1, 4, '25/08/2021 09:01', 'Leeds'],
      [5, 1, '25/08/2021 09:00', 'Leeds'],
    ]);
  });

  it('reads the dialect it sniffed: separator and quote', async () => {
    const { lines, found } = await read([`${ROW.replaceAll(',', ';')}\n'25/08/2021 09:01';Leeds;'Bo; Example';Large Latte - 2.45;2.45;CASH;\n`]);
    expect(found[1]).toMatchObject({ format: { dialect: { delimiter: 'semicolon', quote: 'single' } } });
    expect(lines).toEqual([
      { kind: 'record', fields: FIELDS, line: 1, span: 1 },
      { kind: 'record', fields: ['25/08/2021 09:01', 'Leeds', 'Bo; Example', 'Large Latte - 2.45', '2.45', 'CASH', ''], line: 2, span: 1 },
    ]);
  });

  it('refuses, in place, a line the guard refused: overlong, or broken by a stray quote', async () => {
    // Act
    const { lines } = await read([`${ROW}\n25/08/2021 09:01,Leeds,${'x'.repeat(200)},Large Latte - 2.45,2.45,CASH,\n25/08/2021 09:02,Le"eds,A,Large Latte - 2.45,2.45,CASH,\n${ROW}\n`], 120);
    // Assess
    expect(lines).toEqual([
      { kind: 'record', fields: FIELDS, line: 1, span: 1 },
      { kind: 'refused', line: 2, reason: 'field_too_long' },
      { kind: 'refused', line: 3, reason: 'row_malformed' },
      { kind: 'record', fields: FIELDS, line: 4, span: 1 },
    ]);
  });

  it('reads a file longer than the sample, chunk by chunk, in batches, past a line the sample cut', async () => {
    // Prepare: 600 rows (about 40 KB) in chunks that do not end at line ends.
    const text = `${ROW}\n`.repeat(600);
    const chunks = text.match(/[\s\S]{1,1000}/g) ?? [];
    // Act
    const { batches, lines, found } = await read(chunks);
    // Assess
    expect(lines).toHaveLength(600);
    expect(lines.every((line, index) => line.kind === 'record' && line.line === index + 1 && line.fields[6] === '')).toBe(true);
    expect(batches.length).toBeGreaterThan(1);
    expect(found.at(-1)).toEqual({ encoding: 'utf-8', lineEndings: 'lf' });
  });

  it('keeps a CR that ends one chunk and a CR that ends the file as line endings', async () => {
    const { lines, found } = await read([`${ROW}\r`, `${ROW}\r`]);
    expect(lines.map((line) => line.line)).toEqual([1, 2]);
    expect(found.at(-1)).toEqual({ encoding: 'utf-8', lineEndings: 'cr' });
  });

  it('reads a file of no lines as no records, and says so', async () => {
    const { lines, found, error } = await read(['']);
    expect([lines, error]).toEqual([[], undefined]);
    expect(found.at(-1)).toEqual({ encoding: undefined, lineEndings: 'none' });
  });

  it('refuses a file no dialect reads, saying what to do, and still tells what it found', async () => {
    // Act
    const { error, found } = await read([`${ROW.replaceAll(',', '#')}\n`]);
    // Assess
    expect(error).toBeInstanceOf(FileRefusedError);
    expect(error).toMatchObject({
      refusal: 'file_dialect_unknown',
      message:
        "upload.csv: refused (file_dialect_unknown): no line has the 7 columns of a branch file (date, branch, customer, items, total, payment, card) separated by commas, semicolons, tabs or pipes: re-save it as 'CSV UTF-8 (Comma delimited)' with those 7 columns and upload it again",
    });
    expect(found).toEqual([{ encoding: 'utf-8' }, { encoding: 'utf-8', lineEndings: 'lf' }]);
  });

  it('throws a read error of the source, and tells what it found before it', async () => {
    // Prepare: a source that fails after its first chunk.
    async function* failing() {
      yield Buffer.from(`${ROW}\n`.repeat(400));
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    const found: FileFound[] = [];
    const lines: FileLine[] = [];
    // Act
    const reading = (async () => {
      for await (const batch of readFileLines('upload.csv', Readable.from(failing()), { maxRowChars: 1024, found: (each) => found.push(each) })) lines.push(...batch);
    })();
    // Assess
    await expect(reading).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(lines.length).toBeGreaterThan(0);
    expect(found.at(-1)).toEqual({ encoding: 'utf-8', lineEndings: 'lf' });
  });

  it("reads a doubled quote in a single-quoted field as the quote (the dialect's escape)", async () => {
    const { lines } = await read([`${ROW.replaceAll(',', ';')}\n'25/08/2021 09:01';Leeds;'Bo O''Example; Jr';Large Latte - 2.45;2.45;CASH;\n`]);
    expect(lines[1]).toEqual({ kind: 'record', fields: ['25/08/2021 09:01', 'Leeds', "Bo O'Example; Jr", 'Large Latte - 2.45', '2.45', 'CASH', ''], line: 2, span: 1 });
  });

  it('counts a CR that ends the file as a line ending of its own', async () => {
    const { found } = await read([`${ROW}\n${ROW}\r`]);
    expect(found.at(-1)).toEqual({ encoding: 'utf-8', lineEndings: 'mixed' });
  });

  it('sniffs the first 16 KiB of text: a mark of the 2020 export after it does not count', async () => {
    // Prepare: standard rows filling the first 16,384 characters exactly, then a line with the 2020 mark.
    const row = `${ROW}\n`;
    const rest = 16 * 1024 - row.length * 60;
    const head = `${row.repeat(60)}${'Note\n'.repeat(Math.floor(rest / 5) - 1)}${'N'.repeat(4 + (rest % 5))}\n`;
    const mark = '25/08/2021 09:05,Leeds,Ann,"Regular Tea - 1.50,  Iced latte - 2.35",3.85,CASH\n';
    // Act
    const past = await read([head, mark]);
    const within = await read([head.slice(0, -5), mark]);
    // Assess
    expect(head).toHaveLength(16 * 1024);
    expect(past.found[1]).toMatchObject({ format: { layout: 'standard' } });
    expect(within.found[1]).toMatchObject({ format: { layout: 'gen-2020' } });
  });

  it('counts a quoted line break that opens a field', async () => {
    const { lines } = await read([`25/08/2021 09:01,Leeds,"\nBo",Large Latte - 2.45,2.45,CASH,\n${ROW}\n`]);
    expect(lines.map((line) => line.kind === 'record' && [line.line, line.span, line.fields[2]])).toEqual([
      [1, 2, '\nBo'],
      [3, 1, 'Ann Example'],
    ]);
  });

  it('sniffs the last line of a whole file that has no line end', async () => {
    const { lines, found } = await read([ROW.replaceAll(',', ';')]);
    expect(found[1]).toMatchObject({ format: { dialect: { delimiter: 'semicolon' } } });
    expect(lines).toEqual([{ kind: 'record', fields: FIELDS, line: 1, span: 1 }]);
  });

  it('does not sniff the last line of a sample that filled its 16 KiB: that line may be cut', async () => {
    // Prepare: one long note, then a semicolon row without a line end, all read as the sample.
    const { found } = await read([`${'n'.repeat(17 * 1024)}\n${ROW.replaceAll(',', ';')}`]);
    // Assess: nothing whole to go by, so the default comma dialect.
    expect(found[1]).toMatchObject({ format: { dialect: { delimiter: 'comma' } } });
  });
});
