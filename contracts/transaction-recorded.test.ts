import { describe, expect, it, vi } from 'vitest';
import { fileIngested, rowRejected, transactionRecorded } from '../test/helpers/factories.js';
import { issuesOf, renderJsonSchemas } from '../test/helpers/json-schema-golden.js';

/**
 * The module is loaded inside each test, not at the top: its schemas are built when
 * it loads, and Stryker (`ignoreStatic`) credits a mutant of a module-level
 * definition only to the tests that load the module.
 */
const load = async () => {
  vi.resetModules();
  return import('./transaction-recorded.js');
};

const EVENT_ID = 'a'.repeat(32);

describe('Contract: sales stream events', () => {
  it('is the committed JSON Schema (a contract change updates contracts/golden/ deliberately, with -u)', async () => {
    // Prepare
    const { SalesStreamEventSchema } = await load();
    // Act
    const rendered = renderJsonSchemas({ SalesStreamEvent: SalesStreamEventSchema });
    // Assess
    await expect(rendered).toMatchFileSnapshot('./golden/sales-stream-event.schema.json');
  });

  it('is at schema version 3, and files read before versions existed are of version "0"', async () => {
    const { LEGACY_FILE_VERSION, SCHEMA_VERSION } = await load();
    expect([SCHEMA_VERSION, LEGACY_FILE_VERSION]).toEqual([3, '0']);
  });

  it('accepts each kind of event the producers write', async () => {
    const { SalesStreamEventSchema } = await load();
    for (const event of [transactionRecorded(), rowRejected(), fileIngested()]) expect(issuesOf(SalesStreamEventSchema, event)).toEqual([]);
  });

  // The consumer quarantines an event under the first issue's message: these are the reason codes it records.
  describe.each([
    { field: 'eventId, 31 hex digits', patch: { eventId: 'a'.repeat(31) }, issue: 'eventId: event_malformed' },
    { field: 'eventId, 33 hex digits', patch: { eventId: 'a'.repeat(33) }, issue: 'eventId: event_malformed' },
    { field: 'eventId, a prefix before 32 hex digits', patch: { eventId: `x${EVENT_ID}` }, issue: 'eventId: event_malformed' },
    { field: 'eventId, upper-case hex', patch: { eventId: 'A'.repeat(32) }, issue: 'eventId: event_malformed' },
    { field: 'recordedAt without a zone', patch: { recordedAt: '2021-08-25T09:00:05' }, issue: 'recordedAt: event_malformed' },
    { field: 'occurredAt, not an instant', patch: { occurredAt: '25/08/2021 09:00' }, issue: 'occurredAt: event_malformed' },
    { field: 'schemaVersion 2 (not upcast)', patch: { schemaVersion: 2 }, issue: 'schemaVersion: schema_version_unknown' },
    {
      field: 'a file version of 65 characters',
      patch: { source: { kind: 'file', file: 'f.csv', version: 'v'.repeat(65), line: 1 } },
      issue: 'source.version: event_malformed',
    },
  ])('refuses $field', ({ patch, issue }) => {
    it(`with "${issue}"`, async () => {
      const { TransactionRecordedSchema } = await load();
      expect(issuesOf(TransactionRecordedSchema, { ...transactionRecorded(), ...patch })).toEqual([issue]);
    });
  });

  it('accepts an instant with an offset, and a file version of 64 characters', async () => {
    const { TransactionRecordedSchema } = await load();
    const event = { ...transactionRecorded(), recordedAt: '2021-08-25T10:00:05+01:00', source: { kind: 'file', file: 'f.csv', version: 'v'.repeat(64), line: 1 } };
    expect(issuesOf(TransactionRecordedSchema, event)).toEqual([]);
  });

  it('names the layouts of branch files as the schema spells them', async () => {
    const { FileLayout, FileLayoutSchema } = await load();
    expect(Object.values(FileLayout)).toEqual(FileLayoutSchema.options);
  });
});
