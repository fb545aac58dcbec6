import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_VARIANTS } from '../../test/helpers/local-stack.js';
import { memoryWriter } from '../../test/helpers/memory-writer.js';
import { FileRefusedError } from '../shared/errors.js';
import { createFileObjectReader } from './adapters/file-object-reader.js';
import { ingestFile } from './ingest-file.js';

const textReader = (content: string | Buffer) => ({ open: async () => Readable.from([Buffer.from(content)]) });
const GOOD = '25/08/2021 09:00,Leeds,Ann Example,Large Latte - 2.45,2.45,CARD,4111111111111111\n';

describe('Function: ingestFile', () => {
  it('publishes one event per sale and an account of the file', async () => {
    const writer = memoryWriter();
    const summary = await ingestFile({ file: 'leeds.csv', reader: textReader(GOOD + GOOD.replace('Ann', 'Bob')), writer, pepper: 'p' });
    expect(summary).toMatchObject({ rowsRead: 2, eventsPublished: 2, rowsRejected: 0, branch: 'Leeds', businessDate: '2021-08-25', status: 'loaded' });
    expect(writer.events.map((event) => event.type)).toEqual(['TransactionRecorded', 'TransactionRecorded', 'FileVersionIngested']);
  });

  it('rejects bad rows with their reason and line and still loads the good ones', async () => {
    const content = [
      GOOD.trim(),
      '25/08/2021 09:01,Leeds,A,Large Latte - 2.45,2.45,CARD',
      'not a date,Leeds,A,Large Latte - 2.45,2.45,CASH,',
      '25/08/2021 09:02,Leeds,A,Large Latte - 2.45,lots,CASH,',
      '25/08/2021 09:03,Leeds,A,Large Latte - 2.45,2.45,BITCOIN,',
      '25/08/2021 09:04,Leeds,A,,0,CASH,',
      GOOD.trim(),
    ].join('\n');
    const writer = memoryWriter();
    const summary = await ingestFile({ file: 'bad.csv', reader: textReader(content), writer, pepper: 'p' });
    expect(summary.rejections).toEqual([
      { line: 2, reason: 'column_count', field: null },
      { line: 3, reason: 'date_unparsable', field: 'timestamp' },
      { line: 4, reason: 'total_invalid', field: 'total' },
      { line: 5, reason: 'payment_unknown', field: 'paymentMethod' },
      { line: 6, reason: 'basket_empty', field: 'items' },
    ]);
    expect(summary.eventsPublished).toBe(2);
    expect(JSON.stringify(writer.events.filter((event) => event.type === 'RowRejected'))).not.toContain('Ann');
  });

  it('numbers identical rows so both sales count', async () => {
    const writer = memoryWriter();
    await ingestFile({ file: 'twice.csv', reader: textReader(GOOD + GOOD), writer, pepper: 'p' });
    const ids = writer.events.filter((event) => event.type === 'TransactionRecorded').map((event) => event.eventId);
    expect(new Set(ids).size).toBe(2);
  });

  it('gives a re-exported file the same event ids', async () => {
    const ids = async (file: string) => {
      const writer = memoryWriter();
      await ingestFile({ file, reader: createFileObjectReader(SAMPLE_VARIANTS), writer, pepper: 'p' });
      return new Set(writer.events.filter((event) => event.type === 'TransactionRecorded').map((event) => event.eventId));
    };
    const crlf = await ids('crlf.csv');
    for (const variant of ['padded.csv', 'sci-notation-card.csv', 'header-row-other-names.csv']) expect(await ids(variant)).toEqual(crlf);
  });

  it.each([
    ['gzip data', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]), 'file_compressed'],
    ['binary data', Buffer.from([0x41, 0x00, 0x42, 0x43]), 'file_binary'],
    ['UTF-16 without a byte-order mark', Buffer.from(GOOD, 'utf16le'), 'file_encoding_invalid'],
    ['a file no separator reads as seven columns', Buffer.from(GOOD.replace(/,/g, '#')), 'file_dialect_unknown'],
  ])('refuses %s with an error naming the file', async (_name, content, refusal) => {
    const writer = memoryWriter();
    const failure = ingestFile({ file: 'upload.csv', reader: textReader(content), writer, pepper: 'p' });
    await expect(failure).rejects.toBeInstanceOf(FileRefusedError);
    await expect(failure).rejects.toThrow(/^upload\.csv: refused/);
    expect(writer.events.at(-1)).toMatchObject({ type: 'FileVersionIngested', data: { status: 'refused', refusal } });
  });

  it('reads bytes that are not UTF-8 as Windows-1252, and says so', async () => {
    // Prepare: what Excel on Windows writes as "CSV": é is the single byte 0xE9.
    const writer = memoryWriter();

    // Act
    const summary = await ingestFile({ file: 'latin.csv', reader: textReader(Buffer.from(GOOD.replace('Ann', 'Zoé'), 'latin1')), writer, pepper: 'p' });

    // Assess
    expect(summary).toMatchObject({ status: 'loaded', eventsPublished: 1, encoding: 'windows-1252' });
    expect(writer.events[0]).toMatchObject({ type: 'TransactionRecorded', data: { customerName: 'Zoé Example' } });
  });

  it('refuses a file whose source fails while a write is in flight, accounting for what was sent', async () => {
    // Prepare: the connection fails after the first chunk, while the loop awaits a slow write.
    async function* chunks() {
      yield Buffer.from((GOOD + GOOD.replace('Ann', 'Bob')).repeat(300));
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    const reader = { open: async () => Readable.from(chunks()) };
    const slow = memoryWriter();
    const writer = { events: slow.events, write: async (batch: Parameters<typeof slow.write>[0]) => new Promise<Awaited<ReturnType<typeof slow.write>>>((resolve) => setTimeout(() => resolve(slow.write(batch)), 1)) };

    // Act
    const failure = ingestFile({ file: 'late.csv', reader, writer, pepper: 'p', batchSize: 1 });

    // Assess: a clean refusal (no unhandled rejection), and the account counts the sales already sent.
    await expect(failure).rejects.toThrow(/^late\.csv: refused \(file_unreadable\): read failed \(ECONNRESET\)/);
    const sent = slow.events.filter((event) => event.type === 'TransactionRecorded').length;
    expect(sent).toBeGreaterThan(0);
    expect(slow.events.at(-1)).toMatchObject({ type: 'FileVersionIngested', data: { status: 'refused', eventsPublished: sent } });
  });

  it('parses on while a batch is written, with one write in flight and the events in file order', async () => {
    // Prepare: writes that take a while, watched for overlap
    const rows = Array.from({ length: 23 }, (_, index) => GOOD.replace('09:00', `09:${String(index).padStart(2, '0')}`)).join('');
    const written: string[] = [];
    let writing = 0;
    let mostAtOnce = 0;
    let pushedWhileWriting = 0;
    let pushed = 0;
    const writer = {
      write: async (events: readonly { type: string; eventId: string }[]) => {
        writing++;
        mostAtOnce = Math.max(mostAtOnce, writing);
        const pushedBefore = pushed;
        await new Promise((done) => setTimeout(done, 5));
        if (pushed > pushedBefore) pushedWhileWriting++;
        written.push(...events.map((event) => event.type));
        writing--;
        return new Map();
      },
    };
    // Act
    const summary = await ingestFile({ file: 'leeds.csv', reader: textReader(rows), writer, pepper: 'p', batchSize: 5, onProgress: () => void pushed++ });
    // Assess
    expect(summary.eventsPublished).toBe(23);
    expect(mostAtOnce).toBe(1);
    expect(pushedWhileWriting).toBeGreaterThan(0);
    expect(written).toEqual([...Array.from({ length: 23 }, () => 'TransactionRecorded'), 'FileVersionIngested']);
  });

  it('refuses a file with no rows as empty', async () => {
    const failure = ingestFile({ file: 'header.csv', reader: textReader('date,branch,name,basket,total,payment,card\n\n'), writer: memoryWriter(), pepper: 'p' });
    await expect(failure).rejects.toThrow(/^header\.csv: refused \(file_empty\)/);
  });

  it('reports a record spanning lines at its first line, and one bad quote as one row', async () => {
    const content = ['25/08/2021 09:00,Leeds,"Ann', 'Example",Large Latte - 2.45,2.45,VOUCHER,', '25/08/2021 09:01,Leeds,A,=HYPERLINK("x"),2.45,CASH,', GOOD.trim()].join('\n');
    const summary = await ingestFile({ file: 'lines.csv', reader: textReader(content), writer: memoryWriter(), pepper: 'p' });
    expect(summary.rejections).toEqual([
      { line: 1, reason: 'payment_unknown', field: 'paymentMethod' },
      { line: 3, reason: 'row_malformed', field: null },
    ]);
    expect(summary).toMatchObject({ rowsRead: 3, rowsRejected: 2, eventsPublished: 1 });
  });

  it('refuses a file that cannot be opened, naming it', async () => {
    const failure = ingestFile({ file: join('missing', 'nope.csv'), reader: createFileObjectReader('/nonexistent'), writer: memoryWriter(), pepper: 'p' });
    await expect(failure).rejects.toThrow(/missing\/nope\.csv: refused \(file_unreadable\)/);
  });
});
