import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends a run with one line per reason tests were skipped for (`context.skip(note)`),
 * with how many and where, so a skipped tier (the browser tests without Chromium)
 * says why and what to install in the run's summary instead of passing silently.
 */
export default class SkipSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byNote = new Map<string, { tests: number; files: Set<string> }>();
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' ? result.note : undefined;
        if (!note) continue;
        const entry = byNote.get(note) ?? { tests: 0, files: new Set<string>() };
        entry.tests++;
        entry.files.add(module.relativeModuleId);
        byNote.set(note, entry);
      }
    }
    for (const [note, { tests, files }] of byNote) {
      console.log(`\n  Skipped ${tests} test${tests === 1 ? '' : 's'} (${[...files].join(', ')}): ${note}`);
    }
  }
}
