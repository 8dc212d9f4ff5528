import { describe, expect, it } from 'vitest';
import { scpFacts } from '../../src/model/scp.ts';
import { parseScpContent } from '../../src/model/scp-policy.ts';
import { resourcePatternCoversAll } from '../../src/model/scp-match.ts';
import { denyPolicy, MANAGEMENT, MEMBER, testIndex } from './scp-fixture.ts';

describe('parseScpContent', () => {
  it('normalises single statements, string actions and scalar condition values', () => {
    const parsed = parseScpContent(
      JSON.stringify({
        Statement: { Effect: 'Deny', Action: 'cloudtrail:StopLogging', Condition: { Bool: { 'aws:MultiFactorAuthPresent': false } } },
      }),
    );
    expect(parsed.value).toEqual([
      {
        ref: '#1',
        effect: 'Deny',
        actions: { negated: false, patterns: ['cloudtrail:StopLogging'] },
        resources: { negated: false, patterns: ['*'] },
        conditions: [{ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['false'] }],
      },
    ]);
  });

  it.each([
    ['both Action and NotAction', { Statement: [{ Effect: 'Deny', Action: '*', NotAction: 'iam:*' }] }, 'has both Action and NotAction'],
    ['no Effect', { Statement: [{ Action: '*' }] }, 'Statement[0].Effect'],
    ['no Action', { Statement: [{ Effect: 'Deny' }] }, 'neither Action nor NotAction'],
    ['Action of the wrong type', { Statement: [{ Effect: 'Deny', Action: 5 }] }, 'Statement[0].Action must be'],
    ['no Statement', { Version: '2012-10-17' }, 'no Statement'],
  ])('reports %s as unreadable, naming the place', (_name, doc, message) => {
    const parsed = parseScpContent(JSON.stringify(doc));
    expect(parsed.value).toBeUndefined();
    expect(parsed.reason).toContain(message);
  });
});

describe('resourcePatternCoversAll', () => {
  it.each([
    ['*', true],
    ['arn:aws:cloudtrail:*:*:trail/*', true],
    ['arn:*:*:*:*:*', true],
    ['arn:aws:cloudtrail:*:*:*', true],
    ['arn:aws:cloudtrail:us-east-1:*:trail/*', false],
    ['arn:aws:cloudtrail:*:111111111111:trail/*', false],
    ['arn:aws:cloudtrail:*:*:trail/org-*', false],
    ['arn:aws:s3:::*', false],
  ])('%s → %s', (pattern, expected) => {
    expect(resourcePatternCoversAll(pattern, 'cloudtrail')).toBe(expected);
  });
});

describe('scpFacts', () => {
  const actions = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail'];

  it('keys every configured action, with outcome, reason and denials', () => {
    const index = testIndex({ policies: [denyPolicy({ Sid: 'NoStop', Action: 'cloudtrail:StopLogging' }, ['ou-prod'])], scpActions: actions });
    const facts = scpFacts(index, MEMBER).value!;
    expect(facts.applicable).toBe(true);
    expect(Object.keys(facts.actions)).toEqual(['cloudtrail:DeleteTrail', 'cloudtrail:StopLogging']);
    expect(facts.actions['cloudtrail:StopLogging']).toMatchObject({ outcome: 'denied', allowedByPath: true, denials: [{ statement: 'NoStop', level: { name: 'Prod' } }] });
    expect(facts.actions['cloudtrail:DeleteTrail']).toMatchObject({ outcome: 'not-denied', denials: [] });
  });

  it('is not applicable to the management account, saying why', () => {
    const facts = scpFacts(testIndex({ scpActions: actions }), MANAGEMENT).value!;
    expect(facts.applicable).toBe(false);
    expect(facts.reason).toBe('SCPs do not apply to the management account');
  });

  it('is unknown as a whole when nothing can be decided', () => {
    const index = testIndex({
      policies: [{ id: 'p-x', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['r-root'] }],
      scpActions: actions,
    });
    const facts = scpFacts(index, MEMBER);
    expect(facts.value).toBeUndefined();
    expect(facts.reason).toContain('organizations:DescribePolicy failed: AccessDenied');
  });

  it('marks only the undecided actions unknown when others are proven', () => {
    const index = testIndex({
      policies: [
        denyPolicy({ Action: 'cloudtrail:StopLogging' }, [MEMBER]),
        { id: 'p-x', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['r-root'] },
      ],
      scpActions: actions,
    });
    const facts = scpFacts(index, MEMBER).value!;
    expect(facts.actions['cloudtrail:StopLogging']!.outcome).toBe('denied');
    const undecided = facts.actions['cloudtrail:DeleteTrail']!;
    expect(undecided.outcome).toBeUndefined();
    expect('outcome' in undecided).toBe(false);
    expect(undecided.unknown?.outcome).toContain('p-x');
  });

  it('builds the per-target policy index once per model index', () => {
    const index = testIndex({ scpActions: actions });
    scpFacts(index, MEMBER);
    const built = index.memo.get('scp');
    expect(built).toBeDefined();
    scpFacts(index, MANAGEMENT);
    expect(index.memo.get('scp')).toBe(built);
  });
});
