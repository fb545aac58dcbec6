import { Readable } from 'node:stream';
import { KinesisClient, PutRecordsCommand, type _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, KinesisStreamBatchItemFailure, S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { toKinesisEvent } from '../../infra/local/consumer/kinesis-poller.js';

/**
 * The privacy tests' instruments: run the real Lambda handlers with AWS mocked at
 * the SDK, capture everything the run writes anywhere, and look for personal data
 * in it. Nothing here knows what the pipeline is supposed to keep.
 */

/** What a run wrote, by where it went. Each is searched for personal data. */
export interface RunOutputs {
  /** Rows sent to each Firehose delivery stream: the Redshift load and, through Firehose's S3 backup, the archive. */
  readonly firehose: Record<string, unknown[]>;
  /** Every line written to stdout, stderr or the console: Powertools logs and EMF metrics. */
  readonly logs: unknown[];
  /** The EMF metric documents among the logs. */
  readonly metrics: unknown[];
  /** What the consumer reported as failed: Lambda retries these, then sends them to the on-failure destination. */
  readonly deadLetters: KinesisStreamBatchItemFailure[];
}

/** Text that must never appear in any output, and where it came from. */
export interface Secret {
  readonly kind: 'name' | 'card';
  readonly text: string;
}

export interface Leak {
  readonly sink: string;
  readonly kind: Secret['kind'];
  readonly text: string;
}

/**
 * Captures every write to stdout, stderr and the global console until `restore`,
 * without passing it on. Powertools writes through its own Console on
 * process.stdout, so both layers are caught.
 */
export function captureOutput(): { lines(): string[]; restore(): void } {
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((method) => console[method]);
  const keep = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  for (const method of methods) console[method] = (...args: unknown[]) => void keep(`${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}\n`);
  return {
    lines: () => chunks.join('').split('\n').filter((line) => line.trim() !== ''),
    restore() {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      methods.forEach((method, index) => (console[method] = saved[index] as (typeof console)[typeof method]));
    },
  };
}

/** A log line as data: JSON lines parsed (so escaped text is compared as text), others kept as strings. */
export function parseLogLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return line;
  }
}

/** Every string and number inside a value, as text. */
export function textsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint') into.push(String(value));
  else if (Array.isArray(value)) for (const item of value) textsOf(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      textsOf(item, into);
    }
  }
  return into;
}

// Event ids (32 hex) and customer keys (64 hex) are keyed hashes: short needles can occur in them by chance.
const HEX_ID = /^[0-9a-f]{32}$|^[0-9a-f]{64}$/;

/**
 * The secrets found in the outputs, by sink. A secret shorter than three
 * characters, or one that also occurs in `benign` (a run of the same rows with
 * the personal data replaced), is not evidence and is not reported.
 */
export function findLeaks(sinks: Record<string, unknown>, secrets: readonly Secret[], benign?: unknown): Leak[] {
  const benignText = textsOf(benign).join('\n');
  const leaks: Leak[] = [];
  for (const [sink, value] of Object.entries(sinks)) {
    const texts = textsOf(value).filter((text) => !HEX_ID.test(text));
    for (const secret of secrets) {
      if ([...secret.text].length < 3 || benignText.includes(secret.text)) continue;
      if (texts.some((text) => text.includes(secret.text))) leaks.push({ sink, kind: secret.kind, text: secret.text });
    }
  }
  return leaks;
}

/** The forms a name can take on its way through: as written, trimmed and collapsed, folded in case and compatibility form. */
export function nameForms(name: string): string[] {
  const collapsed = name.trim().replace(/\s+/g, ' ');
  return [...new Set([name, collapsed, collapsed.toLowerCase(), collapsed.normalize('NFKC'), collapsed.normalize('NFKC').toLowerCase()])];
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
// Fields that differ between two runs of the same input: clocks, request ids, and lag measured by the clock.
const VOLATILE_KEYS = new Set(['timestamp', 'Timestamp', 'cold_start', 'function_request_id', 'xray_trace_id', 'sampling_rate', 'EndToEndLagMs']);

/**
 * A run's outputs with what may differ between runs masked: keyed hashes (which
 * are meant to depend on the customer), clock readings and request ids. Two runs
 * of the same rows with different customers must then be equal.
 */
export function maskRun(value: unknown): unknown {
  if (typeof value === 'string') return HEX_ID.test(value) ? '<hash>' : value.replace(ISO_INSTANT, '<instant>');
  if (Array.isArray(value)) return value.map(maskRun);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => !VOLATILE_KEYS.has(key)).map(([key, item]) => [key, maskRun(item)]));
  return value;
}

export const DELIVERY_STREAMS = { sales: 'sales', saleItems: 'sale_items', quarantine: 'quarantine', ingestFiles: 'ingest_files', saleSources: 'sale_sources', tillSales: 'till_sales', fileVersions: 'file_versions' } as const;

