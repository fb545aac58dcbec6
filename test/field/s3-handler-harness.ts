import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { SalesStreamEvent } from '../../contracts/index.js';
import { captureOutput, parseLogLine } from '../property/privacy-harness.js';

/** What one run of the ingest Lambda handler did. */
export interface HandlerRun {
  /** Every GetObject asked for, by key. */
  readonly objectsRequested: readonly string[];
  /** Every event put on the stream. */
  readonly events: readonly SalesStreamEvent[];
  /** Every line written to stdout or stderr (Powertools logs and EMF metrics), parsed where JSON. */
  readonly output: readonly unknown[];
  /** The metric names in the EMF documents written. */
  readonly metrics: readonly string[];
  readonly error: unknown;
}

export interface S3HandlerHarness {
  run(event: S3Event, objects: ReadonlyMap<string, Buffer>): Promise<HandlerRun>;
  restore(): void;
}

/**
 * The real csv-ingest Lambda handler with AWS faked at the SDK only
 * (aws-sdk-client-mock): S3 serves the given objects by key, Secrets Manager a
 * fixed pepper, Kinesis records what is put. The field cases' S3 events run
 * through it as they would in AWS.
 */
export async function loadS3HandlerHarness(): Promise<S3HandlerHarness> {
  const environment: Record<string, string> = {
    AWS_REGION: 'eu-west-2',
    STREAM_NAME: 'field-stream',
    PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:field',
    UPLOAD_PREFIX: 'uploads/',
    POWERTOOLS_SERVICE_NAME: 'csv-ingest',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  const s3 = mockClient(S3Client);
  const kinesis = mockClient(KinesisClient);
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'field-pepper-0123456789' });

  let objects: ReadonlyMap<string, Buffer> = new Map();
  let requested: string[] = [];
  let events: SalesStreamEvent[] = [];
  s3.on(GetObjectCommand).callsFake((input: { Key?: string }) => {
    requested.push(input.Key ?? '');
    const body = objects.get(input.Key ?? '');
    if (!body) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    return { Body: Readable.from([body]) };
  });
  kinesis.on(PutRecordsCommand).callsFake((input: { Records?: { Data?: Uint8Array }[] }) => {
    const records = input.Records ?? [];
    for (const record of records) {
      let bytes = Buffer.from(record.Data ?? new Uint8Array());
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
      for (const line of bytes.toString('utf8').split('\n').filter(Boolean)) events.push(JSON.parse(line) as SalesStreamEvent);
    }
    return { FailedRecordCount: 0, Records: records.map((_, index) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(1000 + index) })) };
  });

  // Imported only now: the handler reads its environment and builds its clients at load.
  const { handler } = await import('../../producers/csv-ingest/handler.js');
  return {
    async run(event, given) {
      objects = given;
      requested = [];
      events = [];
      const capture = captureOutput();
      let error: unknown;
      try {
        await handler(event);
      } catch (caught) {
        error = caught;
      } finally {
        capture.restore();
      }
      const output = capture.lines().map(parseLogLine);
      const metrics = output.flatMap((line) => {
        const directives = (line as { _aws?: { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } })._aws?.CloudWatchMetrics ?? [];
        return directives.flatMap((directive) => (directive.Metrics ?? []).map((metric) => metric.Name));
      });
      return { objectsRequested: requested, events, output, metrics, error };
    },
    restore() {
      for (const mock of [s3, kinesis, secrets]) mock.restore();
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
