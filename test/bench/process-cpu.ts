import { readFileSync } from 'node:fs';

/** The processes of the local stack, told apart by what they run. */
export type ProcessRole = 'producer' | 'consumer' | 'kinesalite' | 'postgres' | 'other';

export interface ProcessSample {
  readonly pid: number;
  readonly role: ProcessRole;
  /** User + system CPU seconds used so far. */
  readonly cpuSeconds: number;
  /**
   * CPU seconds of its children that have ended and been reaped (`cutime` +
   * `cstime`): a PostgreSQL backend that closes, or an autovacuum worker that
   * comes and goes, between two samples is gone from the tree but not from its
   * parent's account.
   */
  readonly reapedCpuSeconds: number;
  /** Peak resident memory so far (VmHWM). */
  readonly peakRssBytes: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function roleOf(pid: number, root: number): ProcessRole {
  if (pid === root) return 'producer';
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  if (command.includes('consumer-process')) return 'consumer';
  if (command.includes('kinesalite')) return 'kinesalite';
  if (command.startsWith('postgres') || command.includes('/postgres')) return 'postgres';
  return 'other';
}

/** The process and all its descendants, from /proc (Linux). Processes that end while read are skipped. */
export function sampleProcessTree(root: number = process.pid): ProcessSample[] {
  const samples: ProcessSample[] = [];
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      samples.push({
        pid,
        role: roleOf(pid, root),
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
        reapedCpuSeconds: (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS,
        peakRssBytes: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024,
      });
      for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean)) visit(Number(child));
    } catch {
      // gone
    }
  };
  visit(root);
  return samples;
}

/** CPU seconds per role of a sample: every live process's own, and that of the ended children it reaped. */
export function cpuSecondsByRole(samples: readonly ProcessSample[]): Record<ProcessRole, number> {
  const totals: Record<ProcessRole, number> = { producer: 0, consumer: 0, kinesalite: 0, postgres: 0, other: 0 };
  for (const sample of samples) totals[sample.role] += sample.cpuSeconds + sample.reapedCpuSeconds;
  return totals;
}

/**
 * CPU seconds per role used between two samples of the same tree. Totals, not
 * process by process: a process that ends between the samples leaves the tree,
 * and its CPU moves to its parent's reaped account, so the difference of the
 * totals still counts what it used in between (and none of what it used before).
 * A child reaped by a process of another role is counted in its parent's role.
 */
export function cpuByRole(before: readonly ProcessSample[], after: readonly ProcessSample[]): Record<ProcessRole, number> {
  const [start, end] = [cpuSecondsByRole(before), cpuSecondsByRole(after)];
  return Object.fromEntries(Object.entries(end).map(([role, seconds]) => [role, seconds - start[role as ProcessRole]])) as Record<ProcessRole, number>;
}

/** CPU this process has used (user + system, all its threads), in µs: what each step timed in the bench's own process reads. */
export const ownCpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};
