// A snapshot evaluated once by a built checkout's dist/ (its built-in rules and default config),
// for benches that then time or inspect the report writers on the same verdicts.
import { resolve } from 'node:path';

/**
 * `root`: the checkout (the process moves into it: rules and config are found from there).
 * `spoolRunVerdicts`: verdicts per spooled run (undefined: the CLI's default, in memory for a
 * small organization). Returns the scan result and that checkout's writeReports.
 */
export async function evaluatedOnce(snapshot, root, spoolRunVerdicts) {
  const { writeReports } = await import(`${root}/dist/report/write.js`);
  const { loadConfig } = await import(`${root}/dist/config/load.js`);
  const { loadRules } = await import(`${root}/dist/rules/load.js`);
  const { openSnapshot } = await import(`${root}/dist/snapshot/read.js`);
  const { evaluateSnapshot } = await import(`${root}/dist/evaluate/pipeline.js`);
  const snapshotFile = resolve(snapshot);
  process.chdir(root);
  const config = loadConfig(undefined);
  const source = await openSnapshot(snapshotFile, { validate: 'first-pass' });
  const rules = await loadRules(config.rules.paths, config);
  const result = await evaluateSnapshot(source, { config, rules, workers: 1, ...(spoolRunVerdicts ? { spoolRunVerdicts } : {}) });
  return { result, writeReports };
}
