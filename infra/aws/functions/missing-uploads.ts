import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MISSING_UPLOADS_METRIC, MISSING_UPLOADS_SERVICE } from './constants.js';

/**
 * The nightly-upload check. Scheduled daily at the configured London hour, it lists
 * the raw bucket's `uploads/<branch>/` prefixes (keys only: it has no permission to
 * read a file) and finds the branches with nothing uploaded in the last window. It
 * publishes the count as a metric, which the "missing uploads" alarm watches, and
 * sends the names to the alarm topic so the operator knows whom to call.
 */

export { MISSING_UPLOADS_METRIC, MISSING_UPLOADS_SERVICE };

export interface UploadedObject {
  readonly key: string;
  readonly lastModified: Date;
}

export interface MissingUploadsInput {
  readonly objects: readonly UploadedObject[];
  /** Branch prefixes that must upload; empty means "every branch that uploaded within the lookback". */
  readonly expectedBranches: readonly string[];
  readonly now: Date;
  /** An upload counts if it arrived within this many hours before `now`. */
  readonly windowHours: number;
  /** With no configured list, branches seen within this many days are expected. */
  readonly lookbackDays: number;
  readonly prefix: string;
}

export interface MissingUploadsResult {
  readonly expected: string[];
  readonly missing: string[];
}

/** The branch of an upload key: the first path segment after the prefix. */
export function branchOfKey(key: string, prefix: string): string | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash > 0 && slash < rest.length - 1 ? rest.slice(0, slash) : undefined;
}

/** Which expected branches have no upload in the window. Pure: objects and clock are passed in. */
export function findMissingUploads(input: MissingUploadsInput): MissingUploadsResult {
  const hour = 3_600_000;
  const windowStart = input.now.getTime() - input.windowHours * hour;
  const lookbackStart = input.now.getTime() - input.lookbackDays * 24 * hour;
  const latest = new Map<string, number>();
  for (const object of input.objects) {
    const branch = branchOfKey(object.key, input.prefix);
    if (branch === undefined) continue;
    latest.set(branch, Math.max(latest.get(branch) ?? 0, object.lastModified.getTime()));
  }
  const expected =
    input.expectedBranches.length > 0
      ? [...new Set(input.expectedBranches)]
      : [...latest.entries()].filter(([, at]) => at >= lookbackStart).map(([branch]) => branch);
  expected.sort();
  return { expected, missing: expected.filter((branch) => (latest.get(branch) ?? 0) < windowStart) };
}

/** Parses a comma-separated StringList value into branch prefixes. */
export function parseBranchList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((branch) => branch.trim())
    .filter((branch) => branch.length > 0);
}

export interface CheckDependencies {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}

async function listUploads(s3: S3Client, bucket: string, prefix: string): Promise<UploadedObject[]> {
  const objects: UploadedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const item of page.Contents ?? []) {
      if (item.Key && item.LastModified) objects.push({ key: item.Key, lastModified: item.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** One run of the check: list, compare, notify. Returns what it found. */
export async function checkUploads(deps: CheckDependencies): Promise<MissingUploadsResult> {
  const bucket = deps.env.BUCKET_NAME;
  if (!bucket) throw new Error('BUCKET_NAME is not set');
  const prefix = deps.env.UPLOAD_PREFIX ?? 'uploads/';
  const parameterName = deps.env.EXPECTED_BRANCHES_PARAMETER;
  const configured = parameterName
    ? parseBranchList((await deps.ssm.send(new GetParameterCommand({ Name: parameterName }))).Parameter?.Value)
    : [];
  const result = findMissingUploads({
    objects: await listUploads(deps.s3, bucket, prefix),
    expectedBranches: configured,
    now: deps.now(),
    windowHours: Number(deps.env.WINDOW_HOURS ?? '24'),
    lookbackDays: Number(deps.env.LOOKBACK_DAYS ?? '7'),
    prefix,
  });
  const topicArn = deps.env.ALERT_TOPIC_ARN;
  if (topicArn && result.missing.length > 0) {
    await deps.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: `Super Café: ${result.missing.length} branch(es) missing their nightly upload`,
        Message: [
          `No upload under s3://${bucket}/${prefix}<branch>/ in the last ${deps.env.WINDOW_HOURS ?? '24'} h from:`,
          ...result.missing.map((branch) => `  - ${branch}`),
          `(${result.expected.length} branch(es) expected.)`,
        ].join('\n'),
      }),
    );
  }
  return result;
}

const logger = new Logger({ serviceName: MISSING_UPLOADS_SERVICE });
const metrics = new Metrics({ serviceName: MISSING_UPLOADS_SERVICE });
const clients = { s3: new S3Client({}), ssm: new SSMClient({}), sns: new SNSClient({}) };

/** Scheduled entry point (EventBridge Scheduler, daily at the deadline hour, Europe/London). */
export async function handler(): Promise<MissingUploadsResult> {
  const result = await checkUploads({ ...clients, env: process.env, now: () => new Date() });
  metrics.addMetric(MISSING_UPLOADS_METRIC, MetricUnit.Count, result.missing.length);
  metrics.publishStoredMetrics();
  logger.info('nightly upload check', { expected: result.expected.length, missing: result.missing });
  return result;
}
