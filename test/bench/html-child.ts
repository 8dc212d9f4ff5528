/**
 * The HTML renderer measured alone: evaluates a synthetic organization of N accounts (or a
 * snapshot file), then times writing the HTML report and reports the RSS before it and the peak.
 * With a REPLICAS count the evaluated organization is repeated that many times under new account
 * ids, its verdicts streamed (never held twice), to measure the renderer at sizes the evaluation
 * cannot reach in memory yet (10,000 accounts × 10 = 100,000).
 * Usage: node --import tsx test/bench/html-child.ts ACCOUNTS|SNAPSHOT OUT_DIR [REPLICAS]
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
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';

/** Copy k of an account id: a distinct 12-digit id per copy. */
const copyId = (id: string, k: number) => (k === 0 ? id : `9${String(k).padStart(2, '0')}${id.slice(3)}`);

/** The organization `times` times over; verdicts stay in canonical order (by rule, then copy). */
function replicate(result: ScanResult, times: number): ScanResult {
  if (times <= 1) return result;
  const original = [...result.verdicts];
  const verdicts = {
    length: original.length * times,
    *[Symbol.iterator](): Generator<Verdict> {
      let start = 0;
      while (start < original.length) {
        let end = start;
        while (end < original.length && original[end]!.ruleId === original[start]!.ruleId) end++;
        for (let k = 0; k < times; k++) {
          for (let i = start; i < end; i++) {
            const v = original[i]!;
            const accountId = copyId(v.resource.accountId, k);
            yield { ...v, resource: { ...v.resource, accountId, id: v.resource.type === 'account' ? accountId : `${v.resource.id}#${k}` } };
          }
        }
        start = end;
      }
    },
  };
  const accounts = Array.from({ length: times }, (_, k) => result.accounts.map((a) => ({ ...a, id: copyId(a.id, k) }))).flat();
  // The bench streams the verdicts as the VerdictList contract allows (iterable with a length).
  return { ...result, accounts, verdicts: verdicts as unknown as Verdict[], scope: { ...result.scope, accountIds: accounts.map((a) => a.id) } };
}

const [input, outDir, replicas = '1'] = process.argv.slice(2);
if (!input || !outDir) throw new Error('usage: html-child.ts ACCOUNTS|SNAPSHOT OUT_DIR');
let file = input;
if (!existsSync(input)) {
  file = join(outDir, `org-${input}.snapshot.jsonl`);
  await writeSyntheticSnapshot(generateOrg({ accounts: Number(input) }), file);
}
const source = await openSnapshot(file, { validate: 'first-pass' });
const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
const result = replicate(await evaluateSnapshot(source, { config: DEFAULT_CONFIG, rules }), Number(replicas));
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
