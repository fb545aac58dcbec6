import { describe, expect, it } from 'vitest';
import type { CpuProfile } from './cpu-profile.js';
import { busyMs } from './flame-graph.js';

describe('busyMs', () => {
  const work = { id: 2, callFrame: { functionName: 'work', url: 'file:///repo/a.ts', lineNumber: 0, columnNumber: 0 }, hitCount: 4 };
  const root = { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] };

  it('counts each sample as the time to the next one', () => {
    const profile: CpuProfile = { nodes: [root, work], startTime: 0, endTime: 4000, samples: [2, 2, 2, 2], timeDeltas: [1000, 1000, 1000, 1000] };
    expect(busyMs(profile)).toBe(4);
  });

  it('counts nothing for a profile cut to a window that held no samples, whatever its hit counts say', () => {
    const profile: CpuProfile = { nodes: [root, work], startTime: 0, endTime: 4000, samples: [], timeDeltas: [] };
    expect(busyMs(profile)).toBe(0);
  });
});
