import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { narrowsAccounts, snapshotScope } from '../../src/cli/snapshot-scope.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

const config = { ...structuredClone(DEFAULT_CONFIG), source: '(test)' };

describe('--accounts/--ous on a saved snapshot', () => {
  it('narrowing gives each chosen account exactly the verdicts and errors of a full evaluation', async () => {
    const rules = await loadRules(['builtin'], config);
    const full = await evaluateSnapshot(await openDemoSnapshot(), { config, rules });
    const source = await openDemoSnapshot();
    // Security holds log-archive and audit: the bucket the organization trail writes to lives in
    // log-archive, so these verdicts depend on facts from other accounts.
    const only = snapshotScope(source.header, { ous: 'Root/Security', accounts: '222222222222,333333333333,777777777777' }, '--demo')!;
    expect(only.accountIds).toEqual(['222222222222', '333333333333']);
    const narrowed = await evaluateSnapshot(source, { config, rules, only });

    const chosen = new Set(only.accountIds);
    const kept = [...full.verdicts].filter((v) => v.resource.type === 'organization' || chosen.has(v.resource.accountId));
    expect(narrowed.verdicts).toEqual(kept);
    expect([...narrowed.verdicts].some((v) => v.resource.type !== 'organization')).toBe(true);
    expect(narrowed.errors).toEqual(full.errors.filter((e) => !e.accountId || chosen.has(e.accountId)));
    expect(narrowed.scope.accountIds).toEqual(['222222222222', '333333333333']);
    // Every other account of the snapshot is reported as not evaluated, with the reason.
    const skipped = new Map(narrowed.scope.skipped.map((s) => [s.accountId, s.reason]));
    expect(skipped.get('777777777777')).toBe('not under --ous');
    expect(skipped.get('111111111111')).toBe('not in --accounts');
    expect(narrowed.scope.skipped.length).toBe(full.scope.skipped.length + full.scope.accountIds.length - 2);
  });

  it('refuses collection-only flags and ids or OUs the snapshot does not hold', async () => {
    const { header } = await openDemoSnapshot();
    expect(() => snapshotScope(header, { regions: 'eu-west-1' }, '--demo')).toThrow(/--regions applies only when collecting/);
    expect(() => snapshotScope(header, { concurrency: 4 }, '--demo')).toThrow(/--concurrency applies only when collecting/);
    expect(() => snapshotScope(header, { accounts: '123456789012' }, '--demo')).toThrow('--accounts: 123456789012 is not among the 12 accounts of --demo');
    expect(() => snapshotScope(header, { ous: 'Root/Nope' }, '--demo')).toThrow(/--ous: no account .* is under "Root\/Nope"/);
    expect(() => snapshotScope(header, { ous: 'Root/Security', accounts: '777777777777' }, '--demo')).toThrow(/select none/);
    expect(snapshotScope(header, {}, '--demo')).toBeUndefined();
  });

  it('narrows exactly when snapshotScope gives an `only`, the condition the judging workers\' early start follows', async () => {
    const { header } = await openDemoSnapshot();
    for (const flags of [{}, { accounts: '222222222222' }, { ous: 'Root/Security' }, { accounts: '222222222222', ous: 'Root/Security' }, { workers: 2 }]) {
      expect(narrowsAccounts(flags), JSON.stringify(flags)).toBe(snapshotScope(header, flags, '--demo') !== undefined);
    }
  });
});
