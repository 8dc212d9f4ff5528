/**
 * Issue 11, fault injection at organization scale: a whole scan (real collector, real SDK clients,
 * snapshot file, real evaluation of every built-in rule) of a 150-account synthetic organization
 * whose simulated AWS denies AssumeRole into 20 % of the members, throttles 5 % of the calls on
 * every attempt, and (a separate switch) answers 1 % of the calls malformed — all deterministic
 * from the seed (test/bench/fault-injection.ts).
 *
 * What a partial scan owes its reader, checked against what was injected and against the same
 * organization read without faults (the generator's snapshot, which a fault-free collection
 * reproduces exactly: see test/bench/collect-child.ts):
 * - a verdict for every in-scope account × rule;
 * - no PASS from an unknown fact: a fault never turns a verdict into anything but ERROR, an account
 *   that could not be entered passes only rules that read nothing of it, and the rules that need a
 *   throttled-out call's facts give ERROR;
 * - every throttled-out call recorded as an error, after all its attempts;
 * - exit code 3, or 1 when a gate fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledRuleOf, type LoadedRule } from '../../src/rules/load.ts';
import { observedPaths } from '../../src/rules/verdict-cache.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { faultFigures, faultFreeOrg, runFaultScan, type FaultScan, type FaultScanOptions } from '../bench/fault-scan.ts';
import { ISSUE_11_RATES, type MalformedShape } from '../bench/fault-injection.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

/**
 * Malformed answers used to abort the collection before any report (a missing TrailARN threw a
 * TypeError in the collector; a wrong type or an unknown enum value made the snapshot writer refuse
 * the whole snapshot). Since issue 11 the writer keeps such an answer as it came (UnexpectedAnswer)
 * and the model makes the facts built from it unknown; the switch stays so the cases can be run
 * apart.
 */
const MALFORMED_ANSWERS_TOLERATED = true;

const ACCOUNTS = 150;
/**
 * In this generator's organizations the S3 data-event rules seldom PASS, so a seed is needed where
 * an account whose event data stores could not be listed has PII buckets that PASS without faults;
 * 13 gives 7 (the test checks there is at least one, so that check is never vacuous).
 */
const SEED = 13;
/** A smaller world reads faster; faults per account are what matter here, not regions. */
const REGIONS = ['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1'];
const MAX_ATTEMPTS = 3;
const THROTTLING = /^(ThrottlingException|TooManyRequestsException|SlowDown|Throttling)$/;
/** Account facts built from the organization's answers alone (Organizations, read with the starting credentials). */
const ORGANIZATION_FACTS = new Set(['id', 'name', 'email', 'status', 'isManagement', 'ouPath', 'ouIds', 'tags', 'scp']);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Setting = Pick<FaultScanOptions, 'accounts' | 'malformed' | 'shapes' | 'rates'>;
interface Run {
  scan: FaultScan;
  result: ScanResult;
  /** The same organization read without faults, evaluated with the same rules. */
  truth: ScanResult;
}
const runs = new Map<string, Promise<Run>>();

/** One scan per setting, shared by the cases that check it. */
async function scanned(setting: Setting): Promise<Run> {
  const key = JSON.stringify(setting);
  let run = runs.get(key);
  if (!run) runs.set(key, (run = scanAndTruth(setting)));
  return run;
}

async function scanAndTruth(setting: Setting): Promise<Run> {
  const scan = await runFaultScan({ seed: SEED, latencyMs: 0, maxAttempts: MAX_ATTEMPTS, enabledRegions: REGIONS, dir, ...setting });
  expect(scan.aborted, `the scan stopped: ${scan.aborted}\n${JSON.stringify(faultFigures(scan))}`).toBeUndefined();
  const file = join(dir, `fault-free-${setting.accounts}.snapshot.jsonl`);
  await writeSyntheticSnapshot(faultFreeOrg({ accounts: setting.accounts, seed: SEED, enabledRegions: REGIONS }), file);
  const truth = await evaluateSnapshot(await openSnapshot(file, { validate: 'first-pass' }), { config: scan.config, rules: scan.rules, workers: 1 });
  return { scan, result: scan.result!, truth };
}

const keyOf = (v: Verdict) => `${v.ruleId}|${v.resource.id}`;
const show = (v: Verdict | undefined) => (v ? `${v.ruleId} ${v.resource.id}: ${v.status} ${v.message.slice(0, 300)}` : 'none');

/** Which account facts (first level below `account`) a rule can observe; undefined when it cannot be analysed. */
function accountFactsRead(rule: LoadedRule): Set<string> | undefined {
  const compiled = compiledRuleOf(rule);
  const paths = compiled && observedPaths(compiled);
  if (!paths) return undefined;
  return new Set(paths.get('account')?.children.keys() ?? []);
}
/** Whether a rule may read any of these account facts (a rule that cannot be analysed may read anything). */
const readsAny = (rule: LoadedRule, facts: string[]) => {
  const read = accountFactsRead(rule);
  return read === undefined || facts.some((f) => read.has(f));
};

