/**
 * A rule whose whole outcome is not reused (its trial ended with too few reused) is reused in
 * parts (outcome-parts.ts): the decision, the message of its branch and the evidence, each keyed
 * on what its own expressions observe. A rule whose evidence names each account keeps its own
 * evidence, yet its validations and message run once for all the accounts that look alike to
 * them. Counted by wrapping the compiled expressions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import type { CompiledExpression } from '../../src/rules/cel.ts';
import { compiledRuleOf } from '../../src/rules/load/loaded.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { observedPaths, ReusedValues, TRIAL_LOOKUPS } from '../../src/rules/verdict-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-outcome-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = `id: trails-logging
title: Every trail is logging
severity: low
resource: account
match: account.status == "ACTIVE"
variables:
  - name: stopped
    expression: account.trails.filter(t, !t.isLogging)
validations:
  - expression: variables.stopped.size() == 0
    messageExpression: '"stopped: " + variables.stopped.map(t, t.arn).join(", ")'
passMessageExpression: '"logging: " + account.trails.map(t, t.arn).join(", ")'
evidence: 'account.trails.map(t, {"trail": t.arn, "prefix": t.retention.logObjectPrefix})'
remediation: Start them.
`;

/** Calls of each expression of the rule, by where it is in the rule. */
interface Counted {
  rule: LoadedRule;
  calls: Record<string, number>;
}

async function countedRule(id: string, text: string): Promise<Counted> {
  const file = join(dir, `${id}.yaml`);
  writeFileSync(file, text);
  const [rule] = await loadRules([file], DEFAULT_CONFIG);
  const compiled = compiledRuleOf(rule!)!;
  const calls: Record<string, number> = {};
  const counted = (where: string, expression: CompiledExpression): CompiledExpression => {
    calls[where] = 0;
    const wrapped: CompiledExpression = (activation) => {
      calls[where]!++;
      return expression(activation);
    };
    wrapped.ast = expression.ast;
    return wrapped;
  };
  compiled.validations.forEach((v, i) => (v.expression = counted(`validations[${i}]`, v.expression)));
  if (compiled.passMessage) compiled.passMessage = counted('pass', compiled.passMessage);
  if (compiled.evidence) compiled.evidence = counted('evidence', compiled.evidence);
  return { rule: rule!, calls };
}

function account(id: string, trails: unknown[]): EvaluationSubject {
  return {
    resource: { type: 'account', id, accountId: id, name: id },
    activation: {
      organization: {},
      account: { id, status: 'ACTIVE', trails },
    } as never,
  };
}

/** Ends the whole outcome's trial with nothing reused (each account's evidence its own), then counts afresh. */
function pastTrial({ rule, calls }: Counted): void {
  for (let i = 0; i < TRIAL_LOOKUPS; i++) rule.evaluate(account(`${900_000 + i}`, [trail('arn:org', `${900_000 + i}`)]));
  // While the whole outcome is on trial, each account is evaluated whole.
  expect(calls).toEqual({ 'validations[0]': TRIAL_LOOKUPS, pass: TRIAL_LOOKUPS, evidence: TRIAL_LOOKUPS });
  for (const where of Object.keys(calls)) calls[where] = 0;
}

/** A trail as every account sees it, with the log prefix of the account's own files. */
const trail = (arn: string, account: string, more: Record<string, unknown> = {}, days = 400) => ({
  arn,
  isLogging: true,
  retention: { availableDays: days, logObjectPrefix: `AWSLogs/${account}/` },
  ...more,
});

/** A rule that looks each trail up in a selection of the trails (`t in variables.short`). */
const shortKept = (id: string) => `id: ${id}
title: Trails keep their logs
severity: low
resource: account
variables:
  - name: short
    expression: account.trails.filter(t, t.retention.availableDays < 365)
validations:
  - expression: account.trails.filter(t, t in variables.short).size() == 0
    message: some trail keeps its logs too short
remediation: Keep them.
`;

