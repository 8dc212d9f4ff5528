/**
 * Sharding end to end: a generated organization scanned whole and as 3 shards (through the CLI,
 * as a CI matrix would), the shard reports merged with `report merge`: the merged JSON and SARIF
 * must be byte-identical to the unsharded scan's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { parseJsonReport } from '../../src/report/json.ts';
import { evaluateSnapshot } from '../../src/pipeline.ts';
import { loadRules } from '../../src/rules/load.ts';
import type { ScanResult } from '../../src/rules/result.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

const SHARDS = 3;
let dir: string;
let snapshot: string;
let config: string;
let whole: ScanResult;

async function cli(...args: string[]): Promise<number> {
  return main([...args, '-q']);
}

const read = (file: string) => readFileSync(file, 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-shard-'));
  snapshot = join(dir, 'org.snapshot.jsonl.gz');
  await writeSyntheticSnapshot(generateOrg({ accounts: 60, seed: 11 }), snapshot);

  // Exceptions that make shards disagree unless merged correctly: one that matches a FAIL in a
  // single shard (stale in the others), one that has expired, one that matches nothing.
  const rules = await loadRules(['builtin'], DEFAULT_CONFIG);
  const probe = await evaluateSnapshot(await openSnapshot(snapshot), { config: DEFAULT_CONFIG, rules });
  const fail = probe.verdicts.find((v) => v.status === 'FAIL' && v.resource.type === 'account')!;
  config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
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
    const orgVerdicts = (r: ScanResult) => r.verdicts.filter((v) => v.resource.type === 'organization');
    expect(orgVerdicts(whole).length).toBeGreaterThan(0);
    expect(orgVerdicts(shardReport(1))).toEqual(orgVerdicts(whole));
    expect(orgVerdicts(shardReport(2))).toEqual([]);
    expect(orgVerdicts(shardReport(3))).toEqual([]);
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