function checkPartialScan({ scan, result, truth }: Run): void {
  const expected = new Map([...truth.verdicts].map((v) => [keyOf(v), v]));
  const accountRules = scan.rules.filter((r) => r.meta.resource === 'account');
  const bucketRules = scan.rules.filter((r) => r.meta.resource === 'bucket');

  // The same organization, the same scope: faults never shrink what the scan is about.
  expect(result.scope.accountIds).toEqual(truth.scope.accountIds);
  expect(result.scope.accountIds.length).toBeGreaterThan(scan.org.accounts.length * 0.9);

  // A verdict for every in-scope account × rule.
  const byAccountRule = new Map<string, Verdict[]>();
  for (const v of result.verdicts) {
    const key = `${v.ruleId}|${v.resource.accountId}`;
    byAccountRule.set(key, [...(byAccountRule.get(key) ?? []), v]);
  }
  for (const account of result.scope.accountIds) {
    for (const rule of accountRules) {
      expect(byAccountRule.get(`${rule.meta.id}|${account}`)?.filter((v) => v.resource.type === 'account'), `${rule.meta.id} × ${account}`).toHaveLength(1);
    }
    for (const rule of bucketRules) {
      // An account whose buckets could not be listed still gets one verdict saying so.
      if ([...truth.verdicts].some((v) => v.ruleId === rule.meta.id && v.resource.accountId === account)) {
        expect(byAccountRule.get(`${rule.meta.id}|${account}`)?.length ?? 0, `${rule.meta.id} × ${account}`).toBeGreaterThan(0);
      }
    }
  }

  // No PASS from an unknown fact: against the truth, a fault only ever turns a verdict into ERROR.
  const changed = [...result.verdicts].filter((v) => expected.get(keyOf(v))?.status !== v.status && !(v.status === 'ERROR'));
  expect(changed.map((v) => `${show(v)}\n    fault-free: ${show(expected.get(keyOf(v)))}`)).toEqual([]);
  const invented = [...result.verdicts].filter((v) => v.status === 'PASS' && expected.get(keyOf(v))?.status !== 'PASS');
  expect(invented.map(show)).toEqual([]);

  // An account that could not be entered passes only rules that read nothing of its own.
  const denied = new Set(scan.denied);
  const organizationOnly = new Set(
    accountRules.filter((r) => [...(accountFactsRead(r) ?? ['(not analysable)'])].every((f) => ORGANIZATION_FACTS.has(f))).map((r) => r.meta.id),
  );
  expect([...organizationOnly]).toEqual(['scp-protects-cloudtrail']);
  for (const v of [...result.verdicts].filter((x) => denied.has(x.resource.accountId) && !organizationOnly.has(x.ruleId))) {
    expect(['ERROR', 'NOT_APPLICABLE'], show(v)).toContain(v.status);
    if (v.status === 'ERROR') expect(v.message, show(v)).toContain(`sts:AssumeRole (${v.resource.accountId}/`);
  }

  // Every throttled-out call ran out of attempts and is recorded as an error of that call.
  const throttled = scan.injected.filter((f) => f.kind === 'throttled-out');
  for (const f of throttled) {
    expect(f.attempts, `${f.operation} ${f.accountId}/${f.region}`).toBe(MAX_ATTEMPTS);
    const recorded = result.errors.find((e) => e.operation === f.operation && e.accountId === f.accountId && e.region === f.region && THROTTLING.test(e.code));
    expect(recorded, `${f.operation} (${f.accountId}/${f.region}) ${f.target ?? ''} is not among the errors`).toBeDefined();
  }

  // The rules that need a throttled-out call's facts give ERROR (never PASS) for the account it was about.
  const verdict = (ruleId: string, accountId: string) => [...result.verdicts].find((v) => v.ruleId === ruleId && v.resource.type === 'account' && v.resource.accountId === accountId);
  const needing = (facts: string[]) => accountRules.filter((r) => readsAny(r, facts));
  for (const f of throttled.filter((x) => x.operation === 'cloudtrail:DescribeTrails')) {
    // Any region may hold a trail that records the account: its trails, and all that derives from them, are unknown.
    for (const rule of needing(['trails', 'managementEvents', 'dataEvents'])) {
      const v = verdict(rule.meta.id, f.accountId);
      expect(['ERROR', 'NOT_APPLICABLE'], show(v)).toContain(v?.status);
    }
  }
  for (const f of throttled.filter((x) => x.operation === 'cloudtrail:ListEventDataStores' || x.operation === 'cloudtrail:GetEventDataStore')) {
    // The account's event data stores are unknown (its own and the organization's): data events may
    // still PASS when a known trail records them, never on the word of an event data store.
    const judged = [
      ...needing(['dataEvents']).map((rule) => verdict(rule.meta.id, f.accountId)),
      ...[...result.verdicts].filter((x) => x.resource.type === 'bucket' && x.resource.accountId === f.accountId),
    ];
    for (const v of judged.filter((x) => x?.status === 'PASS')) expect(v!.message, show(v)).not.toMatch(/:eventdatastore\//);
  }
  for (const f of throttled.filter((x) => x.operation === 's3:ListBuckets')) {
    const own = [...result.verdicts].filter((v) => bucketRules.some((r) => r.meta.id === v.ruleId) && v.resource.accountId === f.accountId);
    expect(own.length, `bucket verdicts of ${f.accountId}`).toBeGreaterThan(0);
    for (const v of own) expect(v.status, show(v)).toBe('ERROR');
  }
  for (const f of throttled.filter((x) => x.operation === 's3:GetBucketTagging')) {
    // Without its tags a bucket's PII classification is unknown: the PII rule cannot judge it.
    for (const v of [...result.verdicts].filter((x) => x.resource.type === 'bucket' && x.resource.name === f.target)) {
      expect(v.status, show(v)).toBe('ERROR');
      expect(v.message, show(v)).toContain(`s3:GetBucketTagging (${f.accountId}/${f.region})`);
    }
  }

  // A partial scan says so: 3, or 1 when a gate fails anyway.
  expect(result.summary.partial).toBe(true);
  expect(result.summary.exitCode).toBe(result.summary.gatingFailures > 0 ? 1 : 3);
}

// A whole collection and evaluation per case: seconds, more on a busy machine.
const SCAN_TIMEOUT = { timeout: 120_000 };

describe('a scan of 150 accounts under injected faults', () => {
  it('AssumeRole denied in 20 % of members, 5 % of calls throttled out: every verdict given, none a PASS from an unknown fact', SCAN_TIMEOUT, async () => {
    const run = await scanned({ accounts: ACCOUNTS, malformed: false });
    const { scan, truth } = run;
    const figures = faultFigures(scan);
    // 20 % of the members (the management, log-archive and security accounts stay readable).
    expect(Number(figures.assume_role_denied) / (ACCOUNTS - 3)).toBeCloseTo(0.2, 1);
    expect(scan.injected.filter((f) => f.kind === 'throttled-out').length).toBeGreaterThan(50);
    expect(new Set(scan.injected.map((f) => f.operation)).size).toBeGreaterThan(8);
    expect(scan.injected.filter((f) => f.kind === 'malformed')).toEqual([]);
    checkPartialScan(run);

    // The checks had something to check: PASSes without faults that these faults put in doubt.
    const throttled = scan.injected.filter((f) => f.kind === 'throttled-out');
    const passedWithoutFaults = (accountId: string, rule: (id: string) => boolean) =>
      [...truth.verdicts].some((v) => v.resource.accountId === accountId && v.status === 'PASS' && rule(v.ruleId));
    const trailRules = new Set(scan.rules.filter((r) => r.meta.resource === 'account' && readsAny(r, ['trails'])).map((r) => r.meta.id));
    const bucketRules = new Set(scan.rules.filter((r) => r.meta.resource === 'bucket').map((r) => r.meta.id));
    expect(scan.denied.filter((a) => passedWithoutFaults(a, (id) => trailRules.has(id))).length).toBeGreaterThan(0);
    expect(throttled.filter((f) => f.operation === 'cloudtrail:DescribeTrails' && passedWithoutFaults(f.accountId, (id) => trailRules.has(id))).length).toBeGreaterThan(0);
    expect(throttled.filter((f) => f.operation === 'cloudtrail:ListEventDataStores' && passedWithoutFaults(f.accountId, (id) => bucketRules.has(id))).length).toBeGreaterThan(0);
  });

  it.runIf(MALFORMED_ANSWERS_TOLERATED)('also 1 % malformed answers of every shape', SCAN_TIMEOUT, async () => {
    const run = await scanned({ accounts: ACCOUNTS, malformed: true });
    expect(new Set(run.scan.injected.map((f) => f.shape).filter(Boolean)).size).toBeGreaterThan(1);
    checkPartialScan(run);
  });
});

describe('an endpoint that answers every call of a kind malformed (40 accounts)', () => {
  const EVERY_CALL = { ...ISSUE_11_RATES, malformed: 1 };
  const shapes: MalformedShape[] = ['missing-required-field', 'wrong-type', 'both-selector-lists', 'unknown-enum-value'];
  for (const shape of shapes) {
    it.runIf(MALFORMED_ANSWERS_TOLERATED)(shape, SCAN_TIMEOUT, async () => {
      const run = await scanned({ accounts: 40, malformed: true, shapes: [shape], rates: EVERY_CALL });
      expect(run.scan.injected.filter((f) => f.shape === shape).length).toBeGreaterThan(0);
      checkPartialScan(run);
    });
  }
});
