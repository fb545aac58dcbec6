import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRICES, REGIONS, type Region } from './aws-figures.js';
import { planCapacity, type CapacityPlan } from './plan-capacity.js';
import { DEFAULT_ASSUMPTIONS, DEFAULT_SETTINGS, type DeploymentSettings, type PlanInputs, type Workload } from './plan-inputs.js';

const DAYS = 365 / 12;

function plan(workload: Partial<Workload> = {}, overrides: { region?: Region; settings?: Partial<DeploymentSettings>; lambdaConcurrency?: number } = {}): CapacityPlan {
  const inputs: PlanInputs = {
    region: overrides.region ?? 'eu-west-2',
    workload: { branches: 500, salesPerBranchPerDay: 300, tillShare: 0.2, ...workload },
    settings: { ...DEFAULT_SETTINGS, ...overrides.settings },
    assumptions: DEFAULT_ASSUMPTIONS,
    account: { lambdaConcurrency: overrides.lambdaConcurrency ?? 1000 },
  };
  return planCapacity(inputs);
}

const cost = (p: CapacityPlan, service: string) => {
  const line = p.costs.find((c) => c.service === service);
  if (!line) throw new Error(`no ${service} line`);
  return line.monthlyUsd;
};
const quota = (p: CapacityPlan, id: string) => {
  const found = p.quotas.find((q) => q.id === id);
  if (!found) throw new Error(`no ${id} quota`);
  return found;
};

