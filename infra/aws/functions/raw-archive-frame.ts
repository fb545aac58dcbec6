import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { archiveLine } from './raw-archive-format.js';

/**
 * Firehose's transformation step for the raw event archive: each Kinesis record
 * becomes one JSON line (`raw-archive-format.ts`) so the archive can be split back
 * into records. The record's bytes are copied as Firehose hands them over (base64)
 * and never decoded here: the function sees personal data only as opaque text and
 * logs nothing about it.
 */
export function frameRecords(event: FirehoseTransformationEvent): FirehoseTransformationResult {
  return {
    records: event.records.map((record) => {
      const meta = record.kinesisRecordMetadata;
      const line = archiveLine({
        shardId: meta?.shardId ?? '',
        sequenceNumber: meta?.sequenceNumber ?? record.recordId,
        partitionKey: meta?.partitionKey ?? '',
        arrivedAt: meta?.approximateArrivalTimestamp ?? record.approximateArrivalTimestamp,
        data: record.data,
      });
      return { recordId: record.recordId, result: 'Ok' as const, data: Buffer.from(line, 'utf8').toString('base64') };
    }),
  };
}

/** Firehose invokes this synchronously with a buffer of records. */
export const handler = async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => frameRecords(event);
