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
 *
 * MUTATE_SKIP_PIPELINE=1 also leaves out the tests that run the whole pipeline (demo organization →
 * evaluation → reports, evidence packs, CLI commands in-process). They execute nearly every line of
 * src/model/, so every mutant there counts them as covering tests and each surviving mutant runs all
 * of them: ~28 s of CPU per survivor of src/model/trails.ts against <1 s with the model's own unit
 * tests. The score without them is a lower bound (fewer tests can only kill fewer mutants); use it for
 * src/model/ batches, not for src/rules/, where these tests are the ones that exercise the rules.
 *
 * MUTATE_TESTS=<file>,<file>,... runs only those test files (a batch's own tests: the files that import
 * the mutated modules). Under load this is what lets a batch finish; the score is again a lower bound.
 */
const PIPELINE_TESTS = [
  'test/unit/evidence-kms.test.ts',
  'test/unit/exceptions-cli.test.ts',
  'test/unit/frameworks.test.ts',
  'test/unit/report-trend.test.ts',
  'test/unit/rule-author-contracts.test.ts',
  'test/unit/rules-commands.test.ts',
  'test/unit/snapshot-scope.test.ts',
  'test/unit/verdict-spool.test.ts',
];

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',').filter(Boolean) : ['test/unit/**/*.test.ts', 'test/rule-pack.test.ts'],
    exclude: [
      'test/bench/**',
      'test/browser/**',
      'test/integration/**',
      'test/cli/**',
      'test/unit/parallel-evaluate.test.ts',
      'test/unit/shard-merge.test.ts',
      'test/unit/evidence-pack-verify.test.ts',
      'node_modules/**',
      ...(process.env.MUTATE_SKIP_PIPELINE ? PIPELINE_TESTS : []),
    ],
  },
});
