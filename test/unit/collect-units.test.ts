import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCollectFlags } from '../../src/collect/flags.ts';
import { RecordSpool } from '../../src/collect/spool.ts';
import { progressReporter, statusLine } from '../../src/collect/progress.ts';
import { selectAccounts } from '../../src/collect/scope.ts';
import { isPiiCandidate, normaliseLocation } from '../../src/collect/buckets.ts';
import { logGroupName } from '../../src/collect/trails.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { UserError } from '../../src/shared/errors.ts';
import { loadTestOrg } from '../fixtures/aws/fake-aws.ts';
import type { OrgAccount } from '../../src/snapshot/types.ts';

const org = loadTestOrg();
const scopeInput = (tagErrors = new Map()) => ({
  accounts: org.accounts as OrgAccount[],
  roots: org.roots,
  organizationalUnits: org.organizationalUnits,
  tagErrors,
});
const scope = (patch: Partial<typeof DEFAULT_CONFIG.scope>) => ({ ...DEFAULT_CONFIG.scope, ...patch });

describe('selectAccounts', () => {
  it('takes every ACTIVE account by default and lists the rest with the reason', () => {
    const s = selectAccounts(scopeInput(), scope({}));
    expect(s.selected).toEqual(['111111111111', '222222222222', '333333333333', '444444444444', '555555555555']);
    expect(s.skipped).toEqual([{ accountId: '666666666666', reason: 'status SUSPENDED (state SUSPENDED)' }]);
  });
  it('filters by account id, OU id (with sub-OUs), excluded OU path and tags', () => {
    expect(selectAccounts(scopeInput(), scope({ accounts: ['444444444444'] })).selected).toEqual(['444444444444']);
    expect(selectAccounts(scopeInput(), scope({ ous: ['ou-a1b2-workload'] })).selected).toEqual(['444444444444', '555555555555']);
    expect(selectAccounts(scopeInput(), scope({ excludeOus: ['Root/Workloads/Prod'] })).skipped[0]).toEqual({
      accountId: '444444444444',
      reason: 'under scope.excludeOus Root/Workloads/Prod',
    });
    expect(selectAccounts(scopeInput(), scope({ accountTags: ['tier=security'] })).selected).toEqual(['222222222222', '333333333333']);
    expect(selectAccounts(scopeInput(), scope({ accountTags: ['env'] })).selected).toEqual(['444444444444', '555555555555']);
    // "Root/Work" is not a prefix of the OU path segment "Root/Workloads"
    expect(selectAccounts(scopeInput(), scope({ ous: ['Root/Work'] })).selected).toEqual([]);
  });
  it('skips an account whose tags could not be read when tags select', () => {
    const errors = new Map([['444444444444', { operation: 'organizations:ListTagsForResource', code: 'AccessDeniedException', message: 'no' }]]);
    const s = selectAccounts(scopeInput(errors), scope({ accountTags: ['env=prod'] }));
    expect(s.selected).toEqual([]);
    expect(s.skipped.find((x) => x.accountId === '444444444444')?.reason).toContain('AccessDeniedException');
  });
});

describe('applyCollectFlags', () => {
  it('overrides config.yaml and leaves the input untouched', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    const next = applyCollectFlags(config, { profile: 'org', memberRole: 'Audit', externalId: 'x-1', regions: 'eu-west-1, us-east-1', accounts: '111111111111', ous: 'Root/Prod', concurrency: '4' });
    expect(next.organization).toMatchObject({ profile: 'org', memberRoleName: 'Audit', externalId: 'x-1' });
    expect(next.scope).toMatchObject({ regions: ['eu-west-1', 'us-east-1'], accounts: ['111111111111'], ous: ['Root/Prod'] });
    expect(next.collection.accountConcurrency).toBe(4);
    expect(config).toEqual(DEFAULT_CONFIG);
  });
  it('rejects bad values with a UserError naming the flag', () => {
    expect(() => applyCollectFlags(DEFAULT_CONFIG, { concurrency: Number.NaN })).toThrow(/--concurrency/);
    expect(() => applyCollectFlags(DEFAULT_CONFIG, { accounts: '1234' })).toThrow(UserError);
    expect(() => applyCollectFlags(DEFAULT_CONFIG, { regions: 'Europe' })).toThrow(/--regions: "Europe"/);
    expect(() => applyCollectFlags(DEFAULT_CONFIG, { regions: ' , ' })).toThrow(/--regions needs/);
  });
});

