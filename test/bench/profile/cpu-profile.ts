import { Session } from 'node:inspector/promises';

/** A V8 CPU profile (`.cpuprofile`, as `node --cpu-prof` writes it). */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

/**
 * Profiles this process while `work` runs (the inspector's sampling profiler, the
 * one `--cpu-prof` uses), sampling every `intervalUs` microseconds.
 */
export async function profileWhile<T>(work: () => Promise<T>, intervalUs = 250): Promise<{ result: T; profile: CpuProfile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile: profile as CpuProfile };
  } finally {
    session.disconnect();
  }
}

/** Now on the clock V8's profiles are timed by (the monotonic clock, in µs): the same in every process of this machine. */
export const profileClockUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * The part of a profile sampled from `fromUs` to `toUs` (`profileClockUs`): a
 * whole-process profile (`--cpu-prof`) cut to the run that was measured, without
 * the process's start-up and warm-up. Nodes are kept (those left with no samples
 * count nothing); a profile without sample times is returned as it is.
 */
export function profileWindow(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const { samples, timeDeltas } = profile;
  if (!samples || !timeDeltas || samples.length !== timeDeltas.length) return profile;
  const kept: number[] = [];
  const deltas: number[] = [];
  let at = profile.startTime;
  let previous = Math.max(profile.startTime, fromUs);
  for (let index = 0; index < samples.length; index++) {
    at += timeDeltas[index] as number;
    if (at < fromUs || at > toUs) continue;
    kept.push(samples[index] as number);
    deltas.push(at - previous);
    previous = at;
  }
  const startTime = Math.max(profile.startTime, fromUs);
  return { ...profile, startTime, endTime: Math.max(startTime, Math.min(profile.endTime, toUs)), samples: kept, timeDeltas: deltas };
}
