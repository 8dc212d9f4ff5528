/**
 * Outcomes reused between subjects that look the same to a rule (verdict-cache.ts): reused only
 * when every fact the rule can observe is equal (an ERROR explained again for each subject), never
 * for data that is not plain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { compileExpression, ruleEnvironment } from '../../src/rules/cel.ts';
import type { CompiledRule } from '../../src/rules/evaluate.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { compiledRuleOf } from '../../src/rules/load/loaded.ts';
import { MAX_OUTCOMES, OUTCOMES_MET_ONCE, observedPaths } from '../../src/rules/verdict-cache.ts';
import type { RuleDocument } from '../../src/rules/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-verdict-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = `id: bucket-names
title: Every trail's bucket is named
severity: low
resource: account
match: account.status == "ACTIVE"
variables:
  - name: unnamed
    expression: account.trails.filter(t, t.bucket == null || t.bucket.name == "")
validations:
  - expression: variables.unnamed.size() == 0
    messageExpression: '"unnamed: " + variables.unnamed.map(t, t.arn).join(", ")'
passMessageExpression: 'account.trails.map(t, t.bucket.name).join(", ")'
evidence: 'account.trails.map(t, {"trail": t.arn, "logging": t.isLogging})'
remediation: Name it.
`;

async function loadRule(): Promise<LoadedRule> {
  const file = join(dir, 'bucket-names.yaml');
  writeFileSync(file, RULE);
  const [rule] = await loadRules([file], DEFAULT_CONFIG);
  return rule!;
}

function account(id: string, trails: unknown[], extra: Record<string, unknown> = {}): EvaluationSubject {
  return {
    resource: { type: 'account', id, accountId: id, name: id },
    // Hand-written facts: only what the rules under test read.
    activation: { organization: {}, account: { id, name: `name-${id}`, status: 'ACTIVE', trails, ...extra } } as never,
  };
}

const trail = (arn: string, bucket: string | null, more: Record<string, unknown> = {}) => ({
  arn,
  isLogging: true,
  bucket: bucket === null ? null : { name: bucket, ownerAccountId: '999' },
  retention: { logObjectPrefix: `AWSLogs/${arn}/` },
  ...more,
});

describe('rule evaluation with reused outcomes', () => {
  it('reuses the outcome of a subject whose observed facts are equal, with the subject as resource', async () => {
    const rule = await loadRule();
    const first = rule.evaluate(account('111', [trail('arn:t1', 'logs')], { email: 'a@x' }));
    // Different account id, name, email and log prefix: none of them is read by the rule.
    const second = rule.evaluate(account('222', [{ ...trail('arn:t1', 'logs'), retention: { logObjectPrefix: 'other/' } }], { email: 'b@x' }));
    expect(second.status).toBe('PASS');
    expect(second.message).toBe('logs');
    expect(second.resource.id).toBe('222');
    expect(second.evidence).toBe(first.evidence); // the same object: it was reused, not recomputed
  });

  it('evaluates again when a fact that only a message or the evidence reads differs', async () => {
    const rule = await loadRule();
    const a = rule.evaluate(account('111', [trail('arn:t1', 'logs')]));
    const b = rule.evaluate(account('222', [trail('arn:t1', 'other-logs')]));
    expect([a.message, b.message]).toEqual(['logs', 'other-logs']);
    const c = rule.evaluate(account('333', [trail('arn:t1', 'logs', { isLogging: false })]));
    expect(c.evidence).toEqual([{ trail: 'arn:t1', logging: false }]);
    const d = rule.evaluate(account('444', [trail('arn:t1', 'logs'), trail('arn:t2', 'logs')]));
    expect(d.message).toBe('logs, logs');
    const e = rule.evaluate(account('555', [trail('arn:t1', null)]));
    expect(e.status).toBe('FAIL');
    expect(e.message).toBe('unnamed: arn:t1');
    const f = rule.evaluate(account('666', [trail('arn:t1', 'logs')], { status: 'SUSPENDED' }));
    expect(f.status).toBe('NOT_APPLICABLE');
  });

  it('judges frozen facts shared by subjects (as the model shares SCP facts) by their content, each subject its own', async () => {
    const rule = await loadRule();
    const shared = Object.freeze([Object.freeze(trail('arn:t1', 'logs')), Object.freeze(trail('arn:t2', 'logs-2'))]);
    const first = rule.evaluate(account('111', shared as unknown[]));
    const second = rule.evaluate(account('222', shared as unknown[]));
    expect([first.message, second.message]).toEqual(['logs, logs-2', 'logs, logs-2']);
    expect(second.resource.id).toBe('222');
    expect(second.evidence).toBe(first.evidence);
    // Other frozen objects with equal content share the key; different content does not.
    const again = Object.freeze([Object.freeze(trail('arn:t1', 'logs')), Object.freeze(trail('arn:t2', 'logs-2'))]);
    expect(rule.evaluate(account('333', again as unknown[])).evidence).toBe(first.evidence);
    const fourth = rule.evaluate(account('444', Object.freeze([Object.freeze(trail('arn:t1', 'other'))]) as unknown[]));
    expect(fourth.message).toBe('other');
    // The same content in objects that are not frozen is keyed by its text, not the frozen one's
    // token: judged again (a miss, never a wrong reuse), then reused between unfrozen subjects.
    const unfrozen = rule.evaluate(account('555', [trail('arn:t1', 'logs'), trail('arn:t2', 'logs-2')]));
    expect(unfrozen.evidence).toEqual(first.evidence);
    expect(rule.evaluate(account('666', [trail('arn:t1', 'logs'), trail('arn:t2', 'logs-2')])).evidence).toBe(unfrozen.evidence);
  });

  it('keys equal facts alike for every rule that reads them, each rule its own outcomes', async () => {
    const rule = await loadRule();
    const file = join(dir, 'bucket-owner.yaml');
    writeFileSync(file, RULE.replace('id: bucket-names', 'id: bucket-owner').replace('t.bucket.name).join', 't.bucket.ownerAccountId).join'));
    const [other] = await loadRules([file], DEFAULT_CONFIG);
    const subject = account('111', [trail('arn:t1', 'logs')]);
    // Two rules observe much the same paths of one subject: each gets its own message.
    expect(rule.evaluate(subject).message).toBe('logs');
    expect(other!.evaluate(subject).message).toBe('999');
    expect(rule.evaluate(account('222', [trail('arn:t1', 'logs')])).message).toBe('logs');
    expect(other!.evaluate(account('333', [{ ...trail('arn:t1', 'logs'), bucket: { name: 'logs', ownerAccountId: '888' } }])).message).toBe('888');
  });

  it("reuses an ERROR's decision, its message explained from each subject's facts, which the rule does not read", async () => {
    const rule = await loadRule();
    // Counted: the match runs once per outcome evaluated, not for an outcome reused.
    const compiled = compiledRuleOf(rule)!;
    const match = compiled.match!;
    let matched = 0;
    compiled.match = Object.assign((activation: Record<string, unknown>) => (matched++, match(activation)), { ast: match.ast });
    const first = rule.evaluate(account('111', [], { trails: undefined, unknown: { trails: 'cloudtrail:DescribeTrails failed: AccessDenied' } }));
    const second = rule.evaluate(account('222', [], { trails: undefined, unknown: { trails: 'cloudtrail:DescribeTrails failed: Throttling' } }));
    expect(first.status).toBe('ERROR');
    expect(first.message).toBe('could not decide: trails of name-111 is unknown: cloudtrail:DescribeTrails failed: AccessDenied');
    expect(second).toEqual({ ...first, message: 'could not decide: trails of name-222 is unknown: cloudtrail:DescribeTrails failed: Throttling', resource: account('222', []).resource });
    expect(matched).toBe(1);
    // A subject that decides otherwise is evaluated, not given the ERROR.
    expect(rule.evaluate(account('333', [trail('arn:t1', 'logs')])).status).toBe('PASS');
    expect(matched).toBe(2);
  });

  it('keys on a fact the rule only tests with has(): a PASS is not reused for an account without it', async () => {
    const file = join(dir, 'scp-present.yaml');
    writeFileSync(
      file,
      `id: scp-present
title: The account's SCP protection is known
severity: low
resource: account
validations:
  - expression: has(account.scp)
    message: no SCP facts
remediation: Read the SCPs.
`,
    );
    const [rule] = await loadRules([file], DEFAULT_CONFIG);
    const withScp = rule!.evaluate(account('111', [], { scp: { applicable: true, actions: {} } }));
    expect(withScp.status).toBe('PASS');
    // Everything else the rule could see is equal; only the presence of account.scp differs.
    const without = rule!.evaluate(account('222', []));
    expect(without.status).toBe('FAIL');
    expect(without.message).toBe('no SCP facts');
    // SCP facts the model could not build are absent too (has() asks without failing): not the PASS of account 111.
    const unknown = rule!.evaluate(account('333', [], { unknown: { scp: 'the SCPs could not be listed: AccessDeniedException' } }));
    expect(unknown.status).toBe('FAIL');
    expect(rule!.evaluate(account('444', [], { scp: { applicable: false, actions: {} } })).status).toBe('PASS');
  });

  it('does not reuse across values that only look alike as JSON', async () => {
    const rule = await loadRule();
    // JSON.stringify writes every Map as {}: a key built that way would confuse these two.
    const withMap = (id: string, value: string) => account(id, [trail('arn:t1', 'logs', { isLogging: new Map([['x', value]]) })]);
    expect(rule.evaluate(withMap('111', 'a')).evidence).toEqual([{ trail: 'arn:t1', logging: { x: 'a' } }]);
    expect(rule.evaluate(withMap('222', 'b')).evidence).toEqual([{ trail: 'arn:t1', logging: { x: 'b' } }]);
  });

  it(`keeps at most ${MAX_OUTCOMES} outcomes met again per rule: a new one beyond them is evaluated every time, the early ones still reused`, async () => {
    const rule = await loadRule();
    const subject = (i: number) => account(`${i}`, [trail('arn:t1', `logs-${i}`)]);
    const first = rule.evaluate(subject(0));
    // Each outcome is met again two subjects later, when neither of the last two projections is its own: kept.
    for (let i = 1; i <= MAX_OUTCOMES; i++) {
      rule.evaluate(subject(i));
      rule.evaluate(subject(0));
      rule.evaluate(subject(i - 1));
    }
    const beyond = rule.evaluate(subject(MAX_OUTCOMES + 1));
    expect(beyond.message).toBe(`logs-${MAX_OUTCOMES + 1}`);
    expect(rule.evaluate(subject(MAX_OUTCOMES + 1)).evidence).not.toBe(beyond.evidence);
    expect(rule.evaluate(subject(MAX_OUTCOMES - 1)).evidence).toBe(rule.evaluate(subject(MAX_OUTCOMES - 1)).evidence);
    expect(rule.evaluate(subject(0)).evidence).toBe(first.evidence);
  });

  it(`lets go of outcomes met only once when ${OUTCOMES_MET_ONCE} others have been met since, and keeps those met again`, async () => {
    const rule = await loadRule();
    const subject = (i: number) => account(`${i}`, [trail('arn:t1', `logs-${i}`)]);
    const common = rule.evaluate(subject(0)).evidence;
    const metOnce = rule.evaluate(subject(1)).evidence;
    const metAgain = rule.evaluate(subject(2)).evidence;
    rule.evaluate(subject(0));
    rule.evaluate(subject(3));
    expect(rule.evaluate(subject(2)).evidence).toBe(metAgain);
    // Every other subject a new outcome, the others the common one: reused often enough to pass the trial.
    for (let i = 4; i < 4 + OUTCOMES_MET_ONCE; i++) {
      rule.evaluate(subject(i));
      rule.evaluate(subject(0));
    }
    const again = rule.evaluate(subject(1));
    expect(again.message).toBe('logs-1');
    expect(again.evidence).toEqual(metOnce);
    expect(again.evidence).not.toBe(metOnce); // evaluated again: no longer held
    expect(rule.evaluate(subject(2)).evidence).toBe(metAgain);
    expect(rule.evaluate(subject(0)).evidence).toBe(common);
  });

  it('does not reuse across values JSON writes alike (NaN and null, a list item undefined and null)', async () => {
    const rule = await loadRule();
    const logging = (id: string, value: unknown) => account(id, [trail('arn:t1', 'logs', { isLogging: value })]);
    const asNull = rule.evaluate(logging('111', null)).evidence;
    expect(asNull).toEqual([{ trail: 'arn:t1', logging: null }]);
    // A reused outcome is the same evidence object; these are evaluated again.
    expect(rule.evaluate(logging('222', Number.NaN)).evidence).not.toBe(asNull);
    const nullItem = rule.evaluate(logging('333', [null])).evidence;
    expect(nullItem).toEqual([{ trail: 'arn:t1', logging: [null] }]);
    expect(rule.evaluate(logging('444', [undefined])).evidence).not.toBe(nullItem);
    expect(rule.evaluate(logging('445', [null])).evidence).toBe(nullItem);
    // A short projection is its own key, a long one its digest: both are reused when equal.
    const long = 'x'.repeat(200);
    const a = rule.evaluate(logging('555', long));
    expect(rule.evaluate(logging('666', long)).evidence).toBe(a.evidence);
    expect(rule.evaluate(logging('777', `${long}y`)).evidence).toEqual([{ trail: 'arn:t1', logging: `${long}y` }]);
  });
});

describe('outcomes of rules that look things up with `in`', () => {
  const membershipRule = async (id: string, expression: string): Promise<LoadedRule> => {
    const file = join(dir, `${id}.yaml`);
    writeFileSync(file, `id: ${id}\ntitle: x\nseverity: low\nresource: account\nvalidations:\n  - expression: '${expression}'\n    message: missing\nremediation: x\n`);
    const [rule] = await loadRules([file], DEFAULT_CONFIG);
    return rule!;
  };

  it('in a map, keys the keys present, not their values', async () => {
    const rule = await membershipRule('key-in-map', '"Team" in dyn(account.tags)');
    const first = rule.evaluate(account('111', [], { tags: { Team: 'a', Env: 'prod' } }));
    expect(first.status).toBe('PASS');
    // Other values under the same keys: the outcome is reused (the same evidence object).
    const reused = rule.evaluate(account('222', [], { tags: { Team: 'b', Env: 'dev' } }));
    expect(reused.evidence).toBe(first.evidence);
    expect(reused.resource.id).toBe('222');
    // The key absent, or present only as undefined (absent to CEL): judged again.
    expect(rule.evaluate(account('333', [], { tags: { Env: 'prod' } })).status).toBe('FAIL');
    expect(rule.evaluate(account('444', [], { tags: { Team: undefined, Env: 'prod' } })).status).toBe('FAIL');
    expect(rule.evaluate(account('555', [], { tags: { Env: 'prod', Team: 'c' } })).status).toBe('PASS');
  });

  it('in a list, keys its elements', async () => {
    const rule = await membershipRule('key-in-list', '"eu-west-1" in account.regions');
    expect(rule.evaluate(account('111', [], { regions: ['eu-west-1', 'us-east-1'] })).status).toBe('PASS');
    // As many elements, other values: not the PASS above.
    expect(rule.evaluate(account('222', [], { regions: ['eu-west-2', 'us-east-1'] })).status).toBe('FAIL');
    expect(rule.evaluate(account('333', [], { regions: ['us-east-1', 'eu-west-1'] })).status).toBe('PASS');
  });
});

describe('observedPaths', () => {
  const compiled = (doc: Partial<RuleDocument> & { validations: RuleDocument['validations'] }, variables: { name: string; expression: string }[] = []): CompiledRule => {
    const compile = (text: string) => {
      const result = compileExpression(ruleEnvironment(variables.map((v) => v.name), ['p']), text);
      if (!('compiled' in result)) throw new Error(result.error.summary);
      return result.compiled;
    };
    return {
      document: { id: 'x', title: 'x', severity: 'low', resource: 'account', remediation: 'x', ...doc } as RuleDocument,
      celParams: {},
      variables: variables.map((v) => ({ name: v.name, expression: compile(v.expression) })),
      validations: doc.validations.map((v) => ({ text: v.expression, expression: compile(v.expression) })),
    };
  };
  const describePaths = (rule: CompiledRule) => {
    const paths = observedPaths(rule);
    if (!paths) return undefined;
    const out: string[] = [];
    const walk = (node: { whole: boolean; members: boolean; children: Map<string, unknown> }, path: string) => {
      out.push(`${path}${node.whole ? ' (whole)' : ''}${node.members ? ' (members)' : ''}`);
      for (const [key, child] of node.children) walk(child as typeof node, `${path}.${key}`);
    };
    for (const [root, node] of paths) walk(node, root);
    return out;
  };

  it('records navigated paths and the ones whose values are used', () => {
    const rule = compiled({ validations: [{ expression: 'variables.bad.size() == 0 && has(account.scp) && account.scp.actions[params.p[0]].outcome == "denied"' }] }, [
      { name: 'bad', expression: 'account.trails.filter(t, t.bucket != null && !t.bucket.locked)' },
    ]);
    expect(describePaths(rule)).toEqual([
      'account',
      'account.trails',
      'account.trails.*',
      'account.trails.*.bucket',
      'account.trails.*.bucket.locked (whole)',
      'account.scp',
      'account.scp.actions',
      'account.scp.actions.*',
      'account.scp.actions.*.outcome (whole)',
    ]);
  });

  it('reads the elements compared by `in` whole, and the collection it looks in as members', () => {
    expect(describePaths(compiled({ validations: [{ expression: 'account.trails.all(t, t in account.old)' }] }))).toEqual([
      'account',
      'account.trails',
      'account.trails.* (whole)',
      'account.old (members)',
    ]);
  });

  it('looks an element up in a selection of its own list by what selected it; elsewhere by its whole value', () => {
    const selected = compiled({ validations: [{ expression: 'account.trails.filter(t, t in variables.short || t in dyn(params.p ? account.trails.filter(u, u.on) : [])).size() == 0' }] }, [
      { name: 'short', expression: 'account.trails.filter(t, t.days < 365)' },
    ]);
    const paths = describePaths(selected)!;
    expect(paths).toEqual(['account', 'account.trails', 'account.trails.*', 'account.trails.*.days (whole)', 'account.trails.*.on (whole)']);
    expect(observedPaths(selected)!.get('account')!.children.get('trails')!.comparesElements).toBe(true);
    // Not the same list (another path, or one list per trail under an iteration): whole values.
    expect(describePaths(compiled({ validations: [{ expression: 'account.trails.all(t, t in account.old.filter(o, o.on))' }] }))).toContain('account.trails.* (whole)');
    expect(describePaths(compiled({ validations: [{ expression: 'account.trails.all(t, t.rules.all(r, r in t.rules.filter(x, x.on)))' }] }))).toContain('account.trails.*.rules.* (whole)');
    expect(describePaths(compiled({ validations: [{ expression: 'account.trails.all(t, t in account.trails.map(u, u))' }] }))).toContain('account.trails.* (whole)');
  });

  it('sees through dyn(), a cast that returns its argument', () => {
    expect(describePaths(compiled({ validations: [{ expression: '"actions" in dyn(account.byRegion[params.p[0]]) && dyn(account.x).y == 1' }] }))).toEqual([
      'account',
      'account.byRegion',
      'account.byRegion.* (members)',
      'account.x',
      'account.x.y (whole)',
    ]);
  });
});
