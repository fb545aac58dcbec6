import { spawn } from 'node:child_process';
import { sampleProcessTree, type ProcessRole } from './process-cpu.js';

/**
 * Peak resident memory (VmHWM) of a command and of each process it starts, by
 * role, sampled from /proc while it runs: the ingest's own process (the producer,
 * what the ingest Lambda runs) and its consumer process (the transform Lambda's
 * work) are sized separately; PostgreSQL, the warehouse server, is left out.
 */
export async function runMeasuringPeakRss(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ peakRssBytes: Partial<Record<ProcessRole, number>>; seconds: number; exitCode: number | null }> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const peak: Partial<Record<ProcessRole, number>> = {};
  const sample = () => {
    if (child.pid === undefined) return;
    for (const process of sampleProcessTree(child.pid)) peak[process.role] = Math.max(peak[process.role] ?? 0, process.peakRssBytes);
  };
  const timer = setInterval(sample, 100);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(timer);
  return { peakRssBytes: peak, seconds: (performance.now() - started) / 1000, exitCode };
}
