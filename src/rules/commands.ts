/**
 * `trailproof rules list|validate|test|docs`, as functions the CLI calls and prints. Invalid rule
 * or test files throw UserErrors (the CLI prints them and exits 2).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrailproofConfig } from '../config/types.ts';
import type { CommandOutcome } from './command-outcome.ts';
import { loadRules, type LoadedRule } from './load.ts';
import { atLeastOneRule } from './load/read.ts';
import { ruleDocFiles } from './rule-docs.ts';
import { formatRuleTestReport, readRuleTests, runRuleTests, testFileFor } from './rule-tests.ts';

/** Every rules command works on at least one rule: an empty pack is a wrong path, never a pass. */
async function loadSomeRules(paths: string[], config: TrailproofConfig): Promise<LoadedRule[]> {
  return atLeastOneRule(await loadRules(paths, config, { keepDisabled: true }), paths);
}

/** Rule files and, where present, their test files. */
export async function rulesValidate(paths: string[], config: TrailproofConfig, _options: Record<string, unknown> = {}): Promise<CommandOutcome> {
  const rules = await loadSomeRules(paths, config);
  let tested = 0;
  for (const rule of rules) {
    const file = testFileFor(rule);
    if (!existsSync(file)) continue;
    readRuleTests(file, rule.meta.id);
    tested++;
  }
  return { output: `${rules.length} rule${rules.length === 1 ? '' : 's'} valid (${tested} with test files)\n`, exitCode: 0 };
}

/** Exit 1 when any case fails or a rule has no test file. */
export async function rulesTest(paths: string[], config: TrailproofConfig, _options: Record<string, unknown> = {}): Promise<CommandOutcome> {
  const report = await runRuleTests(paths, config, await loadSomeRules(paths, config));
  return { output: formatRuleTestReport(report), exitCode: report.failed > 0 ? 1 : 0 };
}

/**
 * Writes docs/rules/<id>.md and README.md into `options.out` (default docs/rules); with `check`,
 * writes nothing and exits 1 when a page is missing or out of date (for CI).
 */
export async function rulesDocs(paths: string[], config: TrailproofConfig, options: { out?: string; check?: boolean } = {}): Promise<CommandOutcome> {
  const out = options.out ?? join('docs', 'rules');
  const rules = await loadSomeRules(paths, config);
  const files = ruleDocFiles(rules);
  const stale: string[] = [];
  for (const [name, content] of files) {
    const path = join(out, name);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === content) continue;
    stale.push(path);
    if (!options.check) {
      mkdirSync(out, { recursive: true });
      writeFileSync(path, content);
    }
  }
  if (options.check) {
    return stale.length
      ? { output: `out of date (run \`trailproof rules docs\`):\n${stale.map((s) => `  ${s}`).join('\n')}\n`, exitCode: 1 }
      : { output: `${files.size} doc pages up to date\n`, exitCode: 0 };
  }
  return { output: `${stale.length} of ${files.size} doc pages written to ${out}\n`, exitCode: 0 };
}
