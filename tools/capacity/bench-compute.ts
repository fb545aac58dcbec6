import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { gbSecondsFromCpu } from './plan-inputs.js';

/**
 * Measured Lambda compute per 1M sales, from the bench (issue 18 item 3). The
 * bench writes it into `test-output/bench/bench.json` (or any JSON file) under
 * the key `lambdaPerMillionSales`; other keys of the file are ignored:
 *
 * ```json
 * {
 *   "lambdaPerMillionSales": {
 *     "measuredAt": "2026-12-01T10:00:00Z",
 *     "ingest":   { "cpuSeconds": 66, "memoryMb": 1769, "gbSeconds": 114 },
 *     "consumer": { "cpuSeconds": 58,  "memoryMb": 512 }
 *   }
 * }
 * ```
 *
 * Per function, `gbSeconds` (billed GB-seconds per 1M sales, handler only) is
 * used when present; otherwise `cpuSeconds` (CPU-seconds per 1M sales) is
 * converted at Lambda's one vCPU per 1,769 MB for `memoryMb` (512 when absent).
 */
const FunctionComputeSchema = z
  .object({
    gbSeconds: z.number().positive().optional(),
    cpuSeconds: z.number().positive().optional(),
    memoryMb: z.number().int().min(128).max(10_240).optional(),
  })
  .refine((value) => value.gbSeconds !== undefined || value.cpuSeconds !== undefined, { message: 'needs gbSeconds or cpuSeconds' });

export const BenchComputeSchema = z.object({
  lambdaPerMillionSales: z.object({
    measuredAt: z.string().optional(),
    ingest: FunctionComputeSchema,
    consumer: FunctionComputeSchema,
  }),
});

export type BenchCompute = z.infer<typeof BenchComputeSchema>;

/** GB-seconds per 1M sales for the ingest and consumer handlers. */
export interface LambdaCompute {
  readonly ingestGbSecondsPerMillionSales: number;
  readonly consumerGbSecondsPerMillionSales: number;
  readonly measuredAt?: string;
}

function gbSeconds(compute: z.infer<typeof FunctionComputeSchema>): number {
  return compute.gbSeconds ?? gbSecondsFromCpu(compute.cpuSeconds as number, compute.memoryMb ?? 512);
}

/** Lambda compute from a parsed bench JSON document; throws a ZodError naming the missing field. */
export function lambdaComputeFromBench(json: unknown): LambdaCompute {
  const { lambdaPerMillionSales: measured } = BenchComputeSchema.parse(json);
  return {
    ingestGbSecondsPerMillionSales: gbSeconds(measured.ingest),
    consumerGbSecondsPerMillionSales: gbSeconds(measured.consumer),
    measuredAt: measured.measuredAt,
  };
}

/**
 * Reads Lambda compute from a bench JSON file.
 * @throws Error naming the file when it is missing, not JSON, or lacks `lambdaPerMillionSales`
 */
export function readBenchCompute(path: string): LambdaCompute {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read bench results ${path}`, { cause: error });
  }
  const parsed = BenchComputeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'not a bench result'} (expected lambdaPerMillionSales.ingest and .consumer with gbSeconds or cpuSeconds)`);
  }
  return lambdaComputeFromBench(parsed.data);
}
