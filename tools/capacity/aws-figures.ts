/**
 * Every AWS service quota and list price the capacity planner uses, in one place,
 * each with where it was read, when, and how sure we are of it (`evidence`).
 *
 * No AWS account and no live web were available when these were gathered: the
 * figures come from stored copies of AWS documentation and of AWS Price List
 * readings published by others. Where a Regional price could not be found at
 * all, it is an `estimate` derived from the us-east-1 figure by the factor
 * named in its note, and the planner marks every cost line that uses one. Check
 * estimates on the pricing page (or the Price List API offer file named in
 * `source`) before quoting a figure to anyone.
 *
 * Prices are USD, on-demand, before any free tier and before tax.
 */

/** How a figure is known. */
export const Evidence = {
  /** Read in AWS's own documentation (developer guide, quotas page). */
  AwsDocs: 'aws-docs',
  /** An AWS Price List line (usage type named in the note), as read by the project named in `via`. */
  AwsPriceList: 'aws-price-list',
  /** AWS's figure as quoted by a third party (blog, guide, another repository). */
  ThirdParty: 'third-party',
  /** Not found for this Region: derived from another Region's figure (the note says how). */
  Estimate: 'estimate',
} as const;

export type Evidence = (typeof Evidence)[keyof typeof Evidence];

/** One sourced number. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  /** The AWS page or document the figure belongs to. */
  readonly source: string;
  /** ISO date the figure was read (from the stored copy). */
  readonly read: string;
  readonly evidence: Evidence;
  /** Where the reading came from when not straight from AWS (a repository, a page). */
  readonly via?: string;
  readonly note?: string;
}

/** Regions the planner has prices for. */
export const Region = {
  London: 'eu-west-2',
  NorthVirginia: 'us-east-1',
  Ireland: 'eu-west-1',
} as const;

export type Region = (typeof Region)[keyof typeof Region];

export const REGIONS: readonly Region[] = Object.values(Region);

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

const READ = '2026-12-01';

// ── Sources ────────────────────────────────────────────────────────────────
const SRC = {
  firehoseQuota: 'https://docs.aws.amazon.com/firehose/latest/dev/limits.html',
  firehosePricing: 'https://aws.amazon.com/firehose/pricing/',
  kinesisLimits: 'https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html',
  kinesisStreams: 'https://docs.aws.amazon.com/streams/latest/dev/working-with-streams.html',
  kinesisPricing: 'https://aws.amazon.com/kinesis/data-streams/pricing/',
  lambdaQuotas: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  lambdaConcurrency: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
  lambdaMemory: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html',
  lambdaPricing: 'https://aws.amazon.com/lambda/pricing/',
  redshiftBilling: 'https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-billing.html',
  redshiftCapacity: 'https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-capacity.html',
  redshiftPricing: 'https://aws.amazon.com/redshift/pricing/',
  s3Pricing: 'https://aws.amazon.com/s3/pricing/',
  kmsPricing: 'https://aws.amazon.com/kms/pricing/',
  secretsPricing: 'https://aws.amazon.com/secrets-manager/pricing/',
  cloudwatchPricing: 'https://aws.amazon.com/cloudwatch/pricing/',
  apiGatewayPricing: 'https://aws.amazon.com/api-gateway/pricing/',
  xrayPricing: 'https://aws.amazon.com/xray/pricing/',
  dynamoPricing: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  vpcPricing: 'https://aws.amazon.com/vpc/pricing/',
  snsPricing: 'https://aws.amazon.com/sns/pricing/',
  budgetsPricing: 'https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/',
  grafanaPricing: 'https://aws.amazon.com/grafana/pricing/',
  priceList: (service: string, region: Region) => `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`,
} as const;

/** Readings of the AWS Price List published in public repositories (see `via`). */
const VIA = {
  /** A London cost study that reads the Price List offer files (publication dates 2026-09-11 … 2026-10-06). */
  londonStudy: 'GitHub code search: a cost study quoting AWS Price List lines for eu-west-2, offer files published 2026-09 to 2026-10',
  /** mooncitizen/togen: a Price List snapshot (2026-09-05) used as a test fixture, eu-west-2 and us-east-1. */
  togen: 'mooncitizen/togen internal/cost test fixture: AWS Price List snapshot of 2026-09-05',
  /** The Firehose developer guide's source, awsdocs/amazon-kinesis-data-firehose-developer-guide doc_source/limits.md. */
  firehoseGuide: 'awsdocs/amazon-kinesis-data-firehose-developer-guide: doc_source/limits.md',
} as const;

