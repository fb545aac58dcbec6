import { gunzipSync, gzipSync } from 'node:zlib';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { encodeStreamRecord, splitStreamRecord } from '../../../contracts/index.js';
import { parseArchiveLines } from './raw-archive-format.js';
import { frameRecords } from './raw-archive-frame.js';

/** A Firehose transformation event carrying these Kinesis records. */
function firehoseEvent(records: Buffer[]): FirehoseTransformationEvent {
  return {
    invocationId: 'inv',
    deliveryStreamArn: 'arn:aws:firehose:eu-west-2:111111111111:deliverystream/raw',
    region: 'eu-west-2',
    records: records.map((data, index) => ({
      recordId: `r${index}`,
      approximateArrivalTimestamp: 1_709_630_000_000 + index,
      data: data.toString('base64'),
      kinesisRecordMetadata: { shardId: 'shardId-000000000000', partitionKey: 'Leeds', approximateArrivalTimestamp: 1_709_630_000_000 + index, sequenceNumber: `4959${index}`, subsequenceNumber: '0' },
    })),
  };
}

describe('Function: frameRecords', () => {
  it('keeps every record whole and separable, so a replay reads back exactly the events the stream carried', () => {
    // Prepare: two packed gzip records and one plain-JSON record, as the writer makes them.
    const events = [[JSON.stringify({ eventId: 'a' }), JSON.stringify({ eventId: 'b' })], [JSON.stringify({ eventId: 'c' })]];
    const records = [encodeStreamRecord(events[0]!), encodeStreamRecord(events[1]!, false), encodeStreamRecord([JSON.stringify({ eventId: 'd' })])];

    // Act: frame, then do what Firehose does (concatenate, gzip) and what a replay does (gunzip, parse).
    const framed = frameRecords(firehoseEvent(records));
    const object = gzipSync(Buffer.concat(framed.records.map((record) => Buffer.from(record.data ?? '', 'base64'))));
    const archived = parseArchiveLines(gunzipSync(object).toString('utf8'));

    // Assess
    expect(framed.records.map((record) => [record.recordId, record.result])).toEqual([
      ['r0', 'Ok'],
      ['r1', 'Ok'],
      ['r2', 'Ok'],
    ]);
    expect(archived.map((record) => record.sequenceNumber)).toEqual(['49590', '49591', '49592']);
    expect(archived.flatMap((record) => splitStreamRecord(Buffer.from(record.data, 'base64')).map((line) => (JSON.parse(line) as { eventId: string }).eventId))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses an archive line that is not an archived record', () => {
    expect(() => parseArchiveLines('{"hello":1}\n')).toThrow(/archive line 1 is not an archived record/);
  });
});
