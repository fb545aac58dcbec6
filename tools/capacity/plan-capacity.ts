import { Evidence, PRICES, QUOTAS, type Figure, type RegionPrices } from './aws-figures.js';
import type { PlanInputs } from './plan-inputs.js';

/**
 * The capacity and cost plan: pure arithmetic over the inputs and the figures in
 * aws-figures.ts. No I/O; the CLI reads settings and prints.
 *
 * Model decisions (each also in the TSDoc of the assumption it uses):
 * - Volume: till branches post every sale live during trading hours; the other
 *   branches upload one file each night, all within `nightlyBurstSeconds`.
 * - Kinesis: a file's events are packed into gzipped records of up to 24 KiB
 *   (the bench's billing figures per 1M sales); a till sale is one record
 *   (billed 1 KiB on demand, one PUT payload unit provisioned).
 * - Lambda concurrency at the nightly peak by Little's law: arrivals per second ×
 *   seconds per invocation, capped by reserved concurrency; the consumer holds
 *   shards × parallelisation factor (its event source mapping's pollers).
 * - Firehose: the consumer forwards what arrives at the rate it arrives (its drain
 *   capacity permitting); the sink packs rows into records of up to
 *   `firehoseRecordBytes` (a till sale's rows travel alone); the busiest delivery
 *   stream sets the headroom against the Direct PUT quota.
 * - Redshift Serverless: the workgroup is billed at base capacity whenever a COPY,
 *   the merge or a dashboard refresh runs, at least 60 s each time. Sources with
 *   independent phases overlap at random, so the busy share of an hour is
 *   1 − Π(1 − min(1, billedSeconds / period)) over the sources active in it.
 * - Cost: list prices, before free tiers (the account's free tier is shared with
 *   whatever else runs in it), 365/12 days a month.
 */

export const DAYS_PER_MONTH = 365 / 12;
export const HOURS_PER_MONTH = 24 * DAYS_PER_MONTH;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** One quota held against what the plan needs of it. */
export interface QuotaCheck {
  readonly id: string;
  readonly service: string;
  readonly what: string;
  readonly need: number;
  readonly quota: number;
  readonly unit: string;
  /** (quota − need) / quota × 100; negative when exceeded. */
  readonly headroomPercent: number;
  readonly exceeded: boolean;
  readonly source: string;
  /** What to change when it is exceeded. */
  readonly advice?: string;
}

/** One service's monthly cost. */
export interface CostLine {
  readonly service: string;
  readonly usage: string;
  readonly monthlyUsd: number;
  /** True when a price behind it is an estimate (see aws-figures.ts). */
  readonly usesEstimate: boolean;
  /** The price keys used, for the sources table. */
  readonly prices: readonly (keyof RegionPrices)[];
}

export interface FunctionPlan {
  readonly name: 'csv-ingest' | 'sales-transform' | 'till-api';
  /** Concurrent executions at that function's own peak. */
  readonly peakConcurrency: number;
  /** At the nightly peak (files arriving): what competes for the account pool then. */
  readonly nightlyConcurrency: number;
  readonly reservedConcurrency?: number;
  readonly invocationsPerMonth: number;
  readonly gbSecondsPerMonth: number;
  readonly secondsPerInvocation: number;
}

export interface DeliveryStreamPeak {
  readonly table: 'sales' | 'sale_items';
  /** Rows the sink packs into one record of this stream. */
  readonly rowsPerRecord: number;
  readonly recordsPerSecond: number;
  readonly mibPerSecond: number;
  readonly requestsPerSecond: number;
}

export interface LatencyStep {
  readonly step: string;
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
}

export interface CapacityPlan {
  readonly inputs: PlanInputs;
  readonly volume: {
    readonly salesPerDay: number;
    readonly fileSalesPerDay: number;
    readonly tillSalesPerDay: number;
    readonly filesPerNight: number;
    readonly tillBranches: number;
    readonly tills: number;
    readonly salesPerMonth: number;
    /** Sales per second reaching the stream at the nightly peak (after ingest concurrency limits). */
    readonly nightlyPeakSalesPerSecond: number;
    /** Till sales per second in the busiest trading hour. */
    readonly tillPeakSalesPerSecond: number;
  };
  readonly kinesis: {
    readonly mode: 'ON_DEMAND' | 'PROVISIONED';
    readonly recommendedMode: 'ON_DEMAND' | 'PROVISIONED';
    /** Shards the nightly peak needs (writes ≤ 1 MB/s and 1,000 records/s per shard). */
    readonly shardsNeeded: number;
    /** Shards the consumer reads: the provisioned count, or on demand max(4, shardsNeeded). */
    readonly shardsRead: number;
    readonly peakWriteMiBPerSecond: number;
    readonly peakWriteRecordsPerSecond: number;
    readonly onDemandMonthlyUsd: number;
    readonly provisionedMonthlyUsd: number;
  };
  readonly lambda: {
    readonly functions: readonly FunctionPlan[];
    readonly nightlyPeakConcurrency: number;
    readonly accountConcurrency: number;
    /** Sales per second the consumer can drain with its shards and batch size. */
    readonly consumerDrainSalesPerSecond: number;
    /** Seconds the consumer needs to load one night's files. */
    readonly nightlyDrainSeconds: number;
  };
  readonly firehose: {
    readonly peak: readonly DeliveryStreamPeak[];
    /** Files Firehose writes to the warehouse bucket a day (each COPYed once by a load run). */
    readonly deliveredFilesPerDay: number;
    /** Kinesis records the raw archive's delivery stream reads a month. */
    readonly rawArchiveRecordsPerMonth: number;
  };
  readonly redshift: {
    readonly baseRpu: number;
    readonly busyShare: { readonly dashboardHours: number; readonly tradingHours: number; readonly quietHours: number };
    readonly rpuHoursPerDay: number;
    readonly rpuHoursPerMonth: number;
    /** Load runs a day that find new files (the others return without waking the warehouse). */
    readonly loadRunsPerDay: number;
  };
  readonly latency: { readonly steps: readonly LatencyStep[]; readonly typicalSeconds: number; readonly worstSeconds: number };
  readonly quotas: readonly QuotaCheck[];
  readonly costs: readonly CostLine[];
  readonly totalMonthlyUsd: number;
  readonly warnings: readonly string[];
}

