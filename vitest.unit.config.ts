import { defineConfig } from 'vitest/config';

/**
 * The fast tier: the unit tests beside the code, the field cases and the file
 * accounting property, none of which starts PostgreSQL, kinesalite or a browser.
 * Stryker runs this tier for every mutant (stryker.config.json); `npm run test:unit`
 * runs it for development. `npm test` runs every tier (vitest.config.ts).
 */
export default defineConfig({
  test: {
    include: ['{contracts,consumers,producers,common,tools}/**/*.test.ts', 'test/field/**/*.test.ts', 'test/property/file-accounting.property.test.ts'],
    exclude: ['node_modules/**', '.stryker-tmp/**', 'producers/till-api/idempotency/idempotency-store.test.ts'],
    testTimeout: 60_000,
    setupFiles: ['test/helpers/quiet-warnings.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
