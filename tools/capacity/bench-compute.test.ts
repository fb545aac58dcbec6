import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lambdaComputeFromBench, readBenchCompute } from './bench-compute.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/bench-cpu.json', import.meta.url));

describe('Function: readBenchCompute', () => {
  it('takes GB-seconds as measured and converts CPU-seconds at one vCPU per 1,769 MB', () => {
    // Act
    const compute = readBenchCompute(FIXTURE);
    // Assess
    expect(compute).toEqual({ ingestGbSecondsPerMillionSales: (100 * 1769) / 1024, consumerGbSecondsPerMillionSales: 150, measuredAt: '2026-12-01T10:00:00Z' });
  });

  it('bills memory above 1,769 MB in full (one thread cannot use more than a vCPU)', () => {
    // Act
    const compute = lambdaComputeFromBench({ lambdaPerMillionSales: { ingest: { cpuSeconds: 100, memoryMb: 3538 }, consumer: { cpuSeconds: 10 } } });
    // Assess
    expect(compute.ingestGbSecondsPerMillionSales).toBeCloseTo((100 * 3538) / 1024, 9);
    expect(compute.consumerGbSecondsPerMillionSales).toBeCloseTo((10 * 1769) / 1024, 9);
  });

  it('names the file and the missing field when the bench has no Lambda compute', () => {
    // Assess
    expect(() => readBenchCompute('/nonexistent/bench.json')).toThrow(/cannot read bench results \/nonexistent\/bench.json/);
    expect(() => lambdaComputeFromBench({ lambdaPerMillionSales: { ingest: {}, consumer: { gbSeconds: 1 } } })).toThrow(/needs gbSeconds or cpuSeconds/);
  });
});
