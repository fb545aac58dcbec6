import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