function check(id: string, service: string, what: string, need: number, quota: Figure | number, unit: string, advice?: string): QuotaCheck {
  const limit = typeof quota === 'number' ? quota : quota.value;
  const source = typeof quota === 'number' ? 'deployment setting' : quota.source;
  return {
    id,
    service,
    what,
    need,
    quota: limit,
    unit,
    headroomPercent: limit > 0 ? ((limit - need) / limit) * 100 : need > 0 ? -Infinity : 100,
    exceeded: need > limit,
    source,
    advice,
  };
}

function validate(inputs: PlanInputs): void {
  const { workload: w, settings: s } = inputs;
  const positive = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${value}`);
  };
  positive('branches', w.branches);
  positive('sales per branch per day', w.salesPerBranchPerDay);
  if (!(w.tillShare >= 0 && w.tillShare <= 1)) throw new RangeError(`till share must be from 0 to 1, got ${w.tillShare}`);
  positive('consumer batch size', s.consumerBatchSize);
  positive('Firehose buffer seconds', s.firehoseBufferSeconds);
  positive('merge interval', s.mergeIntervalMinutes);
  positive('Redshift base capacity', s.redshiftBaseCapacity);
  if (!(s.firehoseRecordBytes >= 0)) throw new RangeError(`Firehose record bytes must be 0 or more, got ${s.firehoseRecordBytes}`);
  if (s.streamCapacity === 'PROVISIONED') positive('shard count', s.shardCount ?? 0);
}

/**
 * Plans capacity and monthly cost for a workload on a deployment in a Region.
 *
 * @param inputs workload, settings, assumptions and the account's Lambda pool; units as their TSDoc says
 * @returns the plan: Kinesis mode and shards, Lambda concurrency per function, Firehose peak
 *   against its quota, Redshift RPU-hours, cost per service (USD a month), quota checks and latency
 * @throws RangeError when a count is not positive or the till share is outside 0–1
 */
export function planCapacity(inputs: PlanInputs): CapacityPlan {
  validate(inputs);
  const { region, workload: w, settings: s, assumptions: a } = inputs;
  const prices = PRICES[region];
  const warnings: string[] = [];

  // ── Volume ──────────────────────────────────────────────────────────────
  const tillBranches = Math.round(w.branches * w.tillShare);
  const fileBranches = w.branches - tillBranches;
  const salesPerDay = w.branches * w.salesPerBranchPerDay;
  const fileSalesPerDay = fileBranches * w.salesPerBranchPerDay;
  const tillSalesPerDay = tillBranches * w.salesPerBranchPerDay;
  const tradingSeconds = a.tradingHoursPerDay * 3600;
  const tillPeakSalesPerSecond = tradingSeconds > 0 ? (tillSalesPerDay / tradingSeconds) * a.tillPeakFactor : 0;

  // ── Ingest (nightly burst, Little's law) ────────────────────────────────
  const cpuSecondsPerSale = (gbsPerMillion: number, memoryMb: number) => (gbsPerMillion * 1024) / memoryMb / 1_000_000;
  const ingestSecondsPerFile = a.ingestOverheadSeconds + w.salesPerBranchPerDay * cpuSecondsPerSale(a.ingestGbSecondsPerMillionSales, s.ingestMemoryMb);
  const fileArrivalsPerSecond = fileBranches / a.nightlyBurstSeconds;
  const ingestUnbounded = fileBranches === 0 ? 0 : Math.min(fileBranches, Math.ceil(fileArrivalsPerSecond * ingestSecondsPerFile));
  const ingestConcurrency = s.ingestReservedConcurrency === undefined ? ingestUnbounded : Math.min(ingestUnbounded, s.ingestReservedConcurrency);
  const ingestSalesPerSecondCapacity = (ingestConcurrency * w.salesPerBranchPerDay) / ingestSecondsPerFile;
  const arrivalSalesPerSecond = fileSalesPerDay / a.nightlyBurstSeconds;
  const nightlyIngestSalesPerSecond = fileBranches === 0 ? 0 : Math.min(arrivalSalesPerSecond, ingestSalesPerSecondCapacity);

  // ── Kinesis ─────────────────────────────────────────────────────────────
  const peakWriteBytesPerSecond = nightlyIngestSalesPerSecond * a.packedBytesPerSale + tillPeakSalesPerSecond * a.tillRecordBytes;
  const peakWriteRecordsPerSecond = nightlyIngestSalesPerSecond / a.salesPerPackedRecord + tillPeakSalesPerSecond;
  const peakWriteMiBPerSecond = peakWriteBytesPerSecond / MIB;
  const shardsNeeded = Math.max(
    1,
    Math.ceil(peakWriteMiBPerSecond / QUOTAS.kinesisShardWriteMiBPerSecond.value),
    Math.ceil(peakWriteRecordsPerSecond / QUOTAS.kinesisShardWriteRecordsPerSecond.value),
  );
  const onDemandInitialShards = QUOTAS.kinesisOnDemandInitialWriteMiBPerSecond.value / QUOTAS.kinesisShardWriteMiBPerSecond.value;
  const shardsRead = s.streamCapacity === 'PROVISIONED' ? (s.shardCount ?? 1) : Math.max(onDemandInitialShards, shardsNeeded);

  const recordsPerMonth = (fileSalesPerDay / a.salesPerPackedRecord + tillSalesPerDay) * DAYS_PER_MONTH;
  const billedGiBPerMonth = ((fileSalesPerDay * a.packedKiBBilledPerSale + tillSalesPerDay * 1) * DAYS_PER_MONTH * 1024) / GIB;
  const payloadGiBPerMonth = ((fileSalesPerDay * a.packedBytesPerSale + tillSalesPerDay * a.tillRecordBytes) * DAYS_PER_MONTH) / GIB;
  const onDemandMonthlyUsd =
    HOURS_PER_MONTH * prices.kinesisOnDemandStreamHour.value +
    billedGiBPerMonth * prices.kinesisOnDemandIngestGb.value +
    payloadGiBPerMonth * prices.kinesisOnDemandRetrievalGb.value;
  const provisionedShards = s.streamCapacity === 'PROVISIONED' ? Math.max(s.shardCount ?? 1, shardsNeeded) : shardsNeeded;
  // Packed records are at most 24 KiB, so one PUT payload unit (25 KB) each.
  const provisionedMonthlyUsd = provisionedShards * HOURS_PER_MONTH * prices.kinesisShardHour.value + (recordsPerMonth / 1e6) * prices.kinesisPutUnitsMillion.value;
  const recommendedMode = provisionedMonthlyUsd < onDemandMonthlyUsd ? 'PROVISIONED' : 'ON_DEMAND';

  // ── Consumer ────────────────────────────────────────────────────────────
  const consumerConcurrencyFromShards = shardsRead * s.consumerParallelizationFactor;
  const consumerConcurrency =
    s.consumerReservedConcurrency === undefined ? consumerConcurrencyFromShards : Math.min(consumerConcurrencyFromShards, s.consumerReservedConcurrency);
  const consumerSecondsPerSale = cpuSecondsPerSale(a.consumerGbSecondsPerMillionSales, s.consumerMemoryMb);
  const fullBatchSales = s.consumerBatchSize * a.salesPerPackedRecord;
  const fullBatchSeconds = a.consumerOverheadSeconds + fullBatchSales * consumerSecondsPerSale;
  const consumerDrainSalesPerSecond = (consumerConcurrency * fullBatchSales) / fullBatchSeconds;
  const forwardedSalesPerSecond = Math.min(nightlyIngestSalesPerSecond, consumerDrainSalesPerSecond);
  const nightlyDrainSeconds = fileSalesPerDay === 0 ? 0 : Math.max(fileSalesPerDay / consumerDrainSalesPerSecond, fileSalesPerDay / Math.max(nightlyIngestSalesPerSecond, 1e-9));
  // Batch size while draining: a poller takes what a batching window (or its last invocation) left waiting, up to the batch size.
  const perPollerSalesPerSecond = forwardedSalesPerSecond / Math.max(consumerConcurrency, 1);
  const burstBatchSales = Math.min(fullBatchSales, Math.max(a.salesPerPackedRecord, perPollerSalesPerSecond * Math.max(s.consumerBatchingWindowSeconds, fullBatchSeconds)));
  const burstInvocationsPerSecond = forwardedSalesPerSecond / burstBatchSales;
  const nightlyConsumerInvocations = fileSalesPerDay / burstBatchSales;
  const tillConsumerInvocations = Math.min(tillSalesPerDay, (shardsRead * tradingSeconds) / Math.max(s.consumerBatchingWindowSeconds, 1));
  const consumerInvocationsPerDay = nightlyConsumerInvocations + tillConsumerInvocations;

  // ── Till API ────────────────────────────────────────────────────────────
  const tills = tillBranches * a.tillsPerBranch;
  const tillConcurrency = tillPeakSalesPerSecond === 0 ? 0 : Math.ceil(tillPeakSalesPerSecond * a.tillApiSecondsPerRequest);
  // Midnight: tills are closed, but a till-connected chain keeps at least one warm.
  const tillNightly = tillBranches > 0 ? Math.min(1, tillConcurrency) : 0;

  const functions: FunctionPlan[] = [
    {
      name: 'csv-ingest',
      peakConcurrency: ingestConcurrency,
      nightlyConcurrency: ingestConcurrency,
      reservedConcurrency: s.ingestReservedConcurrency,
      invocationsPerMonth: fileBranches * DAYS_PER_MONTH,
      secondsPerInvocation: ingestSecondsPerFile,
      gbSecondsPerMonth: ((fileSalesPerDay / 1e6) * a.ingestGbSecondsPerMillionSales + fileBranches * a.ingestOverheadSeconds * (s.ingestMemoryMb / 1024)) * DAYS_PER_MONTH,
    },
    {
      name: 'sales-transform',
      peakConcurrency: consumerConcurrency,
      nightlyConcurrency: consumerConcurrency,
      reservedConcurrency: s.consumerReservedConcurrency,
      invocationsPerMonth: consumerInvocationsPerDay * DAYS_PER_MONTH,
      secondsPerInvocation: a.consumerOverheadSeconds + burstBatchSales * consumerSecondsPerSale,
      gbSecondsPerMonth: ((salesPerDay / 1e6) * a.consumerGbSecondsPerMillionSales + consumerInvocationsPerDay * a.consumerOverheadSeconds * (s.consumerMemoryMb / 1024)) * DAYS_PER_MONTH,
    },
    {
      name: 'till-api',
      peakConcurrency: tillConcurrency,
      nightlyConcurrency: tillNightly,
      reservedConcurrency: s.tillApiReservedConcurrency,
      invocationsPerMonth: tillSalesPerDay * DAYS_PER_MONTH,
      secondsPerInvocation: a.tillApiSecondsPerRequest,
      gbSecondsPerMonth: tillSalesPerDay * a.tillApiSecondsPerRequest * (s.tillApiMemoryMb / 1024) * DAYS_PER_MONTH,
    },
  ];
  const nightlyPeakConcurrency = functions.reduce((sum, fn) => sum + fn.nightlyConcurrency, 0);
  const reservedTotal = functions.reduce((sum, fn) => sum + (fn.reservedConcurrency ?? 0), 0);

  // ── Firehose ────────────────────────────────────────────────────────────
  // The sink packs a table's rows into records of up to `firehoseRecordBytes` (one row a line).
  const rowsPerRecordOf = (rowBytes: number) => Math.max(1, Math.floor(s.firehoseRecordBytes / (rowBytes + 1)));
  const streamPeak = (table: DeliveryStreamPeak['table'], rowsPerSale: number, rowBytes: number): DeliveryStreamPeak => {
    const rowsPerRecord = rowsPerRecordOf(rowBytes);
    // A till sale's rows travel in a record of their own (one sale a request).
    const nightlyRecordsPerSecond = (forwardedSalesPerSecond * rowsPerSale) / rowsPerRecord;
    const tillRecordsPerSecond = tillPeakSalesPerSecond * Math.max(1, rowsPerSale / rowsPerRecord);
    // Each invocation sends each table's records in PutRecordBatch calls of at most 500 records.
    const callsPerInvocation = Math.max(1, Math.ceil((burstBatchSales * rowsPerSale) / rowsPerRecord / QUOTAS.firehosePutRecordBatchRecords.value));
    return {
      table,
      rowsPerRecord,
      recordsPerSecond: nightlyRecordsPerSecond + tillRecordsPerSecond,
      mibPerSecond: ((forwardedSalesPerSecond + tillPeakSalesPerSecond) * rowsPerSale * rowBytes) / MIB,
      requestsPerSecond: burstInvocationsPerSecond * callsPerInvocation,
    };
  };
  const firehosePeak = [streamPeak('sales', 1, a.saleRowBytes), streamPeak('sale_items', a.itemsPerSale, a.itemRowBytes)];
  const jsonBytesPerDay = salesPerDay * (a.saleRowBytes + a.itemsPerSale * a.itemRowBytes) + fileBranches * a.ingestFileRowBytes;
  // Records a day: nightly rows packed; a till sale's rows make one record per table.
  const packedRecords = (rows: number, rowBytes: number) => rows / rowsPerRecordOf(rowBytes);
  const firehoseRecordsPerDay =
    packedRecords(fileSalesPerDay, a.saleRowBytes) +
    packedRecords(fileSalesPerDay * a.itemsPerSale, a.itemRowBytes) +
    tillSalesPerDay * (1 + Math.max(1, a.itemsPerSale / rowsPerRecordOf(a.itemRowBytes))) +
    salesPerDay * a.rejectShare +
    fileBranches;
  const firehoseRecordsPerMonth = firehoseRecordsPerDay * DAYS_PER_MONTH;
  // Firehose bills each record rounded up to 5 KB: a packed record is at most 5,120 bytes, so one increment each.
  const billedBytesPerRecord = Math.max(5 * 1024, Math.ceil(jsonBytesPerDay / firehoseRecordsPerDay / 5120) * 5120);
  const firehoseBilledGiBPerMonth = (firehoseRecordsPerMonth * billedBytesPerRecord) / GIB;
  // The raw archive's delivery stream reads every Kinesis record (packed records and till sales are each under 25 KB: 5 KB increments).
  const rawArchiveBilledGiBPerMonth = (recordsPerMonth * Math.max(5 * 1024, Math.ceil((a.packedBytesPerSale * a.salesPerPackedRecord) / 5120) * 5120)) / GIB;

  // ── Redshift Serverless ─────────────────────────────────────────────────
  const minimum = QUOTAS.redshiftMinimumChargeSeconds.value;
  const billedPerEvent = Math.max(minimum, a.redshiftSecondsPerQuery);
  const busy = (periodSeconds: number) => (periodSeconds > 0 ? Math.min(1, billedPerEvent / periodSeconds) : 0);
  const union = (...shares: number[]) => 1 - shares.reduce((idle, share) => idle * (1 - share), 1);
  // The loader wakes the warehouse only when new files arrived (issue 15): every run while tills trade,
  // a few after the nightly files, none in quiet hours. Each run COPYs and merges in one go.
  const intervalSeconds = s.mergeIntervalMinutes * 60;
  const rowsFlowWhileTrading = tillSalesPerDay > 0;
  const mergeBusy = rowsFlowWhileTrading ? busy(intervalSeconds) : 0;
  const dashboardBusy = s.dashboards
    .filter((d) => d.redshiftPanels > 0 && d.refreshSeconds > 0)
    .flatMap((d) => Array.from({ length: a.dashboardScreens }, () => busy(d.refreshSeconds)));
  const dashboardHours = Math.min(24, a.dashboardHoursPerDay);
  const tradingOnlyHours = Math.max(0, Math.min(24, a.tradingHoursPerDay) - dashboardHours);
  const quietHours = 24 - dashboardHours - tradingOnlyHours;
  const busyShare = {
    dashboardHours: union(mergeBusy, ...dashboardBusy),
    tradingHours: mergeBusy,
    quietHours: 0,
  };
  // The night's files reach S3 within a buffer interval of their rows; the runs that find them load them.
  const nightlyLoadRuns = fileBranches === 0 ? 0 : Math.ceil((nightlyDrainSeconds + s.firehoseBufferSeconds) / intervalSeconds) + 1;
  const tradingLoadRuns = rowsFlowWhileTrading ? Math.ceil(tradingSeconds / intervalSeconds) : 0;
  const loadRunsPerDay = nightlyLoadRuns + tradingLoadRuns;
  // The daily reconciliation wakes it once more.
  const reconciliationsPerDay = 1;
  // Files Firehose writes: one per stream with rows per buffer interval (or 5 MB).
  const nightlyFilesPerStream = (bytes: number) => Math.max(Math.ceil(nightlyDrainSeconds / s.firehoseBufferSeconds), Math.ceil(bytes / (s.firehoseBufferMb * MIB)), 1);
  const nightlyFiles =
    fileBranches === 0 ? 0 : nightlyFilesPerStream(fileSalesPerDay * a.saleRowBytes) + nightlyFilesPerStream(fileSalesPerDay * a.itemsPerSale * a.itemRowBytes) + 2; // + ingest_files, quarantine
  const tillFilesPerDay = rowsFlowWhileTrading ? 2 * Math.ceil(tradingSeconds / s.firehoseBufferSeconds) : 0;
  const deliveredFilesPerDay = nightlyFiles + tillFilesPerDay;
  const rpuHoursPerDay =
    (s.redshiftBaseCapacity *
      (dashboardHours * 3600 * busyShare.dashboardHours +
        tradingOnlyHours * 3600 * busyShare.tradingHours +
        quietHours * 3600 * busyShare.quietHours +
        (nightlyLoadRuns + reconciliationsPerDay) * billedPerEvent)) /
    3600;
  const rpuHoursPerMonth = rpuHoursPerDay * DAYS_PER_MONTH;

  // ── Latency: upload → panel ─────────────────────────────────────────────
  const refreshes = s.dashboards.filter((d) => d.redshiftPanels > 0).map((d) => d.refreshSeconds);
  const slowestRefresh = refreshes.length > 0 ? Math.max(...refreshes) : 0;
  const steps: LatencyStep[] = [
    { step: 'ingest: S3 event, parse, publish', typicalSeconds: a.ingestSeconds, worstSeconds: a.ingestSeconds },
    {
      step: 'consumer: batching window + invocation',
      typicalSeconds: s.consumerBatchingWindowSeconds + fullBatchSeconds / 2,
      worstSeconds: s.consumerBatchingWindowSeconds + fullBatchSeconds,
    },
    // A quiet stream's first record waits the whole interval; the size hint ends it sooner only under load.
    { step: 'Firehose buffer interval', typicalSeconds: s.firehoseBufferSeconds, worstSeconds: s.firehoseBufferSeconds },
    { step: 'COPY into staging', typicalSeconds: a.copySeconds, worstSeconds: a.copySeconds },
    { step: 'wait for the merge schedule + merge', typicalSeconds: (s.mergeIntervalMinutes * 60) / 2 + a.copySeconds, worstSeconds: s.mergeIntervalMinutes * 60 + a.copySeconds },
    { step: 'dashboard refresh', typicalSeconds: slowestRefresh / 2, worstSeconds: slowestRefresh },
  ];
  const latency = {
    steps,
    typicalSeconds: steps.reduce((sum, step) => sum + step.typicalSeconds, 0),
    worstSeconds: steps.reduce((sum, step) => sum + step.worstSeconds, 0),
  };

  // ── Quotas ──────────────────────────────────────────────────────────────
  const fhQuota = QUOTAS.firehoseDirectPut[region];
  const busiest = firehosePeak.reduce((a1, b) => (b.recordsPerSecond > a1.recordsPerSecond ? b : a1));
  const heaviest = firehosePeak.reduce((a1, b) => (b.mibPerSecond > a1.mibPerSecond ? b : a1));
  const quotas: QuotaCheck[] = [
    check('firehose-records', 'Firehose', `Direct PUT records/s, ${busiest.table} stream at the nightly peak`, busiest.recordsPerSecond, fhQuota.recordsPerSecond, 'records/s',
      'cap ingest concurrency (ingestReservedConcurrency), or ask for a higher Firehose quota'),
    check('firehose-throughput', 'Firehose', `Direct PUT MiB/s, ${heaviest.table} stream at the nightly peak`, heaviest.mibPerSecond, fhQuota.mibPerSecond, 'MiB/s',
      'cap ingest concurrency (ingestReservedConcurrency) to spread the night, or ask for a higher Firehose quota (Service Quotas, Amazon Data Firehose)'),
    check('firehose-requests', 'Firehose', 'Direct PUT requests/s per stream at the nightly peak', Math.max(...firehosePeak.map((p) => p.requestsPerSecond)), fhQuota.requestsPerSecond, 'requests/s',
      'larger consumer batches'),
    check('lambda-account', 'Lambda', 'concurrent executions at the nightly peak (all functions)', nightlyPeakConcurrency, inputs.account.lambdaConcurrency, 'executions',
      'ask for a higher concurrency quota, or reserve concurrency for the till API and cap the ingest'),
    check('lambda-reserved', 'Lambda', 'reserved concurrency (all functions), pool less the 100 kept unreserved', reservedTotal, Math.max(0, inputs.account.lambdaConcurrency - QUOTAS.lambdaUnreservedMinimum.value), 'executions',
      'Lambda refuses a reservation that leaves fewer than 100 unreserved'),
    check('api-throttle', 'API Gateway', 'till API requests/s in the busiest hour vs the stage rate limit', tillPeakSalesPerSecond, s.tillApiRateLimit, 'requests/s', 'raise rateLimit on the TillApi stage'),
  ];
  if (s.streamCapacity === 'PROVISIONED') {
    const shards = s.shardCount ?? 1;
    quotas.push(
      check('kinesis-write-bytes', 'Kinesis', `write MB/s at the nightly peak (${shards} shard${shards === 1 ? '' : 's'})`, peakWriteMiBPerSecond, shards * QUOTAS.kinesisShardWriteMiBPerSecond.value, 'MB/s', `provision ${shardsNeeded} shards`),
      check('kinesis-write-records', 'Kinesis', `write records/s at the nightly peak (${shards} shard${shards === 1 ? '' : 's'})`, peakWriteRecordsPerSecond, shards * QUOTAS.kinesisShardWriteRecordsPerSecond.value, 'records/s', `provision ${shardsNeeded} shards`),
    );
  } else {
    quotas.push(check('kinesis-on-demand', 'Kinesis', 'on-demand write MB/s at the nightly peak (a new stream starts at 4 MB/s)', peakWriteMiBPerSecond, QUOTAS.kinesisOnDemandInitialWriteMiBPerSecond, 'MB/s', 'the stream follows 2× its previous peak; warm it or provision shards'));
  }
  if (inputs.account.lambdaConcurrency <= QUOTAS.lambdaNewAccountConcurrency.value) {
    warnings.push(`A pool of ${inputs.account.lambdaConcurrency} concurrent executions is a new account's: the nightly ingest, the consumer and the till API share it. Ask for the default 1,000 (Service Quotas L-B99A9384) before go-live; until then tills can get 429s at night.`);
  }
  if (nightlyDrainSeconds > a.nightlyBurstSeconds * 10) {
    warnings.push(`The consumer needs ${Math.round(nightlyDrainSeconds)} s to load a night's files at its drain rate of ${Math.round(consumerDrainSalesPerSecond)} sales/s; iterator age grows meanwhile.`);
  }
  for (const q of quotas.filter((q) => q.exceeded)) warnings.push(`${q.service}: ${q.what}: need ${round(q.need)} ${q.unit}, quota ${round(q.quota)} — ${q.advice ?? 'raise the quota'}.`);

  // ── Cost ────────────────────────────────────────────────────────────────
  const line = (service: string, usage: string, monthlyUsd: number, keys: (keyof RegionPrices)[]): CostLine => ({
    service,
    usage,
    monthlyUsd,
    usesEstimate: keys.some((key) => prices[key].evidence === Evidence.Estimate),
    prices: keys,
  });
  const lambdaGbSeconds = functions.reduce((sum, fn) => sum + fn.gbSecondsPerMonth, 0);
  const lambdaRequests = functions.reduce((sum, fn) => sum + fn.invocationsPerMonth, 0);
  const rawGb = (fileSalesPerDay * a.csvBytesPerRow * s.rawRetentionDays) / GIB;
  // The clean rows (rows/, gzipped by Firehose) are kept: they are the load and rebuild source.
  const rowsGb = (jsonBytesPerDay * a.gzipRatio * DAYS_PER_MONTH * a.archiveMonths) / GIB;
  // The raw event archive keeps the stream's bytes for its retention, base64 in JSON lines (×4/3; already gzip-packed, so Firehose's gzip gains little).
  const rawArchiveGb = ((payloadGiBPerMonth / DAYS_PER_MONTH) * s.rawArchiveRetentionDays * 4) / 3;
  // Each load run writes a manifest per table and its state; COPY reads each delivered file once.
  const loaderPutsPerDay = loadRunsPerDay * (s.deliveryStreams + 1);
  // Archive objects: each delivery stream's backup flushes every 900 s while rows flow.
  // The raw archive's delivery stream flushes every 900 s while records flow.
  const archiveObjectsPerDay = (tillSalesPerDay > 0 ? Math.ceil(tradingSeconds / 900) : 0) + (fileBranches > 0 ? Math.max(1, Math.ceil(nightlyDrainSeconds / 900)) : 0);
  const s3PutsPerMonth = (fileBranches + deliveredFilesPerDay + loaderPutsPerDay + archiveObjectsPerDay) * DAYS_PER_MONTH;
  const s3GetsPerMonth = (fileBranches + deliveredFilesPerDay + loadRunsPerDay) * DAYS_PER_MONTH;
  const s3Usd =
    (rawGb + rowsGb + rawArchiveGb) * prices.s3StandardGbMonth.value + (s3PutsPerMonth / 1000) * prices.s3PutThousand.value + (s3GetsPerMonth / 10_000) * prices.s3GetTenThousand.value;
  const redshiftStorageGb = (jsonBytesPerDay * a.redshiftBytesPerJsonByte * DAYS_PER_MONTH * a.archiveMonths) / GIB;
  // KMS: two per file (the upload's data key, the pepper secret), plus Kinesis's five-minute data-key refresh for three principals.
  const kmsRequests = functions[0]!.invocationsPerMonth * 2 + 3 * 288 * DAYS_PER_MONTH;
  // The pepper, cached five minutes per container; the loader signs in with temporary credentials, not a secret.
  const secretsCalls = lambdaRequests * 0.05;
  // Every scheduled loader run logs, idle or not.
  const loaderRunsLoggedPerDay = (24 * 3600) / intervalSeconds;
  const logsGb =
    (lambdaRequests * a.logBytesPerInvocation + functions[2]!.invocationsPerMonth * a.accessLogBytesPerRequest + loaderRunsLoggedPerDay * DAYS_PER_MONTH * 500) / GIB;
  const xrayTraces = functions.reduce((sum, fn) => {
    const activeSeconds = fn.name === 'till-api' ? tradingSeconds * DAYS_PER_MONTH : Math.min(fn.invocationsPerMonth, 3600 * DAYS_PER_MONTH);
    return sum + Math.min(fn.invocationsPerMonth, Math.min(fn.invocationsPerMonth, activeSeconds * a.xrayReservoirPerSecond) + a.xraySampleRate * fn.invocationsPerMonth);
  }, 0);
  const dynamoReads = Math.min(tillSalesPerDay, tills * Math.max(1, tillConcurrency) * (tradingSeconds / a.tillCredentialCacheSeconds)) * DAYS_PER_MONTH;
  // Idempotency: one conditional PutItem (a claim under 1 KB) per till sale.
  const dynamoWrites = tillSalesPerDay * DAYS_PER_MONTH;

  const costs: CostLine[] = [
    s.streamCapacity === 'PROVISIONED'
      ? line('Kinesis Data Streams', `provisioned, ${provisionedShards} shard(s), ${fmt(recordsPerMonth / 1e6)} M PUT units`, provisionedMonthlyUsd, ['kinesisShardHour', 'kinesisPutUnitsMillion'])
      : line('Kinesis Data Streams', `on demand, 1 stream, ${fmt(billedGiBPerMonth)} GiB billed in, ${fmt(payloadGiBPerMonth)} GiB out`, onDemandMonthlyUsd, [
          'kinesisOnDemandStreamHour',
          'kinesisOnDemandIngestGb',
          'kinesisOnDemandRetrievalGb',
        ]),
    line('Lambda (arm64)', `${fmt(lambdaGbSeconds)} GB-s, ${fmt(lambdaRequests / 1e6)} M requests`, lambdaGbSeconds * prices.lambdaArmGbSecond.value + (lambdaRequests / 1e6) * prices.lambdaRequestsMillion.value, [
      'lambdaArmGbSecond',
      'lambdaRequestsMillion',
    ]),
    line(
      'Data Firehose',
      `${fmt(firehoseRecordsPerMonth / 1e6)} M warehouse records + ${fmt(recordsPerMonth / 1e6)} M raw-archive records, 5 KB billed each = ${fmt(firehoseBilledGiBPerMonth + rawArchiveBilledGiBPerMonth)} GiB`,
      (firehoseBilledGiBPerMonth + rawArchiveBilledGiBPerMonth) * prices.firehoseIngestGb.value,
      ['firehoseIngestGb'],
    ),
    line(
      'Redshift Serverless',
      `${fmt(rpuHoursPerMonth)} RPU-h at ${s.redshiftBaseCapacity} RPU base; ${fmt(redshiftStorageGb)} GB stored`,
      rpuHoursPerMonth * prices.redshiftRpuHour.value + redshiftStorageGb * prices.redshiftStorageGbMonth.value,
      ['redshiftRpuHour', 'redshiftStorageGbMonth'],
    ),
    line('S3', `${fmt(rawGb + rowsGb + rawArchiveGb)} GB (uploads ${s.rawRetentionDays} d, raw archive ${s.rawArchiveRetentionDays} d, ${a.archiveMonths} months of clean rows), ${fmt(s3PutsPerMonth / 1000)} k PUTs`, s3Usd, [
      's3StandardGbMonth',
      's3PutThousand',
      's3GetTenThousand',
    ]),
    line('KMS', `${s.kmsKeys} keys, ${fmt(kmsRequests / 1000)} k requests`, s.kmsKeys * prices.kmsKeyMonth.value + (kmsRequests / 10_000) * prices.kmsRequestsTenThousand.value, ['kmsKeyMonth', 'kmsRequestsTenThousand']),
    line('Secrets Manager', `${s.secrets} secrets, ${fmt(secretsCalls / 1000)} k calls`, s.secrets * prices.secretMonth.value + (secretsCalls / 10_000) * prices.secretsApiTenThousand.value, [
      'secretMonth',
      'secretsApiTenThousand',
    ]),
    line(
      'CloudWatch',
      `${fmt(logsGb)} GB logs, ${a.customMetrics} metrics, ${s.cloudwatchAlarms} alarms, ${s.cloudwatchDashboards} dashboard(s)`,
      logsGb * prices.cloudwatchLogsIngestGb.value +
        logsGb * 0.15 * prices.cloudwatchLogsStorageGbMonth.value +
        a.customMetrics * prices.cloudwatchMetricMonth.value +
        s.cloudwatchAlarms * prices.cloudwatchAlarmMonth.value +
        s.cloudwatchDashboards * prices.cloudwatchDashboardMonth.value,
      ['cloudwatchLogsIngestGb', 'cloudwatchLogsStorageGbMonth', 'cloudwatchMetricMonth', 'cloudwatchAlarmMonth', 'cloudwatchDashboardMonth'],
    ),
    line('API Gateway (HTTP API)', `${fmt(functions[2]!.invocationsPerMonth / 1e6)} M requests`, (functions[2]!.invocationsPerMonth / 1e6) * prices.apiGatewayHttpMillion.value, ['apiGatewayHttpMillion']),
    line('X-Ray', `${fmt(xrayTraces / 1000)} k traces recorded`, (xrayTraces / 1e6) * prices.xrayTracesMillion.value, ['xrayTracesMillion']),
    line(
      'DynamoDB (on demand)',
      `${fmt(dynamoReads / 1e6)} M strongly consistent credential reads (cache ${a.tillCredentialCacheSeconds} s), ${fmt(dynamoWrites / 1e6)} M idempotency claims`,
      (dynamoReads / 1e6) * prices.dynamoReadMillion.value + (dynamoWrites / 1e6) * prices.dynamoWriteMillion.value,
      ['dynamoReadMillion', 'dynamoWriteMillion'],
    ),
    line('Public IPv4', `${a.publicIpv4Addresses} address(es) of the workgroup`, a.publicIpv4Addresses * HOURS_PER_MONTH * prices.publicIpv4Hour.value, ['publicIpv4Hour']),
    line('SNS', `${a.alarmNotificationsPerMonth} alarm e-mails (1,000 free)`, (Math.max(0, a.alarmNotificationsPerMonth - 1000) / 100_000) * prices.snsEmailHundredThousand.value, ['snsEmailHundredThousand']),
    line('AWS Budgets', '1 cost budget, notifications only', DAYS_PER_MONTH * prices.budgetDay.value, ['budgetDay']),
    line('Managed Grafana', `${a.grafanaEditors} editor(s), ${a.grafanaViewers} viewer(s)`, a.grafanaEditors * prices.grafanaEditorMonth.value + a.grafanaViewers * prices.grafanaViewerMonth.value, [
      'grafanaEditorMonth',
      'grafanaViewerMonth',
    ]),
  ];
  const totalMonthlyUsd = costs.reduce((sum, c) => sum + c.monthlyUsd, 0);

  return {
    inputs,
    volume: {
      salesPerDay,
      fileSalesPerDay,
      tillSalesPerDay,
      filesPerNight: fileBranches,
      tillBranches,
      tills,
      salesPerMonth: salesPerDay * DAYS_PER_MONTH,
      nightlyPeakSalesPerSecond: nightlyIngestSalesPerSecond,
      tillPeakSalesPerSecond,
    },
    kinesis: {
      mode: s.streamCapacity,
      recommendedMode,
      shardsNeeded,
      shardsRead,
      peakWriteMiBPerSecond,
      peakWriteRecordsPerSecond,
      onDemandMonthlyUsd,
      provisionedMonthlyUsd,
    },
    lambda: { functions, nightlyPeakConcurrency, accountConcurrency: inputs.account.lambdaConcurrency, consumerDrainSalesPerSecond, nightlyDrainSeconds },
    firehose: { peak: firehosePeak, deliveredFilesPerDay, rawArchiveRecordsPerMonth: recordsPerMonth },
    redshift: { baseRpu: s.redshiftBaseCapacity, busyShare, rpuHoursPerDay, rpuHoursPerMonth, loadRunsPerDay },
    latency,
    quotas,
    costs,
    totalMonthlyUsd,
    warnings,
  };
}

function round(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(3);
}

function fmt(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-GB') : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
