import { describe, expect, it } from 'vitest';
import { profileWindow, type CpuProfile } from './cpu-profile.js';

describe('profileWindow', () => {
  it('keeps the samples taken inside the window, timed from its start', () => {
    // Samples at 110, 120, 150, 300 µs from a start of 100.
    const profile: CpuProfile = { nodes: [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1, columnNumber: -1 } }], startTime: 100, endTime: 310, samples: [1, 2, 3, 4], timeDeltas: [10, 10, 30, 150] };
    const cut = profileWindow(profile, 115, 200);
    expect(cut).toMatchObject({ startTime: 115, endTime: 200, samples: [2, 3], timeDeltas: [5, 30] });
    expect(profileWindow(profile, 400, 500).samples).toEqual([]);
  });
});