describe('RecordSpool', () => {
  const record = (accountId: string, marker: string) => ({ accountId, regions: [], trailDetails: {}, enabledRegions: { value: [marker] } });

  it('gives records back in the order asked, not the order stored, with a replaced record in its latest form', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tp-spool-'));
    const spool = await RecordSpool.create(parent);
    await Promise.all([spool.put(record('333', 'c')), spool.put(record('111', 'a')), spool.put(record('222', 'b'))]);
    await spool.put(record('111', 'a2'));
    const out = [];
    for await (const r of spool.read(['111', '222', '333'])) out.push(r);
    expect(out).toEqual([record('111', 'a2'), record('222', 'b'), record('333', 'c')]);
    expect(await spool.get('444')).toBeUndefined();
    await expect(async () => {
      for await (const _ of spool.read(['444'])) void _;
    }).rejects.toThrow(/no record collected for account 444/);
    expect(readdirSync(parent)).toHaveLength(1);
    await spool.dispose();
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(parent)).toBe(true);
  });

  it('refuses a folder it cannot write in with a usage error naming it', async () => {
    const missing = join(tmpdir(), 'tp-spool-missing', 'deeper');
    await expect(RecordSpool.create(missing)).rejects.toThrow(UserError);
    await expect(RecordSpool.create(missing)).rejects.toThrow(/tp-spool-missing\/deeper.*ENOENT/);
  });
});

describe('progress', () => {
  const tty = () => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY: true, write: (s: string) => chunks.push(s) } };
  };
  it('draws on an interactive terminal only', () => {
    const t = tty();
    let now = 0;
    const r = progressReporter({ verbosity: 'normal', stream: t.stream, env: {}, clock: () => now });
    r.onEvent({ type: 'accounts', total: 4 });
    r.onEvent({ type: 'call', accountId: '1', region: 'us-east-1', operation: 'sts:AssumeRole' });
    now = 10_000;
    r.onEvent({ type: 'account-done', accountId: '1', done: 1, total: 4 });
    r.finish();
    expect(t.chunks.join('')).toContain('accounts 1/4, 1 calls, 0 errors, 10s elapsed, about 30s left');
    for (const [env, isTTY] of [[{ CI: 'true' }, true], [{}, false]] as const) {
      const quietish = tty();
      const r2 = progressReporter({ verbosity: 'normal', stream: { ...quietish.stream, isTTY }, env, clock: () => 0 });
      r2.onEvent({ type: 'account-done', accountId: '1', done: 1, total: 1 });
      r2.finish();
      expect(quietish.chunks).toEqual([]);
    }
  });
  it('--verbose logs each failed call even when not a terminal; --quiet prints nothing', () => {
    const error = { operation: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException', message: 'denied', accountId: '222222222222', region: 'eu-west-1' };
    const v = tty();
    const r = progressReporter({ verbosity: 'verbose', stream: { ...v.stream, isTTY: false }, env: { CI: '1' }, clock: () => 0 });
    r.onEvent({ type: 'call-failed', error });
    expect(v.chunks.join('')).toContain('cloudtrail:GetTrailStatus (222222222222/eu-west-1) failed: AccessDeniedException: denied');
    const q = tty();
    const rq = progressReporter({ verbosity: 'quiet', stream: q.stream, env: {}, clock: () => 0 });
    rq.onEvent({ type: 'call-failed', error });
    rq.finish();
    expect(q.chunks).toEqual([]);
    expect(statusLine({ done: 0, total: 3, calls: 0, errors: 0, elapsedMs: 61_000 })).toBe('accounts 0/3, 0 calls, 0 errors, 1m01s elapsed');
  });
});

describe('small AWS conventions', () => {
  it('normalises GetBucketLocation answers', () => {
    expect(normaliseLocation(undefined)).toBe('us-east-1');
    expect(normaliseLocation('')).toBe('us-east-1');
    expect(normaliseLocation('EU')).toBe('eu-west-1');
    expect(normaliseLocation('ap-south-2')).toBe('ap-south-2');
  });
  it('recognises PII candidates by name, glob and tag (case-insensitive)', () => {
    const pii = { tags: [{ key: 'DataClassification', values: ['PII'] }], namePatterns: ['*-customers-?'], buckets: ['hr-files'] };
    expect(isPiiCandidate('hr-files', [], pii)).toBe(true);
    expect(isPiiCandidate('eu-customers-1', [], pii)).toBe(true);
    expect(isPiiCandidate('eu-customers-12', [], pii)).toBe(false);
    expect(isPiiCandidate('x', [{ Key: 'dataclassification', Value: 'pii' }], pii)).toBe(true);
    expect(isPiiCandidate('x', [{ Key: 'DataClassification', Value: 'public' }], pii)).toBe(false);
  });
  it('takes the log group name out of a CloudTrail log group ARN', () => {
    expect(logGroupName('arn:aws:logs:us-east-1:111111111111:log-group:a/b:c:*')).toBe('a/b:c');
    expect(logGroupName('arn:aws:logs:us-east-1:111111111111:log-group:plain')).toBe('plain');
  });
});
