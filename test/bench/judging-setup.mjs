// What the model-stage and judging-rounds harnesses share: a built checkout's modules, its
// configuration and rules, a snapshot's records read once and the index built from them, and the
// callgrind switch (TOGGLE=1 under `valgrind --tool=callgrind --instr-atstart=no`).
import { execSync } from 'node:child_process';

export async function judgingSetup(root, file) {
  const { openSnapshot } = await import(`${root}/dist/snapshot/read.js`);
  const { IndexBuilder, subjectsForAccount, organizationSubject } = await import(`${root}/dist/model/index.js`);
  const { loadConfig } = await import(`${root}/dist/config/load.js`);
  const { loadRules } = await import(`${root}/dist/rules/load.js`);
  const { modelOptions } = await import(`${root}/dist/rules/model-options.js`);
  const config = loadConfig();
  const rules = await loadRules(config.rules.paths, config);
  const source = await openSnapshot(file);
  const records = [];
  const builder = new IndexBuilder(source.header, modelOptions(config, rules));
  for await (const { record } of source.numberedRecords()) {
    builder.add(record);
    records.push(record);
  }
  const toggle = (on) => {
    if (process.env.TOGGLE) execSync(`callgrind_control -i ${on} ${process.pid}`, { stdio: 'ignore' });
  };
  return { rules, records, index: builder.finish(), subjectsForAccount, organizationSubject, toggle };
}
