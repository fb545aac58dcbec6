import type { Region } from './aws-figures.js';

/**
 * What the planner is asked about: the business (branches and sales), the
 * deployment's settings (cdk.json context and the construct defaults), and the
 * model's assumptions. Every assumption has a documented default; change one
 * with `--assume key=value` on the CLI.
 */

/** The business. */
export interface Workload {
  /** Branches (cafés). */
  readonly branches: number;
  /** Sales per branch per trading day. */
  readonly salesPerBranchPerDay: number;
  /**
   * Share of branches (0–1) whose sales are posted live by tills during the day;
   * the others upload one CSV each night. A till branch is assumed to upload no
   * nightly file; if yours do, the nightly burst is larger: plan with 0.
   */
  readonly tillShare: number;
}

/** The stack's capacity-relevant settings (cdk.json `supercafe:*` keys, construct defaults otherwise). */
export interface DeploymentSettings {
  readonly streamCapacity: 'ON_DEMAND' | 'PROVISIONED';
  /** Shards when provisioned. */
  readonly shardCount?: number;
  readonly ingestMemoryMb: number;
  readonly consumerMemoryMb: number;
  readonly tillApiMemoryMb: number;
  /** Reserved concurrency per function; undefined draws on the unreserved pool. */
  readonly ingestReservedConcurrency?: number;
  readonly consumerReservedConcurrency?: number;
  readonly tillApiReservedConcurrency?: number;
  /** Kinesis records per consumer invocation (1–10,000). */
  readonly consumerBatchSize: number;
  readonly consumerBatchingWindowSeconds: number;
  /** Concurrent batches per shard (1–10). */
  readonly consumerParallelizationFactor: number;
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferMb: number;
  /**
   * Bytes of rows the sink packs into one Firehose record (newline-delimited JSON;
   * `FIREHOSE_RECORD_TARGET_BYTES` in consumers/sales-transform/adapters/firehose-sink.ts,
   * 5,120); 0 = one row a record.
   */
  readonly firehoseRecordBytes: number;
  /** Delivery streams (one per warehouse table). */
  readonly deliveryStreams: number;
  readonly mergeIntervalMinutes: number;
  readonly redshiftBaseCapacity: number;
  readonly rawRetentionDays: number;
  /** Days the raw event archive keeps each event (`rawArchiveRetentionDays`). */
  readonly rawArchiveRetentionDays: number;
  /** Dashboards that query Redshift: how often each refreshes and how many Redshift panels it has. */
  readonly dashboards: readonly DashboardSettings[];
  /** Till API stage throttle. */
  readonly tillApiRateLimit: number;
  readonly tillApiBurstLimit: number;
  /** CloudWatch resources the stack creates. */
  readonly cloudwatchAlarms: number;
  readonly cloudwatchDashboards: number;
  readonly kmsKeys: number;
  readonly secrets: number;
}

export interface DashboardSettings {
  readonly name: string;
  /** Auto-refresh interval in seconds; 0 = never refreshes by itself. */
  readonly refreshSeconds: number;
  readonly redshiftPanels: number;
}

/**
 * The model's assumptions. Each is a judgement about how the pipeline behaves,
 * not a setting; the defaults come from the bench (README "Benchmarks"),
 * docs/architecture.md and the sample data, as each TSDoc says.
 */
