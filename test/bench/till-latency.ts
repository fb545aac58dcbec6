import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { LocalStack } from '../../infra/local/stack/embedded-stack.js';
import { mergeReceipts, type WriteReceipt } from '../../producers/shared/ports.js';
import { buildTillApiServer } from '../../producers/till-api/app.js';
import { createPostgresIdempotencyStore } from '../../producers/till-api/idempotency/adapters/postgres-idempotency-store.js';
import { loadCatalogue, SAMPLE_CATALOGUE_DIR } from '../../tools/catalogue/sales-catalogue.js';
import { createPostgresCredentialStore, issueTillCredential, withCredentialCache } from '../../producers/till-api/credentials/credentials.js';
import { summariseLatencies, type LatencySummary } from '../../tools/till-simulator/percentiles.js';
import { runTillSimulatorInChild } from '../../tools/till-simulator/fork-simulator.js';
import { issueSimulatorTills, runTillSimulator, type SimulatedTill, type TillSimulatorReport } from '../../tools/till-simulator/simulator.js';

export interface LatencyBenchOptions {
  /** A running local stack with its consumer (startLocalStack / startTestStack). */
  readonly stack: LocalStack;
  /** Steady phase: sales per second and seconds (the issue's target: 200/s for 60 s, p95 < 1 s). */
  readonly ratePerSecond?: number;
  readonly durationSeconds?: number;
  /** Tills (and so branches) the load is spread over. */
  readonly tills?: number;
  /** Step-up phase: rates tried in order until one is not sustained; [] skips the phase. */
  readonly stepRates?: readonly number[];
  readonly stepSeconds?: number;
  /** How long to let the consumer catch up after each phase before measuring on. */
  readonly drainTimeoutMs?: number;
  /** Unmeasured seconds at the rate before each phase is measured (connections, JIT, caches). */
  readonly warmUpSeconds?: number;
  /** The same before each step: the steady phase has warmed everything already, so it only lets the new rate settle (default 1 s). */
  readonly stepWarmUpSeconds?: number;
  /** Where the simulator learns its menu (default: the sample data). */
  readonly catalogueDir?: string;
  /**
   * Where the simulated tills run: a child process (default: its own event loop,
   * as real tills have their own machines) or this process.
   */
  readonly loadGenerator?: 'child-process' | 'in-process';
  readonly log?: (line: string) => void;
}

export interface BenchStep {
  readonly targetRatePerSecond: number;
  readonly achievedRatePerSecond: number;
  readonly errors: number;
  readonly salesSkipped: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly apiLatencyMs: LatencySummary;
  /** The API kept the rate with no error and no skipped sale. */
  readonly sustained: boolean;
  /** Time the consumer needed after the step to load everything (null: not within the drain timeout). */
  readonly consumerDrainMs: number | null;
}

export interface LatencyBenchResult {
  readonly steady: BenchStep & {
    readonly durationSeconds: number;
    /** Sale posted (request sent) → row in `sales` (the consumer's load time, `loaded_at`). */
    readonly saleToWarehouseMs: LatencySummary;
    /** Accepted sales not found in the warehouse after the drain timeout. */
    readonly missing: number;
    /** How late this process's event loop ran timers (everything shares it): high values mean CPU starvation. */
    readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  };
  readonly steps: readonly BenchStep[];
  /** The highest step rate the API sustained (0 if none). */
  readonly maxSustainedRatePerSecond: number;
}

const SUSTAINED_FRACTION = 0.95;

async function drain(stack: LocalStack, receipt: WriteReceipt, timeoutMs: number): Promise<number | null> {
  const begin = Date.now();
  try {
    await stack.waitFor(new Map(receipt), AbortSignal.timeout(timeoutMs));
    return Date.now() - begin;
  } catch {
    return null;
  }
}

/** Loaded times of sales by event id, in chunks (one round trip per 5,000 ids). */
async function loadedAt(stack: LocalStack, eventIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let index = 0; index < eventIds.length; index += 5_000) {
    const chunk = eventIds.slice(index, index + 5_000);
    const result = await stack.warehouse.pool.query<{ event_id: string; loaded_at: Date }>('SELECT event_id, loaded_at FROM sales WHERE event_id = ANY($1)', [chunk]);
    for (const row of result.rows) found.set(row.event_id, row.loaded_at.getTime());
  }
  return found;
}

function toStep(report: TillSimulatorReport, consumerDrainMs: number | null): BenchStep {
  return {
    targetRatePerSecond: report.targetRatePerSecond,
    achievedRatePerSecond: report.achievedRatePerSecond,
    errors: report.errors,
    salesSkipped: report.salesSkipped,
    statusCounts: report.statusCounts,
    apiLatencyMs: report.latencyMs,
    sustained: report.errors === 0 && report.salesSkipped === 0 && report.achievedRatePerSecond >= SUSTAINED_FRACTION * report.targetRatePerSecond,
    consumerDrainMs,
  };
}

