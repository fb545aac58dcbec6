import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuByRole, sampleProcessTree } from './process-cpu.js';

/** A script that spins until its process has used `seconds` of CPU. */
const BURN = (seconds: number) => `while (process.cpuUsage().user < ${seconds * 1e6});`;

describe('cpuByRole', () => {
  it('counts the CPU of a child that starts and ends between two samples', () => {
    // Arrange
    const before = sampleProcessTree();
    // Act: a child burns 0.4 s of CPU (its own clock, so a busy machine cannot shorten it), ends and is reaped
    const child = spawnSync(process.execPath, ['-e', BURN(0.4)]);
    const used = cpuByRole(before, sampleProcessTree());
    // Assert: it is gone from the tree, but not from this process's account of its children
    expect(child.status).toBe(0);
    expect(used.producer).toBeGreaterThanOrEqual(0.3);
  });

  it('counts no CPU twice, and none from before the first sample', () => {
    // Arrange: a child that used CPU and ended before either sample
    spawnSync(process.execPath, ['-e', BURN(0.3)]);
    // Act
    const used = cpuByRole(sampleProcessTree(), sampleProcessTree());
    // Assert
    expect(Object.values(used).reduce((sum, seconds) => sum + seconds, 0)).toBeLessThan(0.05);
  });
});
