/**
 * Loading a rule again from plain data, as a worker thread does (src/rules/load/specs.ts), and giving
 * a loaded rule other parameters without recompiling it (src/rules/load/loaded.ts), in-process.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';
import { compiledRuleOf, loadRules, loadRuleSpecs, ruleSpecOf, withParams, type LoadedRule } from '../../src/rules/load.ts';
import { problemsThrownBy } from '../fixtures/rule-load-problems.ts';

const RULE = [
  'id: enough-tags',
  'title: Enough tags',
  'severity: low',
  'remediation: tag it',
  'resource: account',
  'params:',
  '  minimum: { type: integer, minimum: 0, default: 2, description: tags needed }',
  'validations:',
  '  - expression: account.tags.size() >= params.minimum',
  '    messageExpression: \'"has " + string(account.tags.size()) + ", needs " + string(params.minimum)\'',
  '',
].join('\n');

async function loaded(overrides: Record<string, unknown> = {}): Promise<{ rule: LoadedRule; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-specs-'));
  const file = join(dir, 'enough-tags.yaml');
  writeFileSync(file, RULE);
  const config = { ...structuredClone(DEFAULT_CONFIG), rules: { ...DEFAULT_CONFIG.rules, params: { 'enough-tags': overrides } } };
  const [rule] = await loadRules([dir], config);
  return { rule: rule!, file };
}

const withTags = (n: number): EvaluationSubject =>
  ({ resource: { type: 'account', id: '1', accountId: '1' }, activation: { account: { id: '1', tags: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v'])) } } }) as unknown as EvaluationSubject;


describe('rule specs', () => {
  it('a file-loaded rule has a spec of plain data; loading it again judges the same with the same params and meta', async () => {
    const { rule, file } = await loaded({ minimum: 1 });
    const spec = ruleSpecOf(rule)!;
    expect(spec).toEqual({ file, source: rule.meta.source, params: { minimum: 1 }, sha256: rule.meta.sha256 });
    expect(structuredClone(spec)).toEqual(spec);
    const [again] = loadRuleSpecs([spec]);
    expect(again!.meta).toEqual(rule.meta);
    expect(again!.file).toBe(file);
    expect(again!.evaluate(withTags(1))).toEqual(rule.evaluate(withTags(1)));
    expect(again!.evaluate(withTags(0))).toMatchObject({ status: 'FAIL', message: 'has 0, needs 1' });
    expect(ruleSpecOf(again!)).toEqual(spec);
  });

  it('a rule whose evaluator was replaced, or made in code, has no spec; a copy that keeps the evaluator does', async () => {
    const { rule } = await loaded();
    expect(ruleSpecOf({ ...rule, evaluate: (s) => rule.evaluate(s) })).toBeUndefined();
    expect(ruleSpecOf({ ...rule, meta: { ...rule.meta, title: 'renamed' } })).toBeDefined();
  });

  it('a file that changed since it was first loaded is a problem naming it; every spec is tried', async () => {
    const { rule, file } = await loaded();
    const spec = ruleSpecOf(rule)!;
    writeFileSync(file, readFileSync(file, 'utf8').replace('severity: low', 'severity: high'));
    const missing = { ...spec, file: join(tmpdir(), 'no-such-rule', 'enough-tags.yaml'), source: 'gone/enough-tags.yaml' };
    expect(problemsThrownBy(() => loadRuleSpecs([spec, missing]))).toEqual([
      `${spec.source}: the rule file changed while the scan was running; run it again`,
      'gone/enough-tags.yaml: cannot read: ENOENT',
    ]);
  });

  it('params in a spec that the rule does not declare are a problem located at the spec', async () => {
    const { rule } = await loaded();
    const spec = { ...ruleSpecOf(rule)!, params: { minimum: 2, typo: 1 } };
    expect(problemsThrownBy(() => loadRuleSpecs([spec]))).toEqual([`${spec.source}: params.typo: unknown parameter "typo" for rule enough-tags (it declares: minimum)`]);
  });
});

describe('withParams', () => {
  it('gives the same rule other params without recompiling: meta, evaluation and the compiled form follow', async () => {
    const { rule } = await loaded();
    const three = withParams(rule, { minimum: 3 }, 'case.yaml:4:5: params');
    expect(three.meta).toEqual({ ...rule.meta, params: { minimum: 3 } });
    expect(three.evaluate(withTags(2))).toMatchObject({ status: 'FAIL', message: 'has 2, needs 3' });
    expect(rule.evaluate(withTags(2)).status).toBe('PASS');
    expect(compiledRuleOf(three)!.celParams).toEqual({ minimum: 3n });
    expect(compiledRuleOf(three)!.validations).toBe(compiledRuleOf(rule)!.validations);
    expect(ruleSpecOf(three)).toMatchObject({ params: { minimum: 3 } });
  });

  it('an unknown or unfitting param is a UserError placed by a prefix or by a function', async () => {
    const { rule } = await loaded();
    expect(problemsThrownBy(() => withParams(rule, { minimum: -1, extra: true }, 'case.yaml:4:5: params'))).toEqual([
      'case.yaml:4:5: params.extra: unknown parameter "extra" for rule enough-tags (it declares: minimum)',
      'case.yaml:4:5: params.minimum: invalid value for parameter "minimum" of rule enough-tags: must be >= 0, got -1',
    ]);
    expect(problemsThrownBy(() => withParams(rule, { minimum: 'x' }, (name) => `at ${name}`))).toEqual([
      'at minimum: invalid value for parameter "minimum" of rule enough-tags: expected integer, got "x"',
    ]);
  });

  it('refuses a rule loadRules did not make', async () => {
    const { rule } = await loaded();
    expect(() => withParams({ ...rule }, {}, 'x')).toThrow('rule enough-tags was not produced by loadRules');
    expect(compiledRuleOf({ ...rule })).toBeUndefined();
  });
});

describe('a spec of a rule that does not compile', () => {
  it('is a problem of that rule, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-specs-'));
    const file = join(dir, 'broken.yaml');
    const text = RULE.replace('id: enough-tags', 'id: broken').replace('account.tags.size() >= params.minimum', 'account.tags.size( >=');
    writeFileSync(file, text);
    const sha256 = createHash('sha256').update(text).digest('hex');
    const found = problemsThrownBy(() => loadRuleSpecs([{ file, source: 'broken.yaml', params: {}, sha256 }]));
    expect(found).toEqual([expect.stringMatching(/^broken\.yaml:9:\d+: invalid CEL in validations\[0\]\.expression/)]);
  });
});