/**
 * Measures the live path on a local stack: serves the till API on loopback (no
 * rate limit: the API itself is under test), posts simulated sales at a steady
 * rate and reports sale-posted → row-in-warehouse latency percentiles; then steps
 * the rate up until the API stops keeping it with no errors. The simulated tills
 * run in a child process by default; the API, kinesalite and the consumer share
 * this one, and PostgreSQL the same CPUs, so on a small machine the figures are a
 * floor for the pipeline, not a property of the API alone.
 */
export async function runLatencyBench(options: LatencyBenchOptions): Promise<LatencyBenchResult> {
  const { stack } = options;
  const log = options.log ?? (() => undefined);
  const rate = options.ratePerSecond ?? 200;
  const duration = options.durationSeconds ?? 60;
  const drainTimeoutMs = options.drainTimeoutMs ?? 60_000;
  const catalogueDir = options.catalogueDir ?? SAMPLE_CATALOGUE_DIR;
  const catalogue = await loadCatalogue(catalogueDir);
  const credentials = withCredentialCache(createPostgresCredentialStore(stack.warehouse.pool), { ttlMs: 60_000 });
  const tills = await issueSimulatorTills((branch) => issueTillCredential(credentials, { branch, label: 'bench' }), catalogue.branches, options.tills ?? 10);

  const receipt: WriteReceipt = new Map();
  const server: FastifyInstance = await buildTillApiServer({ writer: stack.writer, credentials, idempotency: createPostgresIdempotencyStore(stack.warehouse.pool), rateLimit: false, onWritten: (written) => mergeReceipts(receipt, written) });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const simulate = (ratePerSecond: number, durationSeconds: number, warmUpSeconds: number, onAccepted?: (eventId: string, sentAt: number) => void) =>
    options.loadGenerator === 'in-process'
      ? runTillSimulator({
          baseUrl,
          credentials: tills,
          ratePerSecond,
          durationSeconds,
          warmUpSeconds,
          catalogue,
          onPost: (post) => post.acceptedEventIds.forEach((eventId) => onAccepted?.(eventId, post.sentAt)),
        })
      : runTillSimulatorInChild({ baseUrl, credentials: tills as SimulatedTill[], ratePerSecond, durationSeconds, warmUpSeconds, catalogueDir }, onAccepted);

  try {
    log(`steady: ${rate} sales/s for ${duration} s over ${tills.length} tills`);
    const sentAt = new Map<string, number>();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const steadyReport = await simulate(rate, duration, options.warmUpSeconds ?? 5, (eventId, at) => sentAt.set(eventId, at));
    loopDelay.disable();
    const steadyDrain = await drain(stack, receipt, drainTimeoutMs);
    const loaded = await loadedAt(stack, [...sentAt.keys()]);
    const lags = [...loaded].map(([eventId, at]) => at - (sentAt.get(eventId) ?? at));
    const steady = {
      ...toStep(steadyReport, steadyDrain),
      durationSeconds: steadyReport.elapsedSeconds,
      saleToWarehouseMs: summariseLatencies(lags),
      missing: sentAt.size - loaded.size,
      eventLoopDelayMs: {
        p50: Math.round(loopDelay.percentile(50) / 1e5) / 10,
        p99: Math.round(loopDelay.percentile(99) / 1e5) / 10,
        max: Math.round(loopDelay.max / 1e5) / 10,
      },
    };
    log(`steady: achieved ${steady.achievedRatePerSecond}/s, sale→warehouse p50 ${steady.saleToWarehouseMs.p50} ms, p95 ${steady.saleToWarehouseMs.p95} ms, p99 ${steady.saleToWarehouseMs.p99} ms (event loop delay p99 ${steady.eventLoopDelayMs.p99} ms)`);

    const steps: BenchStep[] = [];
    // The steady phase has shown its rate; the steps start above it.
    for (const stepRate of options.stepRates ?? [400, 800, 1_200, 1_600, 2_000, 3_000]) {
      const report = await simulate(stepRate, options.stepSeconds ?? 10, options.stepWarmUpSeconds ?? 1);
      const step = toStep(report, await drain(stack, receipt, drainTimeoutMs));
      steps.push(step);
      log(`step ${stepRate}/s: achieved ${step.achievedRatePerSecond}/s, errors ${step.errors}, skipped ${step.salesSkipped}, api p99 ${step.apiLatencyMs.p99} ms${step.sustained ? '' : ' — not sustained'}`);
      if (!step.sustained) break;
    }
    const maxSustainedRatePerSecond = Math.max(0, ...steps.filter((step) => step.sustained).map((step) => step.targetRatePerSecond));
    return { steady, steps, maxSustainedRatePerSecond };
  } finally {
    await server.close();
    for (const till of tills) await credentials.revoke(till.tillId, new Date());
  }
}
