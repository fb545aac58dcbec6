import { describe, expect, it } from 'vitest';
import type { SalesStreamEvent } from '../../contracts/index.js';
import { StreamWriteError } from '../shared/errors.js';
import type { EventWriter, WriteReceipt } from '../shared/ports.js';
import { createCoalescingWriter } from './coalescing-writer.js';

const event = (n: number) => ({ type: 'RowRejected', eventId: String(n).padStart(32, '0') }) as unknown as SalesStreamEvent;

/** A writer whose calls stay open until released. */
function heldWriter() {
  const calls: { events: readonly SalesStreamEvent[]; release: (error?: Error) => void }[] = [];
  const writer: EventWriter = {
    write: (events) =>
      new Promise<WriteReceipt>((resolve, reject) => {
        calls.push({ events, release: (error) => (error ? reject(error) : resolve(new Map([['shard-0', BigInt(calls.length)]]))) });
      }),
  };
  return { writer, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Function: createCoalescingWriter', () => {
  it('writes at once when idle, and shares the next write among requests that wait', async () => {
    // Prepare
    const { writer, calls } = heldWriter();
    const coalescing = createCoalescingWriter(writer, { maxInFlight: 1 });
    // Act
    const first = coalescing.write([event(1)]);
    const second = coalescing.write([event(2)]);
    const third = coalescing.write([event(3), event(4)]);
    await tick();
    calls[0]?.release();
    await first;
    await tick();
    calls[1]?.release();
    // Assess
    expect(calls.map((call) => call.events.length)).toEqual([1, 3]);
    expect(await second).toEqual(await third);
  });

  it('fails every request that shared a failed write', async () => {
    const { writer, calls } = heldWriter();
    const coalescing = createCoalescingWriter(writer, { maxInFlight: 1 });
    const first = coalescing.write([event(1)]);
    const second = coalescing.write([event(2)]);
    const third = coalescing.write([event(3)]);
    calls[0]?.release();
    await first;
    await tick();
    calls[1]?.release(new StreamWriteError(2, 3, 'ServiceUnavailable'));
    await expect(second).rejects.toBeInstanceOf(StreamWriteError);
    await expect(third).rejects.toBeInstanceOf(StreamWriteError);
  });

  it('keeps a shared write within maxEvents', async () => {
    const { writer, calls } = heldWriter();
    const coalescing = createCoalescingWriter(writer, { maxInFlight: 1, maxEvents: 3 });
    const writes = [coalescing.write([event(1)]), coalescing.write([event(2), event(3)]), coalescing.write([event(4), event(5)])];
    for (let round = 0; round < 3; round++) {
      await tick();
      calls[round]?.release();
    }
    await Promise.all(writes);
    expect(calls.map((call) => call.events.length)).toEqual([1, 2, 2]);
  });
});
