import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { resolve } from 'node:path';
import { ensureStream } from '../../infra/local/emulators/local-stream.js';
import { fileKey } from '../../infra/local/stack/ingest-paths.js';
import { createFileObjectReader } from '../../producers/csv-ingest/adapters/file-object-reader.js';
import { ingestFile } from '../../producers/csv-ingest/ingest-file.js';
import { DEFAULT_RECORD_TARGET_BYTES, createKinesisEventWriter, defaultPartitionKey, packRecords } from '../../producers/shared/kinesis-event-writer.js';
import type { EventWriter } from '../../producers/shared/ports.js';
import { ownCpuMicros } from './process-cpu.js';

/**
 * The producer's CPU per row by stage, in this process alone, with the ingest's
 * own code and three writers in turn:
 *
 * - `framedUs`: read, decode, sniff, frame, parse, map, the contract check and the
 *   event ids, the events then dropped;
 * - `packedUs`: the same, each write's events packed into records (JSON, gzip),
 *   then dropped;
 * - `sentUs`: the same, the records sent by the shared Kinesis writer (the SDK's
 *   PutRecords over HTTP) to a stream of their own on the stack's kinesalite,
 *   which no consumer reads.
 *
 * The steps between them are what packing and what the SDK cost a row;
 * `putRecordsCalls` is how many calls the last pass made (a file takes one at
 * least: its last rows and its account go together). Each figure is the
 * cheapest of `passes` interleaved passes. The ingest's code is warm already (the
 * bench runs it before); the first pass of each stage also warms that stage's
 * writer, so one pass alone reads a little high.
 */
export interface ProducerStages {
  readonly rows: number;
  readonly framedUs: number;
  readonly packedUs: number;
  readonly sentUs: number;
  readonly putRecordsCalls: number;
}

const STAGES_STREAM = 'bench-producer-stages';

/** Counts the PutRecords calls a client sends (the SDK's middleware stack, so the writer's own code is untouched). */
function countPutRecords(client: KinesisClient): { readonly calls: () => number; readonly reset: () => void; readonly remove: () => void } {
  let calls = 0;
  const name = 'benchCountPutRecords';
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutRecordsCommand') calls++;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { calls: () => calls, reset: () => (calls = 0), remove: () => void client.middlewareStack.remove(name) };
}

/** Measures the producer's stages over `files` on `client`'s endpoint (a fresh stream is made there). Throws if no file gives a row. */
export async function measureProducerStages(client: KinesisClient, files: readonly string[], pepper: string, passes = 3): Promise<ProducerStages> {
  await ensureStream(client, STAGES_STREAM, 2);
  const counter = countPutRecords(client);
  try {
    return await measureStages(client, files, pepper, passes, counter);
  } finally {
    counter.remove();
  }
}

async function measureStages(client: KinesisClient, files: readonly string[], pepper: string, passes: number, counter: ReturnType<typeof countPutRecords>): Promise<ProducerStages> {
  const writers = {
    framed: { write: async () => new Map() } satisfies EventWriter,
    packed: {
      write: async (events) => {
        if (packRecords(events, defaultPartitionKey, DEFAULT_RECORD_TARGET_BYTES).length === 0) throw new Error('packing gave no record');
        return new Map();
      },
    } satisfies EventWriter,
    sent: createKinesisEventWriter({ client, streamName: STAGES_STREAM }),
  };
  const reader = createFileObjectReader('/');
  const best = { framed: Number.POSITIVE_INFINITY, packed: Number.POSITIVE_INFINITY, sent: Number.POSITIVE_INFINITY };
  let rows = 0;
  let putRecordsCalls = 0;
  for (let pass = 1; pass <= passes; pass++) {
    for (const stage of ['framed', 'packed', 'sent'] as const) {
      counter.reset();
      let passRows = 0;
      const started = ownCpuMicros();
      for (const path of files) {
        try {
          const summary = await ingestFile({ file: fileKey(path), reader: { open: () => reader.open(resolve(path)) }, writer: writers[stage], pepper });
          passRows += summary.rowsRead;
        } catch {
          // A refused file is refused alike by every writer: it costs each stage the same.
        }
      }
      const cpu = ownCpuMicros() - started;
      if (passRows === 0) throw new Error('no file gave a row to measure the producer on');
      rows = passRows;
      if (stage === 'sent') putRecordsCalls = counter.calls();
      best[stage] = Math.min(best[stage], cpu / passRows);
    }
  }
  return { rows, framedUs: best.framed, packedUs: best.packed, sentUs: best.sent, putRecordsCalls };
}
