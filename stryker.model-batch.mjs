// One batch of `src/model/` mutants on a shared machine (a slice of `npm run mutate`, see stryker.config.mjs):
//   MUTATE_BATCH=retention nice -n 10 npx stryker run stryker.model-batch.mjs --mutate 'src/model/retention.ts'
// Without the TypeScript checker (on scp-match.ts it added a 2 min start and had not finished 60 mutants in 7 min, against 130 s without it),
// and with static mutants (code run at module load, covered by no single test) left out of the run;
// set MUTATE_CHECKER=1 to type-check mutants as `npm run mutate` does.
import base from './stryker.config.mjs';

const batch = process.env.MUTATE_BATCH ?? 'model-batch';
export default {
  ...base,
  checkers: process.env.MUTATE_CHECKER ? ['typescript'] : [],
  ignoreStatic: true,
  incrementalFile: `reports/mutation/${batch}-incremental.json`,
  reporters: ['clear-text', 'json'],
  jsonReporter: { fileName: `reports/mutation/${batch}.json` },
};
