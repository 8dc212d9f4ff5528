/**
 * Outcomes reused between subjects that look the same to a rule (verdict-cache.ts): reused only
 * when every fact the rule can observe is equal, never for ERROR, never for data that is not plain.
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
import { observedPaths } from '../../src/rules/verdict-cache.ts';
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
    // Equal content in objects that are not shared is still the same key; different content is not.
    const third = rule.evaluate(account('333', [trail('arn:t1', 'logs'), trail('arn:t2', 'logs-2')]));
    expect(third.evidence).toBe(first.evidence);
    const fourth = rule.evaluate(account('444', Object.freeze([Object.freeze(trail('arn:t1', 'other'))]) as unknown[]));
    expect(fourth.message).toBe('other');
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

  it('never reuses an ERROR: its explanation comes from facts the rule does not read', async () => {
    const rule = await loadRule();
    const first = rule.evaluate(account('111', [], { trails: undefined, unknown: { trails: 'cloudtrail:DescribeTrails failed: AccessDenied' } }));
    const second = rule.evaluate(account('222', [], { trails: undefined, unknown: { trails: 'cloudtrail:DescribeTrails failed: Throttling' } }));
    expect(first.status).toBe('ERROR');
    expect(first.message).toContain('AccessDenied');
    expect(second.message).toContain('Throttling');
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
    const walk = (node: { whole: boolean; children: Map<string, unknown> }, path: string) => {
      out.push(`${path}${node.whole ? ' (whole)' : ''}`);
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

  it('reads a whole list when its elements are compared', () => {
    expect(describePaths(compiled({ validations: [{ expression: 'account.trails.all(t, t in account.old)' }] }))).toEqual([
      'account',
      'account.trails',
      'account.trails.* (whole)',
      'account.old (whole)',
    ]);
  });
});
