import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SalesStreamEventSchema, SCHEMA_VERSION } from './transaction-recorded.js';
import { upcastEvent } from './upcast.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'test', 'events', 'kinesis', name), 'utf8'));

describe('Function: upcastEvent', () => {
  it('brings a v1 TransactionRecorded to the current version with its occurredAt', () => {
    // Act
    const event = SalesStreamEventSchema.parse(upcastEvent(fixture('transaction-recorded-v1.json')));

    // Assess
    expect(event.schemaVersion).toBe(SCHEMA_VERSION);
    expect(event.type === 'TransactionRecorded' && event.occurredAt).toBe('2021-08-25T08:00:00.000Z');
  });

  it('brings other v1 events up by their version alone', () => {
    expect(SalesStreamEventSchema.parse(upcastEvent(fixture('row-rejected-v1.json')))).toMatchObject({ schemaVersion: SCHEMA_VERSION, data: { reason: 'total_invalid' } });
  });

  it('leaves current and unknown versions for the schema to judge', () => {
    const future = { type: 'TransactionRecorded', schemaVersion: 99 };
    expect(upcastEvent(future)).toBe(future);
    expect(upcastEvent('not an object')).toBe('not an object');
  });
});

describe('Function: upcastEvent, step by step', () => {
  const v2TillSale = { type: 'TransactionRecorded', schemaVersion: 2, source: { kind: 'till', tillId: 'till_1', saleId: 'S-1' }, data: {} };

  it('takes a v2 file row to v3 under the legacy file version "0", and a file account to FileVersionIngested', async () => {
    // Prepare: the upcasters are a module-level table, so load it inside the test (Stryker's ignoreStatic credits only tests that load it)
    vi.resetModules();
    const { upcastEvent: upcast } = await import('./upcast.js');
    // Act
    const row = upcast({ type: 'RowRejected', schemaVersion: 2, source: { kind: 'file', file: 'f.csv', line: 7 }, data: { reason: 'total_invalid' } });
    const account = upcast({ type: 'FileIngested', schemaVersion: 2, data: { file: 'f.csv', rowsRead: 2 } });
    // Assess
    expect(row).toEqual({ type: 'RowRejected', schemaVersion: 3, source: { kind: 'file', file: 'f.csv', line: 7, version: '0' }, data: { reason: 'total_invalid' } });
    expect(account).toEqual({ type: 'FileVersionIngested', schemaVersion: 3, data: { file: 'f.csv', rowsRead: 2, version: '0' } });
  });

  it('leaves a till event\'s source as it is', () => {
    expect(upcastEvent(v2TillSale)).toEqual({ ...v2TillSale, schemaVersion: 3 });
  });

  it('passes on an event without a source or data, for the schema to reject', () => {
    expect(upcastEvent({ type: 'Mystery', schemaVersion: 2 })).toEqual({ type: 'Mystery', schemaVersion: 3 });
    expect(upcastEvent({ type: 'TransactionRecorded', schemaVersion: 1 })).toEqual({ type: 'TransactionRecorded', schemaVersion: 3 });
  });

  it('gives occurredAt to a v1 TransactionRecorded only, and only when its timestamp reads', () => {
    const unreadable = upcastEvent({ type: 'TransactionRecorded', schemaVersion: 1, data: { timestamp: 'yesterday' } });
    const other = upcastEvent({ type: 'RowRejected', schemaVersion: 1, source: { kind: 'till' }, data: { timestamp: '2021-08-25 09:00' } });
    expect(unreadable).not.toHaveProperty('occurredAt');
    expect(other).toEqual({ type: 'RowRejected', schemaVersion: 3, source: { kind: 'till' }, data: { timestamp: '2021-08-25 09:00' } });
  });

  it.each([
    { input: null, what: 'null' },
    { input: undefined, what: 'nothing' },
    { input: 42, what: 'a number' },
    { input: [{ schemaVersion: 1 }], what: 'an array' },
    { input: { type: 'TransactionRecorded', schemaVersion: '1', data: { timestamp: '2021-08-25 09:00' } }, what: 'a version in quotes' },
  ])('returns $what as it is', ({ input }) => {
    expect(upcastEvent(input)).toBe(input);
  });
});
