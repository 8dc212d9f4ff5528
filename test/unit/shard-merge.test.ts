/**
 * Sharding end to end: a generated organization scanned whole and as 3 shards (through the CLI,
 * as a CI matrix would), the shard reports merged with `report merge`: the merged JSON and SARIF
 * must be byte-identical to the unsharded scan's.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { parseJsonReport } from '../../src/report/json.ts';
import { mergeShardReports } from '../../src/evaluate/merge.ts';
import { renderHtmlFiles, HTML_LAYOUT } from '../../src/report/html.ts';
import { listFormatters } from '../../src/report/registry.ts';
import type { Formatter } from '../../src/report/types.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { loadRules } from '../../src/rules/load.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';
import { runCli } from '../cli/run-cli.ts';

const SHARDS = 3;
let dir: string;
let snapshot: string;
let config: string;
let whole: ScanResult;

/** The real CLI in a child process, as each job of a CI matrix would run it. */
async function cli(...args: string[]): Promise<number> {
  const run = runCli([...args, '-q']);
  if (run.status === 2 || run.status > 3) process.stderr.write(run.stderr);
  return run.status;
}

const read = (file: string) => readFileSync(file, 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-shard-'));
  snapshot = join(dir, 'org.snapshot.jsonl.gz');
  // An unreadable SCP puts a collection error in the snapshot header (not in any account line).
  await writeSyntheticSnapshot(generateOrg({ accounts: 60, seed: 11, unreadablePolicies: ['DenyLeaveOrganization'] }), snapshot);
  // The built-in pack has no organization-level rule; this one gives the organization a verdict.
  const ruleDir = join(dir, 'rules');
  mkdirSync(ruleDir);
  writeFileSync(
    join(ruleDir, 'org-scp-enabled.yaml'),
    ['id: org-scp-enabled', 'title: SCPs are enabled', 'severity: low', 'resource: organization', 'validations:', '  - expression: organization.scpEnabled', '    message: SCPs are not enabled', 'remediation: Enable the SCP policy type on the root.', ''].join('\n'),
  );

  // Exceptions that make shards disagree unless merged correctly: one that matches a FAIL in a
  // single shard (stale in the others), one that has expired, one that matches nothing.
  const rules = await loadRules(['builtin', ruleDir], DEFAULT_CONFIG);
  const probe = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules });
  const fail = [...probe.verdicts].find((v) => v.status === 'FAIL' && v.resource.type === 'account')!;
  config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `rules: { paths: [builtin, "${ruleDir}"] }`,
      'exceptions:',
      `  - { rule: ${fail.ruleId}, resource: "${fail.resource.id}", reason: accepted, approver: ciso@example.com, expires: 2099-12-31 }`,
      `  - { rule: ${fail.ruleId}, resource: "*", reason: old waiver, approver: ciso@example.com, expires: 2020-01-01 }`,
      '  - { rule: cloudtrail-log-file-validation, resource: "999999999999", reason: gone, approver: ciso@example.com, expires: 2099-12-31 }',
      '',
    ].join('\n'),
  );

  expect(await cli('scan', '--snapshot', snapshot, '-c', config, '--out', join(dir, 'whole'), '--format', 'json,sarif')).not.toBe(2);
  whole = parseJsonReport(read(join(dir, 'whole', 'trailproof.json')), 'whole');
  for (let k = 1; k <= SHARDS; k++) {
    expect(await cli('scan', '--snapshot', snapshot, '-c', config, '--shard', `${k}/${SHARDS}`, '--out', join(dir, `shard-${k}`), '--format', 'json')).not.toBe(2);
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shardReport = (k: number) => parseJsonReport(read(join(dir, `shard-${k}`, 'trailproof.json')), `shard ${k}`);

describe('scan --shard K/N', () => {
  it('splits the accounts into disjoint, non-empty shards that cover the organization', () => {
    const shards = [1, 2, 3].map(shardReport);
    for (const s of shards) expect(s.scope.accountIds.length).toBeGreaterThan(0);
    const union = shards.flatMap((s) => s.scope.accountIds).sort();
    expect(union).toEqual(whole.scope.accountIds);
    expect(new Set(union).size).toBe(union.length);
  });

  it('emits the organization-level verdicts and header errors in shard 1 only', () => {
    const orgVerdicts = (r: ScanResult) => [...r.verdicts].filter((v) => v.resource.type === 'organization');
    expect(orgVerdicts(whole).length).toBeGreaterThan(0);
    expect(orgVerdicts(shardReport(1))).toEqual(orgVerdicts(whole));
    expect(orgVerdicts(shardReport(2))).toEqual([]);
    expect(orgVerdicts(shardReport(3))).toEqual([]);
    const headerErrors = (r: ScanResult) => r.errors.filter((e) => e.operation === 'organizations:DescribePolicy');
    expect(headerErrors(whole)).toHaveLength(1);
    expect(headerErrors(shardReport(1))).toEqual(headerErrors(whole));
    expect([...headerErrors(shardReport(2)), ...headerErrors(shardReport(3))]).toEqual([]);
  });

  it('exercises exception notes that differ between shards', () => {
    const stale = (r: ScanResult) => r.exceptionNotes.filter((n) => n.kind === 'stale').map((n) => n.exceptionId);
    expect(stale(whole)).toEqual(['exceptions[2]']);
    const perShard = [1, 2, 3].map((k) => stale(shardReport(k)));
    expect(perShard.filter((s) => s.includes('exceptions[0]'))).toHaveLength(SHARDS - 1);
  });
});

describe('report merge', () => {
  it('gives the unsharded JSON and SARIF byte for byte, and its exit code', async () => {
    const out = join(dir, 'merged');
    const shardFiles = [3, 1, 2].map((k) => join(dir, `shard-${k}`, 'trailproof.json'));
    const code = await cli('report', 'merge', ...shardFiles, '--out', out, '--format', 'json,sarif', '-c', config);
    expect(code).toBe(whole.summary.exitCode);
    expect(read(join(out, 'trailproof.json'))).toBe(read(join(dir, 'whole', 'trailproof.json')));
    expect(read(join(out, 'trailproof.sarif'))).toBe(read(join(dir, 'whole', 'trailproof.sarif')));
  });

  it('writes the same bytes with --workers 1 (the memory-lean choice)', async () => {
    const out = join(dir, 'merged-one-thread');
    const shardFiles = [1, 2, 3].map((k) => join(dir, `shard-${k}`, 'trailproof.json'));
    expect(await cli('report', 'merge', ...shardFiles, '--out', out, '--format', 'json,sarif', '-c', config, '--workers', '1')).toBe(whole.summary.exitCode);
    expect(read(join(out, 'trailproof.json'))).toBe(read(join(dir, 'whole', 'trailproof.json')));
    expect(read(join(out, 'trailproof.sarif'))).toBe(read(join(dir, 'whole', 'trailproof.sarif')));
  });

  it('spooled to disk in small runs, gives every format the bytes of the unsharded list (the counts come from the spool, not a walk)', () => {
    const merged = mergeShardReports(
      [1, 2, 3].map((k) => ({ file: `shard ${k}`, result: shardReport(k) })),
      50,
    );
    expect(Array.isArray(merged.verdicts)).toBe(false);
    expect(typeof (merged.verdicts as { outlines?: unknown }).outlines).toBe('function');
    const textOf = (formatter: Formatter, r: ScanResult) =>
      formatter.renderFiles ? [...formatter.renderFiles(r, {})].map((f) => `${f.path}\n${[...f.chunks].join('')}`).join('\n') : [...(formatter.renderChunks?.(r, {}) ?? [formatter.render(r, {})])].join('');
    for (const formatter of listFormatters()) expect(textOf(formatter, merged), formatter.name).toBe(textOf(formatter, whole));
    // The paged HTML layout (its roll-ups, cell counts and page links from the counts) at a size the test can afford.
    const paged = { ...HTML_LAYOUT, singlePageMaxVerdicts: 10, accountsPerPage: 7, verdictsPerPage: 9 };
    const pages = (r: ScanResult) => [...renderHtmlFiles(r, paged)].map((f) => `${f.path}\n${[...f.chunks].join('')}`);
    const wholePages = pages(whole);
    expect(wholePages.length).toBeGreaterThan(20);
    expect(pages(merged)).toEqual(wholePages);
  }, 60_000);

  it('refuses an incomplete set of shards with a usage error', async () => {
    const code = await cli('report', 'merge', join(dir, 'shard-1', 'trailproof.json'), join(dir, 'shard-3', 'trailproof.json'), '--out', join(dir, 'partial'));
    expect(code).toBe(2);
  });

  it('re-renders a JSON report into the same SARIF the scan wrote', async () => {
    const out = join(dir, 'rendered');
    expect(await cli('report', 'render', join(dir, 'whole', 'trailproof.json'), '--out', out, '--format', 'sarif', '-c', config)).toBe(0);
    expect(read(join(out, 'trailproof.sarif'))).toBe(read(join(dir, 'whole', 'trailproof.sarif')));
  });
});
