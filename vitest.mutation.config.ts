import { defineConfig, mergeConfig } from 'vitest/config';
import unit from './vitest.unit.config.js';

/**
 * The tier Stryker runs for each mutant (stryker.config.json): the fast tier less
 * the tools' own tests. Those test the tooling, not the folders mutated, and two of
 * them (the till simulator's child processes, the anonymiser over every sample
 * file) take about 5 s each: on every mutant they happen to cover, that was most of
 * the run.
 */
export default mergeConfig(
  unit,
  defineConfig({
    test: {
      exclude: [...(unit.test?.exclude ?? []), 'tools/**'],
    },
  }),
);