const LAMBDA_CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'sales-transform',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:sales-transform',
  memoryLimitInMB: '512',
  awsRequestId: 'privacy-test',
  logGroupName: '/aws/lambda/sales-transform',
  logStreamName: 'privacy-test',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export interface LambdaPipeline {
  /** Uploads `csv` as one object and runs it through both handlers; Firehose refuses every call when `firehoseDown`. */
  run(csv: string | Buffer, options?: { firehoseDown?: boolean }): Promise<RunOutputs>;
  restore(): void;
}

/**
 * The AWS path on one machine: the csv-ingest handler reads the upload from S3
 * and writes Kinesis records, which the sales-transform handler consumes and
 * sends to Firehose. Only the SDK calls are faked (aws-sdk-client-mock), so the
 * handlers' own logging, metrics, packing and batch handling all run as deployed.
 */
export async function loadLambdaPipeline(pepper: string): Promise<LambdaPipeline> {
  const environment: Record<string, string> = {
    AWS_REGION: 'eu-west-2',
    PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:pepper',
    STREAM_NAME: 'sales-events',
    // As the CDK stack sets it (infra/aws/constructs/ingest-function.ts); the handler refuses to start without it.
    UPLOAD_PREFIX: 'uploads/',
    SALES_DELIVERY_STREAM: DELIVERY_STREAMS.sales,
    SALE_ITEMS_DELIVERY_STREAM: DELIVERY_STREAMS.saleItems,
    QUARANTINE_DELIVERY_STREAM: DELIVERY_STREAMS.quarantine,
    INGEST_FILES_DELIVERY_STREAM: DELIVERY_STREAMS.ingestFiles,
    SALE_SOURCES_DELIVERY_STREAM: DELIVERY_STREAMS.saleSources,
    TILL_SALES_DELIVERY_STREAM: DELIVERY_STREAMS.tillSales,
    FILE_VERSIONS_DELIVERY_STREAM: DELIVERY_STREAMS.fileVersions,
    POWERTOOLS_SERVICE_NAME: 'privacy-test',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  const savedEnvironment = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  const s3 = mockClient(S3Client);
  const kinesis = mockClient(KinesisClient);
  const firehose = mockClient(FirehoseClient);
  const secrets = mockClient(SecretsManagerClient);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: pepper });

  let upload: Buffer = Buffer.alloc(0);
  let records: KinesisRecord[] = [];
  let firehoseDown = false;
  let delivered: Record<string, unknown[]> = {};
  s3.on(GetObjectCommand).callsFake(() => ({ Body: Readable.from([upload]) }));
  kinesis.on(PutRecordsCommand).callsFake((input: { Records?: { Data?: Uint8Array; PartitionKey?: string }[] }) => ({
    FailedRecordCount: 0,
    Records: (input.Records ?? []).map((entry) => {
      const sequence = String(records.length + 1).padStart(20, '0');
      records.push({ Data: entry.Data, PartitionKey: entry.PartitionKey, SequenceNumber: sequence, ApproximateArrivalTimestamp: new Date(0) });
      return { ShardId: 'shardId-000000000000', SequenceNumber: sequence };
    }),
  }));
  firehose.on(PutRecordBatchCommand).callsFake((input: { DeliveryStreamName?: string; Records?: { Data?: Uint8Array }[] }) => {
    if (firehoseDown) throw Object.assign(new Error('User is not authorized to perform: firehose:PutRecordBatch'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    // A record packs several rows, one JSON a line.
    const sent = input.Records ?? [];
    const rows = sent.flatMap((record) =>
      Buffer.from(record.Data ?? new Uint8Array())
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as unknown),
    );
    (delivered[input.DeliveryStreamName ?? '?'] ??= []).push(...rows);
    return { FailedPutCount: 0, RequestResponses: sent.map((_, index) => ({ RecordId: String(index) })) };
  });

  // Imported only now: the handlers read their environment and build their clients at load.
  const ingest = await import('../../producers/csv-ingest/handler.js');
  const transform = await import('../../consumers/sales-transform/handler.js');

  return {
    async run(csv, options = {}) {
      upload = Buffer.from(csv);
      records = [];
      delivered = {};
      firehoseDown = options.firehoseDown ?? false;
      const output = captureOutput();
      let deadLetters: KinesisStreamBatchItemFailure[];
      try {
        const event: S3Event = { Records: [{ s3: { bucket: { name: 'supercafe-raw' }, object: { key: 'uploads/privacy-test/privacy_2024-03-13.csv' } } }] } as S3Event;
        await ingest.handler(event);
        const kinesisEvent = toKinesisEvent(records, 'shardId-000000000000', 'arn:aws:kinesis:eu-west-2:000000000000:stream/sales-events', 'eu-west-2');
        deadLetters = (await transform.handler(kinesisEvent, LAMBDA_CONTEXT)).batchItemFailures;
      } finally {
        output.restore();
      }
      const logs = output.lines().map(parseLogLine);
      const metrics = logs.filter((line) => typeof line === 'object' && line !== null && '_aws' in line);
      return { firehose: delivered, logs, metrics, deadLetters };
    },
    restore() {
      for (const mock of [s3, kinesis, firehose, secrets]) mock.restore();
      for (const [name, value] of Object.entries(savedEnvironment)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
