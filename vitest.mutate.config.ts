import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests Stryker runs against mutants of src/model/ and src/rules/ (see stryker.config.mjs).
 * Left out: test/cli/ (drives the CLI, mostly in a child process where a mutant is never active,
 * and end to end where the unit tests already cover the same code), the real-Chromium HTML test,
 * the live-endpoint test and the benchmarks: minutes per dry run that kill nothing in these folders.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/unit/**/*.test.ts', 'test/rule-pack.test.ts'],
    exclude: ['test/bench/**', 'test/browser/**', 'test/integration/**', 'test/cli/**', 'node_modules/**'],
  },
});
