import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { AccountFacts, EvaluationSubject, TrailFacts } from '../../src/model/facts.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { evaluateSubjects } from '../../src/rules/evaluate.ts';

async function rule(id: string, body: string, params: Record<string, unknown> = {}): Promise<LoadedRule> {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-eval-'));
  writeFileSync(join(dir, `${id}.yaml`), `id: ${id}\ntitle: The ${id} rule\nseverity: high\nremediation: fix it\n${body}`);
  const config = { ...structuredClone(DEFAULT_CONFIG), rules: { ...DEFAULT_CONFIG.rules, params: { [id]: params } } };
  const [loaded] = await loadRules([dir], config);
  return loaded!;
}

function trail(overrides: Partial<TrailFacts> = {}): TrailFacts {
  return {
    arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org',
    name: 'org',
    homeRegion: 'us-east-1',
    ownerAccountId: '111111111111',
    source: 'organization',
    isMultiRegion: true,
    isOrganizationTrail: true,
    includeGlobalServiceEvents: true,
    logFileValidation: true,
    kmsKeyId: null,
    cloudWatchLogsLogGroupArn: null,
    regions: ['us-east-1'],
    isLogging: true,
    bucket: { name: 'logs', ownerAccountId: '222222222222' },
    ...overrides,
  };
}

function accountSubject(account: Partial<AccountFacts> = {}): EvaluationSubject {
  // Hand-written facts: only what the rules under test read.
  const facts: Partial<AccountFacts> & Pick<AccountFacts, 'id' | 'name'> = {
    id: '333333333333',
    name: 'workload',
    status: 'ACTIVE',
    isManagement: false,
    ouPath: 'Root/Workloads',
    ouIds: ['r-test'],
    tags: {},
    regions: ['us-east-1'],
    trails: [trail()],
    ...account,
  };
  return {
    resource: { type: 'account', id: facts.id, accountId: facts.id, name: facts.name },
    activation: { organization: { id: 'o-test', managementAccountId: '111111111111' }, account: facts } as EvaluationSubject['activation'],
  };
}

function trailSubject(t: TrailFacts): EvaluationSubject {
  const s = accountSubject({ trails: [t] });
  return { resource: { type: 'trail', id: t.arn, arn: t.arn, accountId: '333333333333', name: t.name }, activation: { ...s.activation, trail: t } };
}

