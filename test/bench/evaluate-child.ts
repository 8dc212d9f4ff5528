/**
 * One evaluation measurement, alone in its process so its peak RSS is its own: what
 * `trailproof scan --snapshot FILE --format json,sarif` does (validating the snapshot during the
 * model's first pass, on one thread by default), minus argument parsing.
 * Usage: node --import tsx test/bench/evaluate-child.ts SNAPSHOT OUT_DIR
 */
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { report, startMeasure } from './measure.ts';

const [file, outDir] = process.argv.slice(2);
if (!file || !outDir) throw new Error('usage: evaluate-child.ts SNAPSHOT OUT_DIR');
const done = startMeasure();
const source = await openSnapshot(file, { validate: 'first-pass' });
const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
const result = await evaluateSnapshot(source, { config: DEFAULT_CONFIG, rules });
const written = await writeReports(result, ['json', 'sarif'], outDir, {});
report({ ...done(), accounts: result.scope.accountIds.length, verdicts: result.verdicts.length, rules: rules.length, reportBytes: written.reduce((n, w) => n + w.bytes, 0) });