export interface Assumptions {
  /**
   * Seconds over which the nightly files arrive. The branches' back offices
   * export at midnight, so their S3 events reach the ingest function within about
   * a minute of each other: 60 s. Arrival is spread evenly over the window.
   */
  readonly nightlyBurstSeconds: number;
  /** Hours a day tills trade (07:00–19:00): 12. Till sales spread over them. */
  readonly tradingHoursPerDay: number;
  /** Busiest till hour against the trading-day average (lunch): 3. */
  readonly tillPeakFactor: number;
  /** Tills per till-connected branch: 2. */
  readonly tillsPerBranch: number;
  /** Basket lines per sale: 2.75 (138,550 items over 50,379 sales in the sample files). */
  readonly itemsPerSale: number;
  /**
   * Sales per Kinesis record when the shared writer packs a file's events into
   * gzipped records of up to 24 KiB of JSON: 40.7 (the bench: 24,600 records per
   * 1M sales).
   */
  readonly salesPerPackedRecord: number;
  /** Bytes on the stream per packed sale (gzip): 66 (the bench: 66 MB per 1M sales). */
  readonly packedBytesPerSale: number;
  /** On-demand KiB billed per packed sale after the 1 KiB rounding: 0.0737 (the bench: 73,700 KiB per 1M sales). */
  readonly packedKiBBilledPerSale: number;
  /** Bytes of one till sale's record (gzip, alone): 390 (the bench's ≤ 1 KiB packing: 357 MB over 915,400 records); billed as 1 KiB. */
  readonly tillRecordBytes: number;
  /** JSON bytes of a `sales` row sent to Firehose: 425 (measured from the transform of a sample sale). */
  readonly saleRowBytes: number;
  /** JSON bytes of a `sale_items` row: 140 (measured: 126–149). */
  readonly itemRowBytes: number;
  /** JSON bytes of an `ingest_files` row: 350. */
  readonly ingestFileRowBytes: number;
  /** Share of rows rejected into `quarantine`: 0.005. */
  readonly rejectShare: number;
  /** CSV bytes per row of an upload: 166 (the sample files). */
  readonly csvBytesPerRow: number;
  /**
   * Lambda GB-seconds per 1M sales, handler CPU only. Default from the bench's CPU
   * per row (producer 114 µs, consumer 93 µs, 2026-11-25) converted at Lambda's
   * one vCPU per 1,769 MB: below that memory a CPU-bound handler runs
   * 1,769/memory times slower, so GB-seconds = CPU-seconds × 1,769 / 1,024
   * whatever the memory: ingest 197, consumer 161. Measured figures replace these
   * with `--bench` (issue 18 item 3).
   */
  readonly ingestGbSecondsPerMillionSales: number;
  readonly consumerGbSecondsPerMillionSales: number;
  /** Seconds per invocation besides the per-sale CPU: start-up, S3 GET, secret, stream round trips. Ingest 1.0, consumer 0.3. */
  readonly ingestOverheadSeconds: number;
  readonly consumerOverheadSeconds: number;
  /** Seconds per till API request (DynamoDB lookup, cached 30 s, and one PutRecords): 0.05. */
  readonly tillApiSecondsPerRequest: number;
  /** Seconds the credential cache keeps a till's credential (producers/till-api/lambda.ts): 30. */
  readonly tillCredentialCacheSeconds: number;
  /** Hours a day a dashboard screen is open (one wall screen in head office, business day): 12. */
  readonly dashboardHoursPerDay: number;
  /** Dashboard screens open at once: 1. */
  readonly dashboardScreens: number;
  /** Seconds of Redshift work per COPY, merge or dashboard refresh (each is billed at least the 60 s minimum): 20. */
  readonly redshiftSecondsPerQuery: number;
  /** Redshift storage: bytes kept per JSON byte loaded (columnar compression): 0.3. */
  readonly redshiftBytesPerJsonByte: number;
  /** gzip ratio of warehouse rows in the intermediate and archive buckets: 0.2. */
  readonly gzipRatio: number;
  /** Months of clean rows kept at steady state (rows/ is never expired by default; Glacier IR after 90 days is priced as Standard here): 12. */
  readonly archiveMonths: number;

  /** CloudWatch Logs bytes per Lambda invocation (platform lines, one Powertools line, the EMF blob): 2,000. */
  readonly logBytesPerInvocation: number;
  /** Access-log bytes per till API request: 500. */
  readonly accessLogBytesPerRequest: number;
  /** Custom metric series the handlers publish (11 names by `service`, with the loader's merge lag and finished runs): 14. */
  readonly customMetrics: number;
  /** Public IPv4 addresses the stack holds: 0 (the workgroup is private, in isolated subnets, since issue 15). */
  readonly publicIpv4Addresses: number;
  /** Alarm notifications e-mailed a month: 30. */
  readonly alarmNotificationsPerMonth: number;
  readonly grafanaEditors: number;
  readonly grafanaViewers: number;
  /** X-Ray's default sampling: the first request each second and 5 % of the rest. */
  readonly xrayReservoirPerSecond: number;
  readonly xraySampleRate: number;
  /** Seconds from a Firehose COPY's start to its rows being in staging: 20 (also used for the merge). */
  readonly copySeconds: number;
  /** Seconds an ingest takes before its events are on the stream (start-up, parse, publish): 3. */
  readonly ingestSeconds: number;
}