/** London list prices run above us-east-1 (S3 ×1.04, API Gateway HTTP ×1.16, CloudWatch Logs ×1.20, Lambda ×1.00 in the readings below); estimates use this. */
export const LONDON_ESTIMATE_FACTOR = 1.15;
/** Ireland list prices are mostly equal to or a little above us-east-1; estimates use this. */
export const IRELAND_ESTIMATE_FACTOR = 1.05;

function fig(value: number, unit: string, source: string, evidence: Evidence, extra: { via?: string; note?: string } = {}): Figure {
  return { value, unit, source, read: READ, evidence, ...extra };
}

/** A Regional figure derived from the us-east-1 one because no reading was found. */
function estimated(base: Figure, region: Exclude<Region, 'us-east-1'>, source: string): Figure {
  const factor = region === Region.London ? LONDON_ESTIMATE_FACTOR : IRELAND_ESTIMATE_FACTOR;
  return {
    value: Number((base.value * factor).toPrecision(4)),
    unit: base.unit,
    source,
    read: READ,
    evidence: Evidence.Estimate,
    note: `no ${region} reading found: us-east-1 ${base.value} × ${factor}; check the pricing page`,
  };
}

// ── Quotas ─────────────────────────────────────────────────────────────────

/** Firehose Direct PUT throughput per delivery stream (PutRecord + PutRecordBatch combined), by Region. */
export interface FirehoseDirectPutQuota {
  readonly mibPerSecond: Figure;
  readonly recordsPerSecond: Figure;
  readonly requestsPerSecond: Figure;
}