describe('outcomes reused in parts', () => {
  it('decides and writes the message once for accounts alike to them, the evidence of each account its own', async () => {
    const counted = await countedRule('trails-logging', RULE);
    const { rule, calls } = counted;
    pastTrial(counted);
    const accounts = Array.from({ length: 300 }, (_, i) => `${100 + i}`);
    const verdicts = accounts.map((id) => rule.evaluate(account(id, [trail('arn:org', id)])));
    expect(new Set(verdicts.map((v) => `${v.status} ${v.message}`))).toEqual(new Set(['PASS logging: arn:org']));
    expect(verdicts.map((v) => v.evidence)).toEqual(accounts.map((id) => [{ trail: 'arn:org', prefix: `AWSLogs/${id}/` }]));
    expect(verdicts.map((v) => v.resource.id)).toEqual(accounts);
    // The whole outcome is distinct in every account (its evidence), its decision and message are not.
    expect(calls).toEqual({ 'validations[0]': 1, pass: 1, evidence: 300 });
  });

  it('decides again when a fact the decision reads differs, and writes the message again when only the message reads it', async () => {
    const counted = await countedRule('trails-logging-2', RULE.replace('trails-logging', 'trails-logging-2'));
    const { rule, calls } = counted;
    pastTrial(counted);
    for (let i = 0; i < 5; i++) rule.evaluate(account(`${100 + i}`, [trail('arn:org', `${100 + i}`)]));
    const stopped = rule.evaluate(account('200', [trail('arn:org', '200', { isLogging: false })]));
    expect([stopped.status, stopped.message]).toEqual(['FAIL', 'stopped: arn:org']);
    expect(calls['validations[0]']).toBe(2);
    // The same decision (PASS), another trail name: the message is its own.
    const renamed = rule.evaluate(account('201', [trail('arn:other', '201')]));
    expect([renamed.status, renamed.message]).toEqual(['PASS', 'logging: arn:other']);
    expect(calls['validations[0]']).toBe(2);
    expect(calls.pass).toBe(2);
    // A suspended account: its own branch (not applicable), not the PASS of accounts alike in their trails.
    const suspended: EvaluationSubject = {
      ...account('202', [trail('arn:org', '202')]),
    };
    (suspended.activation.account as { status: string }).status = 'SUSPENDED';
    expect(rule.evaluate(suspended)).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'not applicable: account.status == "ACTIVE"',
      evidence: null,
    });
  });

  it("reuses an ERROR's decision and evidence for accounts alike to them, each message explained from the account's own facts", async () => {
    const counted = await countedRule('trails-logging-3', RULE.replace('trails-logging', 'trails-logging-3'));
    const { rule, calls } = counted;
    pastTrial(counted);
    const unread = (id: string, reason: string): EvaluationSubject => {
      const subject = account(id, []);
      const facts = subject.activation.account as { trails?: unknown; unknown?: Record<string, string> };
      delete facts.trails;
      facts.unknown = { trails: reason };
      return subject;
    };
    const verdicts = ['AccessDenied', 'Throttling', 'AccessDenied'].map((reason, i) => rule.evaluate(unread(`${500 + i}`, reason)));
    expect(verdicts.map((v) => [v.status, v.message, v.resource.id])).toEqual([
      ['ERROR', 'could not decide: trails of 500 is unknown: AccessDenied', '500'],
      ['ERROR', 'could not decide: trails of 501 is unknown: Throttling', '501'],
      ['ERROR', 'could not decide: trails of 502 is unknown: AccessDenied', '502'],
    ]);
    expect(new Set(verdicts.map((v) => v.evidence)).size).toBe(1);
    expect(verdicts[0]!.evidence).toEqual({ evidenceError: 'No such key: trails' });
    expect(calls).toEqual({ 'validations[0]': 1, pass: 0, evidence: 1 });
  });

  it('looks an element up in a selection of its own list by the predicates that selected it, not by its whole value', async () => {
    const { rule, calls } = await countedRule('short-kept', shortKept('short-kept'));
    // Each account's trail has its own prefix, which the rule never reads: one decision for all.
    for (let i = 0; i < 50; i++) expect(rule.evaluate(account(`${100 + i}`, [trail('arn:org', `${100 + i}`)])).status).toBe('PASS');
    expect(calls['validations[0]']).toBe(1);
    const short = rule.evaluate(account('300', [trail('arn:org', '300', {}, 30)]));
    expect([short.status, short.message]).toEqual(['FAIL', 'some trail keeps its logs too short']);
    expect(calls['validations[0]']).toBe(2);
    // An element that is not plain data (NaN is not equal to itself, so `t in short` is false
    // for it): evaluated, not reused, whatever the predicates say.
    rule.evaluate(account('301', [trail('arn:org', '301', { extra: Number.NaN })]));
    expect(calls['validations[0]']).toBe(3);
    // Two trails CEL finds equal (a map's key order aside): whether one is in the selection may
    // depend on the other, so such a list is evaluated, not reused like two distinct trails.
    rule.evaluate(account('302', [trail('arn:org', '302'), trail('arn:org', '303')]));
    expect(calls['validations[0]']).toBe(4);
    const { arn, ...rest } = trail('arn:org', '304');
    rule.evaluate(account('304', [trail('arn:org', '304'), { ...rest, arn }]));
    expect(calls['validations[0]']).toBe(5);
  });
});

