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

  it("keeps the reader's or the stream's own error as the refusal's cause, for the logs", async () => {
    // Prepare
    const openError = new Error('access denied');
    const streamError = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const failing = { open: async () => Readable.from((async function* () { yield Buffer.from(GOOD); throw streamError; })()) };
    // Act
    const unopened = await ingestFile({ file: 'x.csv', reader: { open: () => Promise.reject(openError) }, writer: memoryWriter(), pepper: 'p' }).catch((caught: unknown) => caught);
    const broken = await ingestFile({ file: 'y.csv', reader: failing, writer: memoryWriter(), pepper: 'p' }).catch((caught: unknown) => caught);
    // Assess
    expect(unopened).toBeInstanceOf(FileRefusedError);
    expect((unopened as Error).cause).toBe(openError);
    expect(broken).toBeInstanceOf(FileRefusedError);
    expect((broken as Error).cause).toBe(streamError);
  });

  it('refuses a file that cannot be opened, naming it', async () => {
    const failure = ingestFile({ file: join('missing', 'nope.csv'), reader: createFileObjectReader('/nonexistent'), writer: memoryWriter(), pepper: 'p' });
    await expect(failure).rejects.toThrow(/missing\/nope\.csv: refused \(file_unreadable\)/);
  });

  it.each([
    ['an empty file', '', "no sale rows (the file is empty): export the day's sales again and upload that file"],
    ['a title alone', 'Super Cafe till export\n', "no sale rows (1 line(s): 1 other (titles, notes)): export the day's sales again and upload that file"],
    [
      'blanks, a header and notes',
      'Super Cafe till export\n\nDate,Branch,Name,Items,Total,Payment,Card\n,,,,,,\nExported by the till\n',
      "no sale rows (5 line(s): 2 blank, 1 header, 2 other (titles, notes)): export the day's sales again and upload that file",
    ],
  ])('refuses %s as empty, saying what it held', async (_name, content, detail) => {
    // Act
    const writer = memoryWriter();
    const failure = ingestFile({ file: 'empty.csv', reader: textReader(content), writer, pepper: 'p' });
    // Assess
    await expect(failure).rejects.toThrow(`empty.csv: refused (file_empty): ${detail}`);
    expect(writer.events).toHaveLength(1);
    expect(writer.events[0]).toMatchObject({ type: 'FileVersionIngested', data: { status: 'refused', refusal: 'file_empty', rowsRead: 0 } });
  });

  it('refuses a file whose reader fails without an Error, and one whose stream fails without a code', async () => {
    const thrown = ingestFile({ file: 'x.csv', reader: { open: () => Promise.reject('nope') }, writer: memoryWriter(), pepper: 'p' });
    await expect(thrown).rejects.toThrow(/^x\.csv: refused \(file_unreadable\): cannot be read$/);
    const failing = { open: async () => Readable.from((async function* () { yield Buffer.from(GOOD); throw new Error('gone'); })()) };
    await expect(ingestFile({ file: 'y.csv', reader: failing, writer: memoryWriter(), pepper: 'p' })).rejects.toThrow(/^y\.csv: refused \(file_unreadable\): read failed \(error\)$/);
  });

  it("refuses, as a row at 'branch', a sale the deployment's rule refuses, and loads the others", async () => {
    // Act
    const writer = memoryWriter();
    const summary = await ingestFile({
      file: 'uploads/leeds/day.csv',
      // The rule sees sales only: a header and a row rejected before it are not given to it.
      reader: textReader(`Date,Branch,Name,Items,Total,Payment,Card\n${GOOD}${GOOD.replace('Leeds', 'York')}${GOOD.replace('2.45,CARD', 'lots,CARD')}`),
      writer,
      pepper: 'p',
      checkSale: (sale) => (sale.branch === 'Leeds' ? null : 'branch_mismatch'),
    });
    // Assess
    expect(summary).toMatchObject({
      rowsRead: 3,
      eventsPublished: 1,
      rowsRejected: 2,
      rejections: [
        { line: 3, reason: 'branch_mismatch', field: 'branch' },
        { line: 4, reason: 'total_invalid', field: 'total' },
      ],
    });
    expect(writer.events.map((event) => event.type)).toEqual(['TransactionRecorded', 'RowRejected', 'RowRejected', 'FileVersionIngested']);
    expect(writer.events[1]).toMatchObject({ source: { line: 3 }, data: { reason: 'branch_mismatch', field: 'branch' } });
  });

  it("stamps events with the run's clock, and takes the start instant as the version when none is given", async () => {
    // Prepare: a clock that ticks a second a reading.
    let tick = 0;
    const clock = () => new Date(Date.UTC(2021, 7, 25, 21, 0, tick++));
    const writer = memoryWriter();
    // Act
    const summary = await ingestFile({ file: 'leeds.csv', reader: textReader(`${GOOD}25/08/2021 09:01,Leeds,A,Large Latte - 2.45,lots,CASH,\n`), writer, pepper: 'p', clock });
    // Assess
    expect(summary.version).toBe('2021-08-25T21:00:00.000Z');
    expect(writer.events.map((event) => [event.type, event.recordedAt, 'source' in event ? event.source : undefined])).toEqual([
      ['TransactionRecorded', '2021-08-25T21:00:01.000Z', { kind: 'file', file: 'leeds.csv', version: '2021-08-25T21:00:00.000Z', line: 1 }],
      ['RowRejected', '2021-08-25T21:00:02.000Z', { kind: 'file', file: 'leeds.csv', version: '2021-08-25T21:00:00.000Z', line: 2 }],
      ['FileVersionIngested', '2021-08-25T21:00:03.000Z', undefined],
    ]);
    expect(writer.events[2]).toMatchObject({ data: { version: '2021-08-25T21:00:00.000Z', startedAt: '2021-08-25T21:00:00.000Z', finishedAt: '2021-08-25T21:00:03.000Z', status: 'loaded', refusal: null } });
    expect(summary).toMatchObject({ file: 'leeds.csv', status: 'loaded', refusal: null, receipt: new Map([['shard-0', 3n]]) });
  });

  it('gives the version it is told to the events and the account', async () => {
    const writer = memoryWriter();
    const summary = await ingestFile({ file: 'leeds.csv', version: '00000000000000000000000000000ABC', reader: textReader(GOOD), writer, pepper: 'p' });
    expect(summary.version).toBe('00000000000000000000000000000ABC');
    expect(writer.events).toMatchObject([{ source: { version: '00000000000000000000000000000ABC' } }, { data: { version: '00000000000000000000000000000ABC' } }]);
  });

  it('writes batches of 500 events by default, the account last with the remainder', async () => {
    // Prepare
    const rows = Array.from({ length: 501 }, (_, index) => GOOD.replace('09:00', `${String(9 + Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}`)).join('');
    const sizes: number[] = [];
    const inner = memoryWriter();
    const writer = { write: async (events: Parameters<typeof inner.write>[0]) => (sizes.push(events.length), inner.write(events)) };
    // Act
    await ingestFile({ file: 'leeds.csv', reader: textReader(rows), writer, pepper: 'p' });
    // Assess
    expect(sizes).toEqual([500, 2]);
  });

  it('counts rejected rows into batches and reports progress after each batch and at the end', async () => {
    // Prepare: sales and rejected rows alternate; skipped lines fill no batch.
    const bad = '25/08/2021 09:01,Leeds,A,Large Latte - 2.45,lots,CASH,\n';
    const content = `Title\n${GOOD}${bad}\n${GOOD.replace('09:00', '09:02')}${bad.replace('09:01', '09:03')}${GOOD.replace('09:00', '09:04')}`;
    const sizes: number[] = [];
    const inner = memoryWriter();
    const writer = { write: async (events: Parameters<typeof inner.write>[0]) => (sizes.push(events.length), inner.write(events)) };
    const progress: unknown[] = [];
    // Act
    await ingestFile({ file: 'leeds.csv', reader: textReader(content), writer, pepper: 'p', batchSize: 2, onProgress: (each) => progress.push(each) });
    // Assess
    expect(sizes).toEqual([2, 2, 2]);
    expect(progress).toEqual([
      { rowsRead: 2, rowsRejected: 1 },
      { rowsRead: 4, rowsRejected: 2 },
      { rowsRead: 5, rowsRejected: 2 },
    ]);
  });

  it('refuses as a row a line longer than 64 KiB by default, and reads one of 64 KiB', async () => {
    // Prepare: rows padded (in the card column, which the contract then rejects) to exactly 65,536 and 65,537 bytes.
    const padded = (bytes: number) => `${GOOD.trim().replace(/4111111111111111$/, '')}${'1'.repeat(bytes - GOOD.trim().length + 16)}\n`;
    // Act
    const summary = await ingestFile({ file: 'long.csv', reader: textReader(padded(64 * 1024) + padded(64 * 1024 + 1) + GOOD), writer: memoryWriter(), pepper: 'p' });
    // Assess
    expect(padded(64 * 1024)).toHaveLength(64 * 1024 + 1);
    expect(summary.rejections).toEqual([
      // Read, so the contract finds the card number too long (a field); the guard refuses the longer line (no field).
      { line: 1, reason: 'field_too_long', field: 'cardNumber' },
      { line: 2, reason: 'field_too_long', field: null },
    ]);
  });

  it('fails with the stream’s own error when a write fails, not with a refusal of the file', async () => {
    const down = new Error('stream down');
    const writer = { write: async () => Promise.reject(down) };
    const error = await ingestFile({ file: 'leeds.csv', reader: textReader(GOOD), writer, pepper: 'p', batchSize: 1 }).catch((caught: unknown) => caught);
    expect(error).toBe(down);
  });

  it('publishes no account when a write fails once, and a retry of the same version publishes the same events', async () => {
    // Prepare: the first write fails, later ones succeed; then the run is retried (as Lambda retries it).
    const inner = memoryWriter();
    let writes = 0;
    const writer = { write: async (events: Parameters<typeof inner.write>[0]) => (writes++ === 0 ? Promise.reject(new Error('throttled')) : inner.write(events)) };
    const text = GOOD + GOOD.replace('Ann', 'Bob');
    // Act
    const failure = ingestFile({ file: 'leeds.csv', version: 'v1', reader: textReader(text), writer, pepper: 'p', batchSize: 1 });
    // Assess: the write's error reaches the caller as itself; nothing says the file was refused or loaded.
    await expect(failure).rejects.toThrow('throttled');
    expect(inner.events.some((event) => event.type === 'FileVersionIngested')).toBe(false);
    const published = inner.events.length;
    const retried = await ingestFile({ file: 'leeds.csv', version: 'v1', reader: textReader(text), writer, pepper: 'p', batchSize: 1 });
    const clean = memoryWriter();
    await ingestFile({ file: 'leeds.csv', version: 'v1', reader: textReader(text), writer: clean, pepper: 'p', batchSize: 1 });
    expect(retried).toMatchObject({ status: 'loaded', eventsPublished: 2 });
    const idsOf = (events: readonly { type: string; eventId: string }[]) => events.filter((event) => event.type === 'TransactionRecorded').map((event) => event.eventId);
    expect(idsOf(inner.events.slice(published))).toEqual(idsOf(clean.events));
  });

  it('leaves no write failure unhandled while the file is read, and fails with the write’s error', async () => {
    // Prepare: past the 16 KiB sniffed (notes), one row; then the source pauses (a turn of the event loop) while its write fails.
    async function* chunks() {
      yield Buffer.from(`${'Note\n'.repeat(3500)}${GOOD}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield Buffer.from(GOOD.replace('Ann', 'Bob'));
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const inner = memoryWriter();
    let writes = 0;
    const writer = { write: async (events: Parameters<typeof inner.write>[0]) => (writes++ === 0 ? Promise.reject(new Error('throttled')) : inner.write(events)) };
    try {
      // Act
      const error = await ingestFile({ file: 'leeds.csv', reader: { open: async () => Readable.from(chunks()) }, writer, pepper: 'p', batchSize: 1 }).catch((caught: unknown) => caught);
      // Assess
      expect(error).not.toBeInstanceOf(FileRefusedError);
      expect((error as Error).message).toBe('throttled');
      expect(inner.events.some((event) => event.type === 'FileVersionIngested')).toBe(false);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
