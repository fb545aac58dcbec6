import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; e2e, property, infra and browser tiers live under test/.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'cdk.out/**', '.supercafe/**', '.stryker-tmp/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['test/helpers/quiet-warnings.ts'],
    // The default report, then one line per reason tests were skipped (e.g. no Chromium, and how to install it).
    reporters: ['default', './test/helpers/skip-summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