describe('elements told apart by a name', () => {
  it('are not read again to find two equal ones when a string member differs in each (the trails\' arn)', async () => {
    const { rule, calls } = await countedRule('short-kept-named', shortKept('short-kept-named'));
    rule.evaluate(account('100', [trail('arn:a', '100'), trail('arn:b', '100')]));
    expect(calls['validations[0]']).toBe(1);
    // A member the rule never reads, counted: the plain-data check reads it once per trail; the
    // search for equal elements would read it again, which the distinct arns make needless.
    let reads = 0;
    const counted = (arn: string) => Object.defineProperty(trail(arn, '101'), 'note', { enumerable: true, get: () => (reads++, 'x') });
    expect(rule.evaluate(account('101', [counted('arn:a'), counted('arn:b')])).status).toBe('PASS');
    expect(calls['validations[0]']).toBe(1);
    expect(reads).toBe(2);
    // The same arn twice: told apart by their whole texts (their prefixes differ), still reused.
    rule.evaluate(account('102', [trail('arn:a', '102'), trail('arn:a', '103')]));
    expect(calls['validations[0]']).toBe(1);
    // Equal but for key order, with no name to tell them apart: evaluated, never reused.
    const { arn, ...rest } = trail('arn:a', '106');
    rule.evaluate(account('106', [trail('arn:a', '106'), { ...rest, arn }]));
    expect(calls['validations[0]']).toBe(2);
  });
});

describe('frozen facts shared by the elements of several accounts', () => {
  it('are found plain data once, not again for each account', async () => {
    const { rule, calls } = await countedRule('short-kept-shared', shortKept('short-kept-shared'));
    // A bucket the model shares between the trails of every account (frozen), with a member counted.
    let reads = 0;
    const bucket = Object.freeze(Object.defineProperty({ name: 'logs' }, 'note', { enumerable: true, get: () => (reads++, 'x') }));
    rule.evaluate(account('100', [trail('arn:a', '100', { bucket })]));
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    expect(rule.evaluate(account('101', [trail('arn:a', '101', { bucket })])).status).toBe('PASS');
    expect(calls['validations[0]']).toBe(1);
    expect(reads).toBe(afterFirst);
    // A frozen bucket that is not plain data (NaN) is never taken for one: evaluated, each time.
    const notPlain = Object.freeze({ name: 'logs', size: Number.NaN });
    rule.evaluate(account('102', [trail('arn:a', '102', { bucket: notPlain })]));
    rule.evaluate(account('103', [trail('arn:a', '103', { bucket: notPlain })]));
    expect(calls['validations[0]']).toBe(3);
  });
});

describe('the trial of reuse', () => {
  it('ends with too few reused even when its last lookup is reused', async () => {
    const file = join(dir, 'ids.yaml');
    writeFileSync(file, `id: ids
title: Accounts have ids
severity: low
resource: account
validations:
  - expression: account.id != ""
remediation: None.
`);
    const [rule] = await loadRules([file], DEFAULT_CONFIG);
    const compiled = compiledRuleOf(rule!)!;
    const values = new ReusedValues<string>(() => observedPaths(compiled), () => true);
    // Every lookup a new account but the last, which repeats the first: 1 reused of TRIAL_LOOKUPS.
    for (let i = 0; i < TRIAL_LOOKUPS - 1; i++) values.get(account(`${500 + i}`, []), () => `v${i}`);
    expect(values.get(account('500', []), () => 'again')).toBe('v0');
    expect(values.keyed).toBe(false);
  });
});
