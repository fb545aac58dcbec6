import { performance } from 'node:perf_hooks';
import type { TillSale, TillSalesResponse } from '../../contracts/till-sale.js';
import type { Catalogue } from '../catalogue/sales-catalogue.js';
import { keepAliveAgent, postJson } from './http-post.js';
import { summariseLatencies, type LatencySummary } from './percentiles.js';
import { generateTillSale, seededRandom } from './sale-generator.js';

/** A till the simulator posts as: its credential and branch. */
export interface SimulatedTill {
  readonly tillId: string;
  readonly secret: string;
  readonly branch: string;
}

/** One request's outcome, as the simulator saw it. */
export interface SimulatedPost {
  readonly tillId: string;
  /** HTTP status, or 0 when the request failed on the network. */
  readonly status: number;
  /** Wall-clock time the request was sent (epoch ms): the start of sale-to-panel latency. */
  readonly sentAt: number;
  readonly latencyMs: number;
  /** Event ids of the sales the API accepted (202). */
  readonly acceptedEventIds: readonly string[];
  readonly sales: number;
}

export interface TillSimulatorOptions {
  /** The API's origin, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  readonly credentials: readonly SimulatedTill[];
  /** Sales per second across all tills. */
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Seconds at the rate before measuring starts (connections, caches); not counted. */
  readonly warmUpSeconds?: number;
  readonly catalogue: Catalogue;
  /** Sales per request (1: each sale as it happens, as a live till posts). */
  readonly salesPerRequest?: number;
  /** Requests open at once (and sockets kept); a sale due while all are busy is counted as skipped, not queued. */
  readonly maxInFlight?: number;
  /** Seed for reproducible baskets (default: random). */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onPost?: (post: SimulatedPost) => void;
  /** Called about once a second with the running totals. */
  readonly onProgress?: (report: TillSimulatorReport) => void;
}

export interface TillSimulatorReport {
  readonly targetRatePerSecond: number;
  readonly elapsedSeconds: number;
  readonly requests: number;
  readonly salesSent: number;
  readonly salesAccepted: number;
  readonly salesRejected: number;
  /** Sales that fell due while `maxInFlight` requests were open: the API was not keeping up. */
  readonly salesSkipped: number;
  /** Requests by HTTP status (`0` for network failures). */
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Requests not answered 202. */
  readonly errors: number;
  /** Sales accepted per second of the run. */
  readonly achievedRatePerSecond: number;
  /** Request round-trip times. */
  readonly latencyMs: LatencySummary;
}

