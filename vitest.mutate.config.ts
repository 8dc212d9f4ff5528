import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The tests Stryker runs against mutants of src/model/ and src/rules/ (see stryker.config.mjs).
 * Left out, because they cannot kill a mutant there and cost most of the run:
 * - test/cli/, the real-Chromium HTML test, the live-endpoint test and the benchmarks: the CLI runs
 *   mostly in a child process, where a mutant is never active;
 * - the tests that compare two runs of the same code (worker threads vs one thread, shards merged
 *   vs one run, an evidence pack vs its own verification): a mutant changes both sides alike.
 *   They scan a whole organization in `beforeAll`, which makes nearly every mutant of src/model/
 *   "static" (covered outside any one test), so Stryker would run every test for every mutant.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/unit/**/*.test.ts', 'test/rule-pack.test.ts'],
    exclude: [
      'test/bench/**',
      'test/browser/**',
      'test/integration/**',
      'test/cli/**',
      'test/unit/parallel-evaluate.test.ts',
      'test/unit/shard-merge.test.ts',
      'test/unit/evidence-pack-verify.test.ts',
      'node_modules/**',
    ],
  },
});
