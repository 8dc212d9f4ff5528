import { describe, expect, it } from 'vitest';
import { mergeShardReports, type ShardReport } from '../../src/evaluate/merge.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { UserError } from '../../src/shared/errors.ts';

const RULE = {
  id: 'cloudtrail-multi-region',
  title: 'multi-region trail',
  severity: 'high',
  resource: 'account',
  params: {},
  frameworks: {},
  source: 'builtin',
  sha256: 'b'.repeat(64),
} as unknown as ScanResult['rules'][number];

function verdict(accountId: string, status: Verdict['status']): Verdict {
  return { ruleId: RULE.id, status, severity: 'high', message: `${status} for ${accountId}`, resource: { type: 'account', id: accountId, accountId } } as Verdict;
}

/** A shard's result: accounts with a verdict each, and what every shard shares. */
function shard(label: string | undefined, accounts: [id: string, status: Verdict['status']][], over: Partial<ScanResult> = {}): ScanResult {
  return {
    tool: { name: 'trailproof', version: '0.1.0' },
    rulePack: { version: '0.1.0', sha256: 'a'.repeat(64) },
    snapshot: { collectedAt: '2026-11-02T09:00:00.000Z', source: 'aws', sha256: 'c'.repeat(64), organizationId: 'o-abc' },
    scope: { regions: ['us-east-1'], accountIds: accounts.map(([id]) => id), skipped: [], ...(label ? { shard: label } : {}) },
    accounts: accounts.map(([id]) => ({ id, name: `n${id}`, ouPath: 'Root', status: 'ACTIVE' })),
    rules: [RULE],
    verdicts: accounts.map(([id, status]) => verdict(id, status)),
    errors: [],
    exceptionNotes: [],
    summary: { counts: { PASS: 0, FAIL: 0, ERROR: 0, NOT_APPLICABLE: 0, suppressed: 0 }, gatingFailures: 0, partial: false, exitCode: 0 },
    failOn: 'high',
    ...over,
  };
}

const as = (file: string, result: ScanResult): ShardReport => ({ file, result });

function refusal(reports: ShardReport[]): string {
  try {
    mergeShardReports(reports);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('merge did not refuse');
}

describe('mergeShardReports', () => {
  it('unions the shards in sorted order, drops the shard label and recomputes the summary', () => {
    const merged = mergeShardReports([
      as('b.json', shard('2/2', [['300000000000', 'PASS'], ['100000000000', 'FAIL']])),
      as('a.json', shard('1/2', [['200000000000', 'ERROR']], { errors: [{ operation: 'sts:AssumeRole', code: 'AccessDenied', message: 'no', accountId: '200000000000' }] })),
    ]);
    expect(merged.scope.accountIds).toEqual(['100000000000', '200000000000', '300000000000']);
    expect(merged.scope.shard).toBeUndefined();
    expect(merged.accounts.map((a) => a.id)).toEqual(['100000000000', '200000000000', '300000000000']);
    expect([...merged.verdicts].map((v) => v.resource.id)).toEqual(['100000000000', '200000000000', '300000000000']);
    expect(merged.errors).toHaveLength(1);
    expect(merged.summary).toEqual({ counts: { PASS: 1, FAIL: 1, ERROR: 1, NOT_APPLICABLE: 0, suppressed: 0 }, gatingFailures: 1, partial: true, exitCode: 1 });
  });

  it('keeps an exception stale only when every shard found it stale', () => {
    const stale = { exceptionId: 'exceptions[0]', rule: RULE.id, resource: '100000000000', kind: 'stale' as const, expires: '2099-01-01' };
    const expired = { exceptionId: 'exceptions[1]', rule: RULE.id, resource: '*', kind: 'expired' as const, expires: '2020-01-01' };
    const neverMatched = { ...stale, exceptionId: 'exceptions[2]', resource: '999999999999' };
    const merged = mergeShardReports([
      as('1.json', shard('1/2', [['200000000000', 'PASS']], { exceptionNotes: [stale, expired, neverMatched] })),
      as('2.json', shard('2/2', [['100000000000', 'FAIL']], { exceptionNotes: [expired, neverMatched] })),
    ]);
    expect(merged.exceptionNotes.map((n) => n.exceptionId)).toEqual(['exceptions[1]', 'exceptions[2]']);
  });

  it('refuses a missing shard, naming it', () => {
    expect(refusal([as('1.json', shard('1/3', [['1', 'PASS']])), as('3.json', shard('3/3', [['3', 'PASS']]))])).toMatch(/missing shard 2\/3/);
  });

  it('refuses the same shard twice and shards of different splits', () => {
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', shard('1/2', [['2', 'PASS']]))])).toMatch(/shard 1\/2 given twice \(x.json and y.json\)/);
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', shard('2/3', [['2', 'PASS']]))])).toMatch(/same --shard K\/2 split/);
  });

  it('refuses overlapping shards', () => {
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', shard('2/2', [['1', 'PASS']]))])).toMatch(/account 1 is in both x.json and y.json/);
  });

  it('refuses a report that is not a shard', () => {
    expect(refusal([as('whole.json', shard(undefined, [['1', 'PASS']]))])).toMatch(/whole.json is not a shard report/);
  });

  it('refuses shards of different snapshots', () => {
    const other = shard('2/2', [['2', 'PASS']]);
    other.snapshot = { ...other.snapshot, sha256: 'd'.repeat(64) };
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', other)])).toMatch(/differ in snapshot.sha256.*not shards of one snapshot/);
    const later = shard('2/2', [['2', 'PASS']]);
    later.snapshot = { ...later.snapshot, sha256: undefined, collectedAt: '2026-11-03T09:00:00.000Z' } as ScanResult['snapshot'];
    const first = shard('1/2', [['1', 'PASS']]);
    first.snapshot = { ...first.snapshot, sha256: undefined } as ScanResult['snapshot'];
    expect(refusal([as('x.json', first), as('y.json', later)])).toMatch(/snapshot.collectedAt/);
  });

  it('refuses shards evaluated with different rule packs or thresholds', () => {
    const otherPack = shard('2/2', [['2', 'PASS']], { rulePack: { version: '0.1.0', sha256: 'e'.repeat(64) } });
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', otherPack)])).toMatch(/rulePack.*same rules/);
    const otherParams = shard('2/2', [['2', 'PASS']], { rules: [{ ...RULE, params: { allowExcludedSources: true } }] });
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', otherParams)])).toMatch(/differ in rules/);
    const otherGate = shard('2/2', [['2', 'PASS']], { failOn: 'low' });
    expect(refusal([as('x.json', shard('1/2', [['1', 'PASS']])), as('y.json', otherGate)])).toMatch(/failOn/);
  });
});