const TICK_MS = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts realistic sales to a running till API at a steady rate (open loop: sales
 * fall due on a schedule, whatever the API's speed), spread round-robin over the
 * given tills, and reports the achieved rate, status counts and latencies of the
 * measured part (after `warmUpSeconds`).
 */
export async function runTillSimulator(options: TillSimulatorOptions): Promise<TillSimulatorReport> {
  if (options.credentials.length === 0) throw new RangeError('the simulator needs at least one till credential');
  if (!(options.ratePerSecond > 0) || !(options.durationSeconds > 0)) throw new RangeError('rate and duration must be positive');
  const perRequest = Math.max(1, Math.min(100, Math.floor(options.salesPerRequest ?? 1)));
  const maxInFlight = options.maxInFlight ?? 256;
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
  const runId = `${Date.now().toString(36)}${Math.floor(random() * 36 ** 4).toString(36)}`;
  const url = new URL(`${options.baseUrl.replace(/\/$/, '')}/v1/sales`);
  const agent = keepAliveAgent(maxInFlight);
  const warmUpSeconds = Math.max(0, options.warmUpSeconds ?? 0);
  const warmUpSales = Math.round(options.ratePerSecond * warmUpSeconds);
  const totalSales = warmUpSales + Math.round(options.ratePerSecond * options.durationSeconds);

  const statusCounts: Record<string, number> = {};
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let requests = 0;
  let salesSent = 0;
  let salesAccepted = 0;
  let salesRejected = 0;
  let salesSkipped = 0;
  let errors = 0;
  let due = 0;
  let nextTill = 0;
  const counters = new Map<string, number>();
  const started = performance.now();
  const measuredFrom = started + warmUpSeconds * 1000;

  const report = (): TillSimulatorReport => {
    const elapsedSeconds = Math.max(0, performance.now() - measuredFrom) / 1000;
    return {
      targetRatePerSecond: options.ratePerSecond,
      elapsedSeconds: Math.round(elapsedSeconds * 100) / 100,
      requests,
      salesSent,
      salesAccepted,
      salesRejected,
      salesSkipped,
      statusCounts: { ...statusCounts },
      errors,
      achievedRatePerSecond: Math.round((salesAccepted / Math.max(elapsedSeconds, 1e-9)) * 10) / 10,
      latencyMs: summariseLatencies(latencies),
    };
  };

  const parse = (text: string): Partial<TillSalesResponse> | undefined => {
    try {
      return JSON.parse(text) as Partial<TillSalesResponse>;
    } catch {
      return undefined;
    }
  };

  const post = async (till: SimulatedTill, sales: TillSale[], measured: boolean) => {
    const sentAt = Date.now();
    const begin = performance.now();
    let status = 0;
    let body: Partial<TillSalesResponse> | undefined;
    try {
      const response = await postJson(url, { authorization: `Bearer ${till.tillId}.${till.secret}` }, JSON.stringify(sales.length === 1 ? sales[0] : { sales }), agent);
      status = response.status;
      body = parse(response.text);
    } catch {
      status = 0;
    }
    if (!measured) return;
    const accepted = status === 202 ? (body?.results ?? []).filter((result) => result.status === 'accepted' && result.eventId).map((result) => result.eventId ?? '') : [];
    salesRejected += body?.rejected ?? 0;
    const latencyMs = performance.now() - begin;
    latencies.push(latencyMs);
    statusCounts[String(status)] = (statusCounts[String(status)] ?? 0) + 1;
    if (status !== 202) errors++;
    salesAccepted += accepted.length;
    options.onPost?.({ tillId: till.tillId, status, sentAt, latencyMs, acceptedEventIds: accepted, sales: sales.length });
  };

  const launch = (count: number, measured: boolean) => {
    const till = options.credentials[nextTill++ % options.credentials.length];
    if (!till) return;
    const sales = Array.from({ length: count }, () => {
      const n = (counters.get(till.tillId) ?? 0) + 1;
      counters.set(till.tillId, n);
      return generateTillSale(options.catalogue, { branch: till.branch, saleId: `sim-${runId}-${n}`, occurredAt: new Date(), random });
    });
    if (measured) {
      requests++;
      salesSent += count;
    }
    const pending = post(till, sales, measured).finally(() => inFlight.delete(pending));
    inFlight.add(pending);
  };

  let lastProgress = started;
  while (due < totalSales && !options.signal?.aborted) {
    const now = performance.now();
    const shouldHaveSent = Math.min(totalSales, Math.floor(((now - started) / 1000) * options.ratePerSecond));
    while (due + perRequest <= shouldHaveSent || (shouldHaveSent === totalSales && due < totalSales)) {
      const count = Math.min(perRequest, totalSales - due);
      const measured = due >= warmUpSales;
      due += count;
      if (inFlight.size < maxInFlight) launch(count, measured);
      else if (measured) salesSkipped += count;
    }
    if (options.onProgress && now - lastProgress >= 1000) {
      lastProgress = now;
      options.onProgress(report());
    }
    await sleep(TICK_MS);
  }
  await Promise.allSettled([...inFlight]);
  agent.destroy();
  return report();
}

/**
 * Issues one credential per branch for a simulation (label `simulator`), taking
 * branches from the catalogue in order; more tills than branches reuse branches.
 */
export async function issueSimulatorTills(
  issue: (branch: string) => Promise<{ tillId: string; token: string; branch: string }>,
  branches: readonly string[],
  count: number,
): Promise<SimulatedTill[]> {
  if (branches.length === 0) throw new RangeError('no branches to simulate');
  const tills: SimulatedTill[] = [];
  for (let index = 0; index < count; index++) {
    const issued = await issue(branches[index % branches.length] ?? '');
    tills.push({ tillId: issued.tillId, secret: issued.token.slice(issued.tillId.length + 1), branch: issued.branch });
  }
  return tills;
}
