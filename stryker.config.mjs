// Mutation testing of the model and the rules engine: `npm run mutate` (docs/testing.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  // Stryker heads sandbox files with `// @ts-nocheck`; generated files are compared with their generator's
  // output by tests (fact-declarations.test.ts), hold no code to mutate, and so keep their bytes.
  disableTypeChecks: '{src,test}/**/!(*.generated).ts',
  mutate: ['src/model/**/*.ts', 'src/rules/**/*.ts'],
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: 'perTest',
  // Re-runs test only the mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  // The machine is shared; raise it with `npm run mutate -- --concurrency 2` on an idle one.
  concurrency: 1,
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'test/artifacts', '.stryker-tmp'],
};
