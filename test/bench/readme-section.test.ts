import { describe, expect, it } from 'vitest';
import { BENCH_SECTION, replaceBenchSection } from './readme-section.js';

describe('Function: replaceBenchSection', () => {
  it('replaces only what lies between the markers', () => {
    // Prepare
    const readme = `# Title\n\nprose before\n${BENCH_SECTION.start}\nold table\n${BENCH_SECTION.end}\nprose after\n`;
    // Act
    const written = replaceBenchSection(readme, '| new | table |\n');
    // Assess
    expect(written).toBe(`# Title\n\nprose before\n${BENCH_SECTION.start}\n| new | table |\n${BENCH_SECTION.end}\nprose after\n`);
    expect(replaceBenchSection(written, '| new | table |')).toBe(written);
  });

  it('refuses a README without both markers in order, naming them', () => {
    expect(() => replaceBenchSection('# no markers', 'x')).toThrow(/no bench section: add the lines <!-- bench:results:start/);
    expect(() => replaceBenchSection(`${BENCH_SECTION.end}\n${BENCH_SECTION.start}`, 'x')).toThrow(/no bench section/);
  });
});