describe('Function: planCapacity', () => {
  describe('500 branches × 300 sales, 20 % on tills, at the defaults (hand-checked)', () => {
    const london = plan();
    const virginia = plan({}, { region: 'us-east-1' });

    it('splits the volume into nightly files and till sales', () => {
      // Assess: 100 till branches post 30,000 sales; 400 files carry 120,000, all within 60 s.
      expect(london.volume).toMatchObject({ salesPerDay: 150_000, fileSalesPerDay: 120_000, tillSalesPerDay: 30_000, filesPerNight: 400, tillBranches: 100, tills: 200 });
      expect(london.volume.nightlyPeakSalesPerSecond).toBeCloseTo(2000, 6);
      // 30,000 sales over 12 h, lunch at 3× the average.
      expect(london.volume.tillPeakSalesPerSecond).toBeCloseTo((30_000 / 43_200) * 3, 9);
    });

    it('needs 7 concurrent ingests at the nightly peak (Little’s law) and 4 consumer pollers on demand', () => {
      // Assess: a file takes 1 s + 300 × 66 µs at one vCPU (1,769 MB) = 1.020 s; 400/60 files a second × 1.020 s = 6.8 → 7.
      const [ingest, consumer, till] = london.lambda.functions;
      expect(ingest!.secondsPerInvocation).toBeCloseTo(1 + 300 * 66e-6, 6);
      expect(ingest!.peakConcurrency).toBe(7);
      expect(consumer!.peakConcurrency).toBe(4);
      expect(till!.nightlyConcurrency).toBe(1);
      expect(london.lambda.nightlyPeakConcurrency).toBe(12);
    });

    it('packs rows 12 and 36 to a 5 KiB Firehose record: 169 sales records/s at the peak, inside the 1,000/s London quota', () => {
      // Assess: sales rows of 425 bytes (+ newline) 12 to a record, sale_items rows of 140 bytes 36; a till sale's rows travel alone.
      const tillPeak = (30_000 / 43_200) * 3;
      const items = london.firehose.peak.find((p) => p.table === 'sale_items')!;
      const sales = london.firehose.peak.find((p) => p.table === 'sales')!;
      expect([sales.rowsPerRecord, items.rowsPerRecord]).toEqual([12, 36]);
      expect(sales.recordsPerSecond).toBeCloseTo(2000 / 12 + tillPeak, 6);
      expect(items.recordsPerSecond).toBeCloseTo((2000 * 2.75) / 36 + tillPeak, 6);
      expect(sales.mibPerSecond).toBeCloseTo(((2000 + tillPeak) * 425) / 1024 ** 2, 9);
      expect(quota(london, 'firehose-records')).toMatchObject({ need: sales.recordsPerSecond, quota: 1000, exceeded: false });
      expect(quota(london, 'firehose-throughput')).toMatchObject({ quota: 1, exceeded: false });
      expect(quota(virginia, 'firehose-records')).toMatchObject({ quota: 5000, exceeded: false });
    });

    it('would exceed the London records/s quota sending one row a record, as the sink did before issue 16', () => {
      // Act
      const unpacked = plan({}, { settings: { firehoseRecordBytes: 0 } });
      // Assess
      expect(quota(unpacked, 'firehose-records')).toMatchObject({ need: expect.closeTo(2000 * 2.75 + ((30_000 / 43_200) * 3) * 2.75, 6), exceeded: true });
    });

    it('keeps Kinesis on one shard’s worth of writes and finds one provisioned shard cheaper', () => {
      // Assess: 2,000 / 40.65 packed records + 2.08 till records a second, 0.13 MB/s.
      expect(virginia.kinesis.peakWriteRecordsPerSecond).toBeCloseTo(2000 / (1e6 / 24_600) + (30_000 / 43_200) * 3, 6);
      expect(virginia.kinesis.shardsNeeded).toBe(1);
      // On demand: 730 stream-hours × $0.04 + 1.127 GiB in × $0.08 + 0.556 GiB out × $0.04.
      const billedGiB = ((120_000 * 0.0737 + 30_000) * DAYS * 1024) / 1024 ** 3;
      const payloadGiB = ((120_000 * 66 + 30_000 * 390) * DAYS) / 1024 ** 3;
      expect(virginia.kinesis.onDemandMonthlyUsd).toBeCloseTo(730 * 0.04 + billedGiB * 0.08 + payloadGiB * 0.04, 6);
      expect(cost(virginia, 'Kinesis Data Streams')).toBeCloseTo(29.31, 2);
      // Provisioned: 730 shard-hours × $0.015 + PUT units.
      expect(virginia.kinesis.provisionedMonthlyUsd).toBeCloseTo(730 * 0.015 + ((120_000 / (1e6 / 24_600) + 30_000) * DAYS / 1e6) * 0.014, 6);
      expect(virginia.kinesis.recommendedMode).toBe('PROVISIONED');
    });

    it('bills 39.1 RPU-hours a day: the dashboards’ 5-minute refreshes and the load runs while tills trade, a few runs at night', () => {
      // Assess: 12 dashboard hours busy 1 − (1 − 60/900)(1 − 60/300)² = 40.3 % × 8 RPU = 38.66; quiet hours idle (the loader
      // skips runs with nothing new); the night's files take 2 load runs, and the reconciliation 1, × 60 s × 8 RPU = 0.4.
      expect(london.redshift.busyShare).toEqual({ dashboardHours: expect.closeTo(1 - (1 - 60 / 900) * 0.8 * 0.8, 9), tradingHours: expect.closeTo(60 / 900, 9), quietHours: 0 });
      expect(london.redshift.rpuHoursPerDay).toBeCloseTo(12 * 8 * (1 - (1 - 60 / 900) * 0.8 * 0.8) + (3 * 60 * 8) / 3600, 6);
      expect(london.redshift.loadRunsPerDay).toBe(2 + 48);
      // RPU-hours × $0.375 + a year of rows (810 JSON bytes a sale, 350 a file, stored at 0.3) × $0.024 per GB-month.
      const storedGiB = ((150_000 * (425 + 2.75 * 140) + 400 * 350) * 0.3 * DAYS * 12) / 1024 ** 3;
      expect(cost(virginia, 'Redshift Serverless')).toBeCloseTo(virginia.redshift.rpuHoursPerDay * DAYS * 0.375 + storedGiB * 0.024, 6);
      expect(cost(virginia, 'Redshift Serverless')).toBeCloseTo(446.0, 0);
    });

    it('expects a sale about 16 minutes after upload, at worst 26', () => {
      // Assess: 3 + (5 + 3.42) + 300 + 20 + (450 + 20) + 150 s typically; 3 + 11.83 + 300 + 20 + 920 + 300 at worst.
      const batch = 0.3 + (500 * (1e6 / 24_600) * 58 * 1769) / 512 / 1e6;
      expect(london.latency.typicalSeconds).toBeCloseTo(3 + 5 + batch / 2 + 300 + 20 + 470 + 150, 6);
      expect(london.latency.worstSeconds).toBeCloseTo(3 + 5 + batch + 300 + 20 + 920 + 300, 6);
    });

    it('prices the fixed lines from the data file', () => {
      // Assess: the workgroup is private (no public address); four keys.
      expect(cost(london, 'Public IPv4')).toBe(0);
      expect(cost(london, 'KMS')).toBeCloseTo(4 * 1 + ((400 * DAYS * 2 + 3 * 288 * DAYS) / 10_000) * 0.03, 9);
      expect(cost(london, 'AWS Budgets')).toBe(0);
      expect(london.totalMonthlyUsd).toBeCloseTo(london.costs.reduce((sum, c) => sum + c.monthlyUsd, 0), 9);
    });

    it('marks the cost lines whose London price is an estimate', () => {
      // Assess
      const estimated = london.costs.filter((c) => c.usesEstimate).map((c) => c.service);
      expect(estimated).toEqual(expect.arrayContaining(['Kinesis Data Streams', 'Redshift Serverless', 'Data Firehose']));
      expect(estimated).not.toContain('Lambda (arm64)');
      expect(virginia.costs.some((c) => c.usesEstimate)).toBe(false);
    });
  });

  describe('quota warnings', () => {
    it('warns when 3,000 branches exceed one London Firehose stream’s 1 MiB/s, not Virginia’s 5 MiB/s', () => {
      // Act
      const london = plan({ branches: 3000 });
      const virginia = plan({ branches: 3000 }, { region: 'us-east-1' });
      // Assess
      expect(quota(london, 'firehose-throughput').exceeded).toBe(true);
      expect(quota(london, 'firehose-throughput').headroomPercent).toBeLessThan(0);
      expect(london.warnings.some((w) => w.startsWith('Firehose: Direct PUT MiB/s'))).toBe(true);
      expect(quota(virginia, 'firehose-throughput').exceeded).toBe(false);
    });

    it('warns on a new account’s pool of 10 at the nightly peak', () => {
      // Act
      const p = plan({}, { lambdaConcurrency: 10 });
      // Assess
      expect(quota(p, 'lambda-account')).toMatchObject({ need: 12, quota: 10, exceeded: true });
      expect(p.warnings.some((w) => w.includes('new account'))).toBe(true);
    });

    it('fits 50 branches in London at the defaults', () => {
      // Act
      const p = plan({ branches: 50 });
      // Assess
      expect(p.quotas.filter((q) => q.exceeded)).toEqual([]);
      expect(p.warnings).toEqual([]);
    });

    it('holds a provisioned stream to its shards', () => {
      // Act
      const p = plan({ branches: 5000, tillShare: 0 }, { settings: { streamCapacity: 'PROVISIONED', shardCount: 1 } });
      // Assess: 5,000 × 300 sales in 60 s are 25,000 sales/s, 1.57 MB/s packed: two shards.
      expect(p.kinesis.shardsNeeded).toBe(2);
      expect(quota(p, 'kinesis-write-bytes').exceeded).toBe(true);
      expect(plan({ branches: 5000, tillShare: 0 }, { settings: { streamCapacity: 'PROVISIONED', shardCount: 2 } }).quotas.find((q) => q.id === 'kinesis-write-bytes')!.exceeded).toBe(false);
    });

    it('caps the nightly peak with the ingest function’s reserved concurrency', () => {
      // Act: one file at a time writes 300 sales per 1.034 s.
      const p = plan({}, { settings: { ingestReservedConcurrency: 1 } });
      // Assess
      expect(p.volume.nightlyPeakSalesPerSecond).toBeCloseTo(300 / (1 + 300 * 66e-6), 6);
      expect(quota(p, 'firehose-records').exceeded).toBe(false);
    });
  });

  it('refuses a till share outside 0–1 and a non-positive branch count', () => {
    // Assess
    expect(() => plan({ tillShare: 1.5 })).toThrow(/till share must be from 0 to 1/);
    expect(() => plan({ branches: 0 })).toThrow(/branches must be a positive number/);
  });

  it('uses a price for every key in every Region', () => {
    // Assess
    for (const region of REGIONS) for (const line of plan({}, { region }).costs) for (const key of line.prices) expect(PRICES[region][key].value).toBeGreaterThanOrEqual(0);
  });

  it('is monotonic in branches: more branches never cost less, need less or load less', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(...REGIONS),
        (branches, more, sales, tillShare, region) => {
          // Act
          const small = plan({ branches, salesPerBranchPerDay: sales, tillShare }, { region });
          const large = plan({ branches: branches + more, salesPerBranchPerDay: sales, tillShare }, { region });
          // Assess
          const eps = 1e-9;
          expect(large.totalMonthlyUsd).toBeGreaterThanOrEqual(small.totalMonthlyUsd - eps);
          expect(large.redshift.rpuHoursPerDay).toBeGreaterThanOrEqual(small.redshift.rpuHoursPerDay - eps);
          expect(large.lambda.nightlyPeakConcurrency).toBeGreaterThanOrEqual(small.lambda.nightlyPeakConcurrency);
          expect(large.kinesis.shardsNeeded).toBeGreaterThanOrEqual(small.kinesis.shardsNeeded);
          for (const [index, peak] of large.firehose.peak.entries()) expect(peak.recordsPerSecond).toBeGreaterThanOrEqual(small.firehose.peak[index]!.recordsPerSecond - eps);
          for (const [index, line] of large.costs.entries()) expect(line.monthlyUsd).toBeGreaterThanOrEqual(small.costs[index]!.monthlyUsd - eps);
        },
      ),
      { numRuns: 300 },
    );
  });
});
