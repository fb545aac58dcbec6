import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Peak resident memory (VmHWM) of a child process, sampled from /proc while it runs. */
export async function runMeasuringPeakRss(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ peakRssBytes: number; seconds: number; exitCode: number | null }> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  let peak = 0;
  const sample = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peak = Math.max(peak, kb * 1024);
  };
  const timer = setInterval(() => void sample(), 100);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(timer);
  return { peakRssBytes: peak, seconds: (performance.now() - started) / 1000, exitCode };
}