/** Lambda concurrency the account may use in the Region. */
export interface AccountLimits {
  readonly lambdaConcurrency: number;
}

export interface PlanInputs {
  readonly region: Region;
  readonly workload: Workload;
  readonly settings: DeploymentSettings;
  readonly assumptions: Assumptions;
  readonly account: AccountLimits;
}

/** The construct defaults and cdk.json values as of this commit; the CLI reads the real ones from cdk.json and the dashboards. */
export const DEFAULT_SETTINGS: DeploymentSettings = {
  streamCapacity: 'ON_DEMAND',
  ingestMemoryMb: 1769,
  consumerMemoryMb: 512,
  tillApiMemoryMb: 256,
  consumerBatchSize: 500,
  consumerBatchingWindowSeconds: 5,
  consumerParallelizationFactor: 1,
  firehoseBufferSeconds: 300,
  firehoseBufferMb: 5,
  firehoseRecordBytes: 5 * 1024,
  deliveryStreams: 4,
  mergeIntervalMinutes: 15,
  redshiftBaseCapacity: 8,
  rawRetentionDays: 30,
  rawArchiveRetentionDays: 90,
  dashboards: [
    { name: 'sales-overview', refreshSeconds: 300, redshiftPanels: 12 },
    { name: 'pipeline-operations', refreshSeconds: 300, redshiftPanels: 2 },
  ],
  tillApiRateLimit: 50,
  tillApiBurstLimit: 100,
  cloudwatchAlarms: 41,
  cloudwatchDashboards: 1,
  kmsKeys: 4,
  secrets: 2,
};

const LAMBDA_MB_PER_VCPU = 1769;
/** CPU seconds per 1M sales of the producer and consumer processes: `npm run bench` of 2026-12-02 (168 files, 50,379 rows, two cores). */
const BENCH_CPU_SECONDS_PER_MILLION = { ingest: 66, consumer: 58 } as const;

/** GB-seconds per 1M sales of a CPU-bound handler from its CPU-seconds, at Lambda's one vCPU per 1,769 MB. */
export function gbSecondsFromCpu(cpuSecondsPerMillion: number, memoryMb: number): number {
  return (cpuSecondsPerMillion * Math.max(LAMBDA_MB_PER_VCPU, memoryMb)) / 1024;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  nightlyBurstSeconds: 60,
  tradingHoursPerDay: 12,
  tillPeakFactor: 3,
  tillsPerBranch: 2,
  itemsPerSale: 2.75,
  salesPerPackedRecord: 1_000_000 / 24_600,
  packedBytesPerSale: 66,
  packedKiBBilledPerSale: 0.0737,
  tillRecordBytes: 390,
  saleRowBytes: 425,
  itemRowBytes: 140,
  ingestFileRowBytes: 350,
  rejectShare: 0.005,
  csvBytesPerRow: 166,
  ingestGbSecondsPerMillionSales: gbSecondsFromCpu(BENCH_CPU_SECONDS_PER_MILLION.ingest, 512),
  consumerGbSecondsPerMillionSales: gbSecondsFromCpu(BENCH_CPU_SECONDS_PER_MILLION.consumer, 512),
  ingestOverheadSeconds: 1,
  consumerOverheadSeconds: 0.3,
  tillApiSecondsPerRequest: 0.05,
  tillCredentialCacheSeconds: 30,
  dashboardHoursPerDay: 12,
  dashboardScreens: 1,
  redshiftSecondsPerQuery: 20,
  redshiftBytesPerJsonByte: 0.3,
  gzipRatio: 0.2,
  archiveMonths: 12,

  logBytesPerInvocation: 2000,
  accessLogBytesPerRequest: 500,
  customMetrics: 14,
  publicIpv4Addresses: 0,
  alarmNotificationsPerMonth: 30,
  grafanaEditors: 1,
  grafanaViewers: 4,
  xrayReservoirPerSecond: 1,
  xraySampleRate: 0.05,
  copySeconds: 20,
  ingestSeconds: 3,
};