const firehoseLargeRegion = (note: string): FirehoseDirectPutQuota => ({
  mibPerSecond: fig(5, 'MiB/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide, note }),
  recordsPerSecond: fig(5000, 'records/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide, note }),
  requestsPerSecond: fig(2000, 'requests/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide, note }),
});

export const QUOTAS = {
  firehoseDirectPut: {
    'us-east-1': firehoseLargeRegion('US East (N. Virginia), US West (Oregon), Europe (Ireland)'),
    'eu-west-1': firehoseLargeRegion('US East (N. Virginia), US West (Oregon), Europe (Ireland)'),
    'eu-west-2': {
      mibPerSecond: fig(1, 'MiB/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide, note: 'Europe (London) and the other smaller Regions; the three figures scale together when raised' }),
      recordsPerSecond: fig(1000, 'records/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide }),
      requestsPerSecond: fig(1000, 'requests/s per stream', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide }),
    },
  } satisfies Record<Region, FirehoseDirectPutQuota>,
  firehosePutRecordBatchRecords: fig(500, 'records per PutRecordBatch', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide, note: 'or 4 MiB per call, whichever is smaller; cannot be changed' }),
  firehoseRecordMaxKiB: fig(1000, 'KiB per record before base64', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide }),
  firehoseBufferIntervalSeconds: { min: fig(60, 's', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide }), max: fig(900, 's', SRC.firehoseQuota, Evidence.AwsDocs, { via: VIA.firehoseGuide }) },
  kinesisShardWriteMiBPerSecond: fig(1, 'MB/s per shard', SRC.kinesisStreams, Evidence.AwsDocs, { note: 'both capacity modes' }),
  kinesisShardWriteRecordsPerSecond: fig(1000, 'records/s per shard', SRC.kinesisStreams, Evidence.AwsDocs),
  kinesisShardReadMiBPerSecond: fig(2, 'MB/s per shard', SRC.kinesisStreams, Evidence.AwsDocs),
  /** A new on-demand stream starts at 4 MB/s of writes (about four shards) and accommodates up to twice its previous peak. */
  kinesisOnDemandInitialWriteMiBPerSecond: fig(4, 'MB/s', SRC.kinesisLimits, Evidence.AwsDocs, { note: 'new on-demand stream; it then follows up to 2× the previous peak' }),
  kinesisOnDemandMaxWriteMiBPerSecond: {
    'us-east-1': fig(10240, 'MB/s', SRC.kinesisLimits, Evidence.AwsDocs, { note: '10 GB/s in US East (N. Virginia), US West (Oregon), Europe (Ireland)' }),
    'eu-west-1': fig(10240, 'MB/s', SRC.kinesisLimits, Evidence.AwsDocs, { note: '10 GB/s in US East (N. Virginia), US West (Oregon), Europe (Ireland)' }),
    'eu-west-2': fig(200, 'MB/s', SRC.kinesisLimits, Evidence.AwsDocs, { note: 'other Regions; more on request' }),
  } satisfies Record<Region, Figure>,
  lambdaAccountConcurrency: fig(1000, 'concurrent executions per Region', SRC.lambdaQuotas, Evidence.AwsDocs, { note: 'default quota; can be raised to tens of thousands' }),
  lambdaNewAccountConcurrency: fig(10, 'concurrent executions per Region', SRC.lambdaQuotas, Evidence.ThirdParty, {
    via: 'the quotas page says only "New AWS accounts have reduced concurrency and memory quotas"; 10 is the figure new accounts report (issue 16, docs/aws.md); check Service Quotas code L-B99A9384',
  }),
  /** Reserved concurrency may use the account pool less this much, kept for functions without a reservation. */
  lambdaUnreservedMinimum: fig(100, 'concurrent executions', SRC.lambdaConcurrency, Evidence.ThirdParty, { via: 're:Post answer quoting the page: "…minus 100 for functions that don\'t have reserved concurrency"' }),
  /** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion below that. */
  lambdaMbPerVcpu: fig(1769, 'MB per vCPU', SRC.lambdaMemory, Evidence.ThirdParty, { via: 'lambda_local_runner docs/lambdas-md/lambda-13-cost.md ("A function configured at 1 769 MB gets a full vCPU")' }),
  redshiftMinimumChargeSeconds: fig(60, 's per activity period', SRC.redshiftPricing, Evidence.ThirdParty, { via: 'Redshift Serverless notes quoting the pricing page: "RPU-hours are billed per-second, with a 60-second minimum"' }),
  redshiftBaseRpu: { min: fig(4, 'RPU', SRC.redshiftCapacity, Evidence.AwsDocs, { note: 'infra/aws WarehouseDelivery accepts 4 or a multiple of 8 up to 1024; the capacity page lists 8–512 in steps of 8, and 1024 in five Regions' }), max: fig(1024, 'RPU', SRC.redshiftCapacity, Evidence.AwsDocs) },
} as const;

// ── Prices ─────────────────────────────────────────────────────────────────

/** The list prices one Region needs. */
export interface RegionPrices {
  readonly kinesisOnDemandStreamHour: Figure;
  readonly kinesisOnDemandIngestGb: Figure;
  readonly kinesisOnDemandRetrievalGb: Figure;
  readonly kinesisShardHour: Figure;
  readonly kinesisPutUnitsMillion: Figure;
  readonly lambdaArmGbSecond: Figure;
  readonly lambdaRequestsMillion: Figure;
  readonly firehoseIngestGb: Figure;
  readonly redshiftRpuHour: Figure;
  readonly redshiftStorageGbMonth: Figure;
  readonly s3StandardGbMonth: Figure;
  readonly s3PutThousand: Figure;
  readonly s3GetTenThousand: Figure;
  readonly kmsKeyMonth: Figure;
  readonly kmsRequestsTenThousand: Figure;
  readonly secretMonth: Figure;
  readonly secretsApiTenThousand: Figure;
  readonly cloudwatchLogsIngestGb: Figure;
  readonly cloudwatchLogsStorageGbMonth: Figure;
  readonly cloudwatchMetricMonth: Figure;
  readonly cloudwatchAlarmMonth: Figure;
  readonly cloudwatchDashboardMonth: Figure;
  readonly apiGatewayHttpMillion: Figure;
  readonly xrayTracesMillion: Figure;
  readonly dynamoReadMillion: Figure;
  readonly dynamoWriteMillion: Figure;
  readonly publicIpv4Hour: Figure;
  readonly snsEmailHundredThousand: Figure;
  readonly snsRequestsMillion: Figure;
  readonly budgetDay: Figure;
  readonly grafanaEditorMonth: Figure;
  readonly grafanaViewerMonth: Figure;
}

const US_EAST_1: RegionPrices = {
  kinesisOnDemandStreamHour: fig(0.04, 'USD per stream-hour', SRC.kinesisPricing, Evidence.ThirdParty, { via: 'a Price List client test quoting AmazonKinesis OnDemand-StreamHour 0.04 StreamHr (us-east-1)' }),
  kinesisOnDemandIngestGb: fig(0.08, 'USD per GB written (records rounded up to 1 KiB)', SRC.kinesisPricing, Evidence.ThirdParty, { via: 'a Price List client test quoting AmazonKinesis OnDemand-BilledIncomingBytes 0.08 GB (us-east-1)' }),
  kinesisOnDemandRetrievalGb: fig(0.04, 'USD per GB read', SRC.kinesisPricing, Evidence.ThirdParty, { via: 'pricing page key terms; rate as commonly published (half the ingest rate)' }),
  kinesisShardHour: fig(0.015, 'USD per shard-hour', SRC.kinesisPricing, Evidence.ThirdParty, { via: 'kindatechnical.com lesson 29 (worked example at $0.015 per shard-hour)' }),
  kinesisPutUnitsMillion: fig(0.014, 'USD per million PUT payload units (25 KB each)', SRC.kinesisPricing, Evidence.ThirdParty, { via: 'as commonly published for us-east-1; not re-read in a stored copy' }),
  lambdaArmGbSecond: fig(0.0000133334, 'USD per GB-second (arm64, first 7.5 billion)', SRC.lambdaPricing, Evidence.ThirdParty, { via: 'cloudchipr.com Lambda pricing guide (US East, ARM first 7.5 billion GB-s)' }),
  lambdaRequestsMillion: fig(0.2, 'USD per million requests', SRC.lambdaPricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type Request' }),
  firehoseIngestGb: fig(0.029, 'USD per GB ingested (records rounded up to 5 KB), first 500 TB', SRC.firehosePricing, Evidence.ThirdParty, { via: 'docs/aws.md cost model and commonly published us-east-1 rate; the 5 KB rounding per record is on the pricing page (quoted by shigemk2.com)' }),
  redshiftRpuHour: fig(0.375, 'USD per RPU-hour', SRC.redshiftPricing, Evidence.ThirdParty, { via: 'GitHub notes quoting the pricing page: "The RPU in US East will cost you $0.375 per RPU hour"' }),
  redshiftStorageGbMonth: fig(0.024, 'USD per GB-month (managed storage)', SRC.redshiftPricing, Evidence.ThirdParty, { via: 'GitHub notes: "Amazon Redshift managed storage pricing: $0.024 per GB / Month"' }),
  s3StandardGbMonth: fig(0.023, 'USD per GB-month (Standard, first 50 TB)', SRC.s3Pricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type TimedStorage-ByteHrs' }),
  s3PutThousand: fig(0.005, 'USD per 1,000 PUT/COPY/POST/LIST', SRC.s3Pricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type Requests-Tier1 ($0.000005 each)' }),
  s3GetTenThousand: fig(0.004, 'USD per 10,000 GET', SRC.s3Pricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type Requests-Tier2 ($0.0000004 each)' }),
  kmsKeyMonth: fig(1, 'USD per customer-managed key-month', SRC.kmsPricing, Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'same in every Region read' }),
  kmsRequestsTenThousand: fig(0.03, 'USD per 10,000 requests', SRC.kmsPricing, Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'after 20,000 free a month' }),
  secretMonth: fig(0.4, 'USD per secret-month', SRC.secretsPricing, Evidence.ThirdParty, { via: 'as published; equal to the London Price List line' }),
  secretsApiTenThousand: fig(0.05, 'USD per 10,000 API calls', SRC.secretsPricing, Evidence.ThirdParty, { via: 'as published; equal to the London Price List line' }),
  cloudwatchLogsIngestGb: fig(0.5, 'USD per GB ingested (Standard)', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'factualminds.com CloudWatch pricing (2026-06): "Logs ingestion at $0.50/GB"' }),
  cloudwatchLogsStorageGbMonth: fig(0.03, 'USD per GB-month archived', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'as commonly published for us-east-1' }),
  cloudwatchMetricMonth: fig(0.3, 'USD per custom metric-month (first 10,000)', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'as commonly published; equal to the London Price List line' }),
  cloudwatchAlarmMonth: fig(0.1, 'USD per standard-resolution alarm-month', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'as commonly published; equal to the London Price List line' }),
  cloudwatchDashboardMonth: fig(3, 'USD per dashboard-month (beyond 3 free)', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'factualminds.com CloudWatch pricing (2026-06): "dashboards at $3 each"' }),
  apiGatewayHttpMillion: fig(1, 'USD per million HTTP API requests (first 300 million)', SRC.apiGatewayPricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type USE1-ApiGatewayHttpRequest $0.000001' }),
  xrayTracesMillion: fig(5, 'USD per million traces recorded (after 100,000 free)', SRC.xrayPricing, Evidence.AwsDocs, { note: 'AWS X-Ray pricing page: $0.000005 per trace recorded' }),
  dynamoReadMillion: fig(0.125, 'USD per million read request units (on-demand)', SRC.dynamoPricing, Evidence.ThirdParty, { via: 'airbyte.com DynamoDB pricing (after the November 2024 on-demand reduction, US East)' }),
  dynamoWriteMillion: fig(0.625, 'USD per million write request units (on-demand)', SRC.dynamoPricing, Evidence.ThirdParty, { via: 'airbyte.com DynamoDB pricing (after the November 2024 on-demand reduction, US East)' }),
  publicIpv4Hour: fig(0.005, 'USD per public IPv4 address-hour', SRC.vpcPricing, Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'same price in use or idle, every Region read' }),
  snsEmailHundredThousand: fig(2, 'USD per 100,000 e-mail notifications (after 1,000 free)', SRC.snsPricing, Evidence.ThirdParty, { via: 'as commonly published; not re-read in a stored copy' }),
  snsRequestsMillion: fig(0.5, 'USD per million publishes (after 1 million free)', SRC.snsPricing, Evidence.ThirdParty, { via: 'as commonly published; not re-read in a stored copy' }),
  budgetDay: fig(0, 'USD per budget-day (notifications only)', SRC.budgetsPricing, Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'BudgetsUsage $0.00; action-enabled budgets $0.10 per budget-day after 62 free' }),
  grafanaEditorMonth: fig(9, 'USD per active editor-month', SRC.grafanaPricing, Evidence.ThirdParty, { via: 'docs/aws.md cost model' }),
  grafanaViewerMonth: fig(5, 'USD per active viewer-month', SRC.grafanaPricing, Evidence.ThirdParty, { via: 'docs/aws.md cost model' }),
};

