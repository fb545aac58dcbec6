import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuByRole, sampleProcessTree } from './process-cpu.js';

describe('cpuByRole', () => {
  it('counts the CPU of a child that starts and ends between two samples', () => {
    // Arrange
    const before = sampleProcessTree();
    // Act: a child burns about 0.4 s of CPU, ends and is reaped before the second sample
    const child = spawnSync(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);']);
    const used = cpuByRole(before, sampleProcessTree());
    // Assert: it is gone from the tree, but not from this process's account of its children
    expect(child.status).toBe(0);
    expect(used.producer).toBeGreaterThanOrEqual(0.3);
  });

  it('counts no CPU twice, and none from before the first sample', () => {
    // Arrange: a child that used CPU and ended before either sample
    spawnSync(process.execPath, ['-e', 'const end = Date.now() + 300; while (Date.now() < end);']);
    // Act
    const used = cpuByRole(sampleProcessTree(), sampleProcessTree());
    // Assert
    expect(Object.values(used).reduce((sum, seconds) => sum + seconds, 0)).toBeLessThan(0.05);
  });
});