describe('verdicts', () => {
  it('PASS with the default message, FAIL with the static message, severity from the rule', async () => {
    const r = await rule('validates', 'resource: trail\nvalidations:\n  - expression: trail.logFileValidation\n    message: validation is off\n');
    const pass = r.evaluate(trailSubject(trail()));
    expect(pass).toMatchObject({ ruleId: 'validates', status: 'PASS', severity: 'high', message: 'The validates rule: passed' });
    expect(pass.resource.type).toBe('trail');
    const fail = r.evaluate(trailSubject(trail({ logFileValidation: false })));
    expect(fail).toMatchObject({ status: 'FAIL', message: 'validation is off' });
  });

  it('the first false validation gives the FAIL message; a later false one outranks an earlier error', async () => {
    const r = await rule(
      'two',
      [
        'resource: trail',
        'validations:',
        '  - expression: trail.isLogging',
        '    message: not logging',
        '  - expression: trail.logFileValidation',
        '    message: no validation',
        '',
      ].join('\n'),
    );
    expect(r.evaluate(trailSubject(trail({ isLogging: false, logFileValidation: false }))).message).toBe('not logging');
    const { isLogging: _drop, ...withoutStatus } = trail({ logFileValidation: false, unknown: { isLogging: 'GetTrailStatus failed' } });
    expect(r.evaluate(trailSubject(withoutStatus as TrailFacts))).toMatchObject({ status: 'FAIL', message: 'no validation' });
  });

  it('match false gives NOT_APPLICABLE with the default or the expression message', async () => {
    const plain = await rule('na', 'resource: account\nmatch: "!account.isManagement"\nvalidations:\n  - expression: "true"\n');
    expect(plain.evaluate(accountSubject({ isManagement: true }))).toMatchObject({
      status: 'NOT_APPLICABLE',
      message: 'not applicable: !account.isManagement',
      evidence: null,
    });
    const custom = await rule(
      'na2',
      'resource: account\nmatch: "!account.isManagement"\nnotApplicableMessageExpression: \'account.name + " is the management account"\'\nvalidations:\n  - expression: "true"\n',
    );
    expect(custom.evaluate(accountSubject({ isManagement: true })).message).toBe('workload is the management account');
    expect(custom.evaluate(accountSubject()).status).toBe('PASS');
  });

  it('ERROR takes its reason from the unknown map of the object missing the key', async () => {
    const r = await rule('logging', 'resource: account\nvalidations:\n  - expression: account.trails.all(t, t.isLogging)\n');
    const { isLogging: _drop, ...t } = trail({ unknown: { isLogging: 'cloudtrail:GetTrailStatus (111111111111/us-east-1) failed: AccessDenied: no' } });
    const v = r.evaluate(accountSubject({ trails: [t as TrailFacts] }));
    expect(v.status).toBe('ERROR');
    expect(v.message).toBe(
      'could not decide: isLogging of arn:aws:cloudtrail:us-east-1:111111111111:trail/org is unknown: cloudtrail:GetTrailStatus (111111111111/us-east-1) failed: AccessDenied: no',
    );
  });

  it('ERROR for an account-level unknown fact, and a CEL error summary otherwise', async () => {
    const r = await rule('trails', 'resource: account\nvalidations:\n  - expression: account.trails.size() > 0\n');
    const { trails: _drop, ...account } = accountSubject().activation.account!;
    const subject = accountSubject();
    subject.activation.account = { ...account, unknown: { trails: 'cloudtrail:DescribeTrails failed: Throttling' } } as AccountFacts;
    expect(r.evaluate(subject).message).toBe('could not decide: trails of workload is unknown: cloudtrail:DescribeTrails failed: Throttling');
    // A key missing from a map is data, not a typo: it type-checks, and is an ERROR at run time.
    const missing = await rule('missing', 'resource: account\nvalidations:\n  - expression: account.tags["team"] == "x"\n');
    expect(missing.evaluate(accountSubject())).toMatchObject({ status: 'ERROR', message: 'could not decide: No such key: team (in validations[0])' });
  });

  it('a validation whose dyn result is not a bool is an ERROR, not a PASS', async () => {
    const r = await rule('nonbool', 'resource: account\nvalidations:\n  - expression: dyn(account.name)\n');
    expect(r.evaluate(accountSubject())).toMatchObject({ status: 'ERROR', message: 'could not decide: the result is a string, not a bool (in validations[0])' });
  });

  it('messageExpression, with fallback to message and then to the expression text', async () => {
    const body = (msg: string) => `resource: account\nvalidations:\n  - expression: account.trails.size() > 1\n${msg}`;
    const withExpr = await rule('m1', body('    messageExpression: \'"only " + string(account.trails.size()) + " trail"\'\n'));
    expect(withExpr.evaluate(accountSubject()).message).toBe('only 1 trail');
    const broken = await rule('m2', body('    messageExpression: account.tags["nothing"]\n    message: too few trails\n'));
    expect(broken.evaluate(accountSubject())).toMatchObject({ status: 'FAIL', message: 'too few trails' });
    const bare = await rule('m3', body('    messageExpression: account.tags["nothing"]\n'));
    expect(bare.evaluate(accountSubject())).toMatchObject({ status: 'FAIL', message: 'failed: account.trails.size() > 1' });
  });

  it('evidence converts ints (BigInt) to numbers and maps to objects; an evidence error keeps the status', async () => {
    const r = await rule(
      'ev',
      [
        'resource: account',
        'params: { minimum: { type: integer, default: 2, description: trails needed } }',
        'validations:',
        '  - expression: account.trails.size() >= params.minimum',
        'evidence: \'{"count": account.trails.size(), "minimum": params.minimum, "ratio": 0.5, "trails": account.trails.map(t, {"arn": t.arn, "on": t.isLogging})}\'',
        '',
      ].join('\n'),
    );
    const v = r.evaluate(accountSubject());
    expect(v.status).toBe('FAIL');
    expect(v.evidence).toEqual({ count: 1, minimum: 2, ratio: 0.5, trails: [{ arn: trail().arn, on: true }] });
    expect(JSON.parse(JSON.stringify(v.evidence))).toEqual(v.evidence);
    const lowered = await rule('ev2', 'resource: account\nparams: { minimum: { type: integer, default: 2, description: trails needed } }\nvalidations:\n  - expression: account.trails.size() >= params.minimum\nevidence: account.tags["missing"]\n', { minimum: 1 });
    expect(lowered.evaluate(accountSubject())).toMatchObject({ status: 'PASS', evidence: { evidenceError: 'No such key: missing' } });
  });

  it('a variable that fails does not hide a validation that does not read it', async () => {
    const r = await rule(
      'lazy',
      [
        'resource: trail',
        'variables:',
        '  - name: keyAlias',
        '    expression: trail.kmsKeyId.startsWith("alias/")',
        '  - name: validated',
        '    expression: trail.logFileValidation',
        'validations:',
        '  - expression: variables.validated',
        '    message: no validation',
        '  - expression: variables.keyAlias',
        '    message: not an alias',
        '',
      ].join('\n'),
    );
    // kmsKeyId is null: keyAlias errors, but the first validation reads only `validated`.
    expect(r.evaluate(trailSubject(trail({ logFileValidation: false })))).toMatchObject({ status: 'FAIL', message: 'no validation' });
    const v = r.evaluate(trailSubject(trail()));
    expect(v.status).toBe('ERROR');
    expect(v.message).toMatch(/^could not decide: .* \(in variables\.keyAlias\)$/);
    expect(r.evaluate(trailSubject(trail({ kmsKeyId: 'alias/logs' }))).status).toBe('PASS');
  });

  it('passMessageExpression reads variables; params come from config over defaults', async () => {
    const r = await rule(
      'pm',
      'resource: account\nparams: { minimum: { type: integer, default: 5, description: trails needed } }\nvariables:\n  - name: n\n    expression: account.trails.size()\nvalidations:\n  - expression: variables.n >= params.minimum\npassMessageExpression: \'string(variables.n) + " >= " + string(params.minimum)\'\n',
      { minimum: 1 },
    );
    expect(r.evaluate(accountSubject())).toMatchObject({ status: 'PASS', message: '1 >= 1' });
  });

  it('evaluateSubjects judges only subjects of the rule resource type', async () => {
    const r = await rule('only-trails', 'resource: trail\nvalidations:\n  - expression: trail.isLogging\n');
    const verdicts = evaluateSubjects([r], [accountSubject(), trailSubject(trail()), trailSubject(trail({ arn: 'arn:other', isLogging: false }))]);
    expect(verdicts.map((v) => [v.resource.id, v.status])).toEqual([
      [trail().arn, 'PASS'],
      ['arn:other', 'FAIL'],
    ]);
    expect(() => r.evaluate(accountSubject())).toThrow(/judges trail resources/);
  });
});
