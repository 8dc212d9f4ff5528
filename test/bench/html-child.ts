/**
 * The HTML renderer measured alone: evaluates a synthetic organization of N accounts (or a
 * snapshot file), then times writing the HTML report and reports the RSS before it and the peak.
 * Usage: node --import tsx test/bench/html-child.ts ACCOUNTS|SNAPSHOT OUT_DIR
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { generateOrg } from './generate-org.ts';
import { report, startMeasure } from './measure.ts';
import { writeSyntheticSnapshot } from './org-snapshot.ts';

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) throw new Error('usage: html-child.ts ACCOUNTS|SNAPSHOT OUT_DIR');
let file = input;
if (!existsSync(input)) {
  file = join(outDir, `org-${input}.snapshot.jsonl`);
  await writeSyntheticSnapshot(generateOrg({ accounts: Number(input) }), file);
}
const source = await openSnapshot(file, { validate: 'first-pass' });
const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
const result = await evaluateSnapshot(source, { config: DEFAULT_CONFIG, rules });
const rssBefore = process.memoryUsage().rss / 2 ** 20;
const done = startMeasure();
const written = await writeReports(result, ['html'], join(outDir, 'html'), {});
const measured = done();
report({
  accounts: result.scope.accountIds.length,
  verdicts: result.verdicts.length,
  html_render_s: measured.wall_s,
  html_cpu_s: measured.cpu_s,
  rss_before_html_mb: Math.round(rssBefore),
  rss_peak_mb: Math.round(measured.rss_mb),
  files: written.length,
  bytes: written.reduce((n, w) => n + w.bytes, 0),
  largest_file_bytes: Math.max(...written.map((w) => w.bytes)),
});