function regionFromUsEast(region: Exclude<Region, 'us-east-1'>, known: Partial<RegionPrices>): RegionPrices {
  const entries = Object.entries(US_EAST_1) as [keyof RegionPrices, Figure][];
  return Object.fromEntries(entries.map(([key, base]) => [key, known[key] ?? estimated(base, region, base.source)])) as unknown as RegionPrices;
}

const EU_WEST_2: RegionPrices = regionFromUsEast(Region.London, {
  lambdaArmGbSecond: fig(0.0000133334, 'USD per GB-second (arm64, first 7.5 billion)', SRC.lambdaPricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-Lambda-GB-Second-ARM' }),
  lambdaRequestsMillion: fig(0.2, 'USD per million requests', SRC.lambdaPricing, Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-Request-ARM $0.0000002' }),
  s3StandardGbMonth: fig(0.024, 'USD per GB-month (Standard, first 50 TB)', SRC.priceList('AmazonS3', Region.London), Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-TimedStorage-ByteHrs' }),
  s3PutThousand: fig(0.0053, 'USD per 1,000 PUT/COPY/POST/LIST', SRC.priceList('AmazonS3', Region.London), Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-Requests-Tier1' }),
  s3GetTenThousand: fig(0.0042, 'USD per 10,000 GET', SRC.priceList('AmazonS3', Region.London), Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-Requests-Tier2' }),
  kmsKeyMonth: fig(1, 'USD per customer-managed key-month', SRC.priceList('awskms', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'eu-west-2-KMS-Keys' }),
  kmsRequestsTenThousand: fig(0.03, 'USD per 10,000 requests', SRC.priceList('awskms', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'eu-west-2-KMS-Requests, after 20,000 free' }),
  secretMonth: fig(0.4, 'USD per secret-month', SRC.priceList('AWSSecretsManager', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-AWSSecretsManager-Secrets' }),
  secretsApiTenThousand: fig(0.05, 'USD per 10,000 API calls', SRC.priceList('AWSSecretsManager', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-AWSSecretsManagerAPIRequest' }),
  cloudwatchLogsIngestGb: fig(0.5985, 'USD per GB ingested (Standard)', SRC.priceList('AmazonCloudWatch', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-DataProcessing-Bytes' }),
  cloudwatchLogsStorageGbMonth: fig(0.0315, 'USD per GB-month archived', SRC.priceList('AmazonCloudWatch', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-TimedStorage-ByteHrs' }),
  cloudwatchMetricMonth: fig(0.3, 'USD per custom metric-month (first 10,000)', SRC.priceList('AmazonCloudWatch', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-CW:MetricMonitorUsage' }),
  cloudwatchAlarmMonth: fig(0.1, 'USD per standard-resolution alarm-month', SRC.priceList('AmazonCloudWatch', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-CW:AlarmMonitorUsage' }),
  cloudwatchDashboardMonth: fig(3, 'USD per dashboard-month (beyond 3 free)', SRC.cloudwatchPricing, Evidence.ThirdParty, { via: 'not in the London Price List file; the published global figure' }),
  apiGatewayHttpMillion: fig(1.16, 'USD per million HTTP API requests (first 300 million)', SRC.priceList('AmazonApiGateway', Region.London), Evidence.AwsPriceList, { via: VIA.togen, note: 'usage type EUW2-ApiGatewayHttpRequest $0.00000116' }),
  xrayTracesMillion: fig(5, 'USD per million traces recorded (after 100,000 free)', SRC.xrayPricing, Evidence.ThirdParty, { via: 'the pricing page gives one global rate; not re-read per Region' }),
  publicIpv4Hour: fig(0.005, 'USD per public IPv4 address-hour', SRC.priceList('AmazonVPC', Region.London), Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'EUW2-PublicIPv4:InUseAddress' }),
  budgetDay: fig(0, 'USD per budget-day (notifications only)', SRC.budgetsPricing, Evidence.AwsPriceList, { via: VIA.londonStudy, note: 'BudgetsUsage $0.00 (global)' }),
  snsEmailHundredThousand: fig(2, 'USD per 100,000 e-mail notifications (after 1,000 free)', SRC.snsPricing, Evidence.ThirdParty, { via: 'the published rate, the same in every Region read by others; not re-read' }),
  grafanaEditorMonth: US_EAST_1.grafanaEditorMonth,
  grafanaViewerMonth: US_EAST_1.grafanaViewerMonth,
});

const EU_WEST_1: RegionPrices = regionFromUsEast(Region.Ireland, {
  lambdaArmGbSecond: { ...US_EAST_1.lambdaArmGbSecond, evidence: Evidence.ThirdParty, via: 'Lambda arm64 is one price in us-east-1 and eu-west-2 (Price List); assumed the same in Ireland' },
  lambdaRequestsMillion: { ...US_EAST_1.lambdaRequestsMillion, evidence: Evidence.ThirdParty, via: 'one price in us-east-1 and eu-west-2 (Price List); assumed the same in Ireland' },
  s3StandardGbMonth: { ...US_EAST_1.s3StandardGbMonth, evidence: Evidence.ThirdParty, via: 'as commonly published: Ireland Standard equals us-east-1' },
  kmsKeyMonth: US_EAST_1.kmsKeyMonth,
  kmsRequestsTenThousand: US_EAST_1.kmsRequestsTenThousand,
  secretMonth: US_EAST_1.secretMonth,
  secretsApiTenThousand: US_EAST_1.secretsApiTenThousand,
  cloudwatchMetricMonth: US_EAST_1.cloudwatchMetricMonth,
  cloudwatchAlarmMonth: US_EAST_1.cloudwatchAlarmMonth,
  cloudwatchDashboardMonth: US_EAST_1.cloudwatchDashboardMonth,
  xrayTracesMillion: US_EAST_1.xrayTracesMillion,
  publicIpv4Hour: US_EAST_1.publicIpv4Hour,
  budgetDay: US_EAST_1.budgetDay,
  snsEmailHundredThousand: US_EAST_1.snsEmailHundredThousand,
  grafanaEditorMonth: US_EAST_1.grafanaEditorMonth,
  grafanaViewerMonth: US_EAST_1.grafanaViewerMonth,
});

export const PRICES: Readonly<Record<Region, RegionPrices>> = {
  'eu-west-2': EU_WEST_2,
  'us-east-1': US_EAST_1,
  'eu-west-1': EU_WEST_1,
};
