/**
 * What the SCP evaluation says when policies cannot be read: the reason names each policy, the
 * level it is attached to (root / OU / account, by name and id) and the failed call, in policy-id
 * order whatever order the organization listed them in.
 */
import { describe, expect, it } from 'vitest';
import { evaluateScpProtection } from '../../src/model/scp-evaluate.ts';
import { denyPolicy, FULL_ACCESS, MEMBER, testIndex, type TestPolicy } from './scp-fixture.ts';

const STOP = 'cloudtrail:StopLogging';
const denied = (message: string) => ({ error: { operation: 'organizations:DescribePolicy', code: 'AccessDeniedException', message } });

describe('an SCP whose content cannot be read', () => {
  it('names the failed DescribePolicy call, and the OU it is attached to', () => {
    const r = evaluateScpProtection(testIndex({ policies: [{ id: 'p-secret', name: 'Secret', content: denied('no'), targets: ['ou-prod'] }] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'unknown', reason: 'policy Secret (p-secret) attached to OU Prod (ou-prod): organizations:DescribePolicy failed: AccessDeniedException: no' });
  });

  it('a policy recorded without content says so, naming the account it is attached to', () => {
    const r = evaluateScpProtection(testIndex({ policies: [{ id: 'p-empty', name: 'Empty', content: { value: null, absent: 'PolicyNotFoundException' }, targets: [MEMBER] }] }), MEMBER, STOP);
    expect(r.reason).toBe('policy Empty (p-empty) attached to account member (111111111111): no content (PolicyNotFoundException)');
  });

  it('lists several unreadable policies by policy id, and names the root', () => {
    const policies: TestPolicy[] = [
      { id: 'p-zulu', name: 'Zulu', content: denied('z'), targets: ['r-root'] },
      { id: 'p-alpha', name: 'Alpha', content: denied('a'), targets: ['r-root'] },
    ];
    expect(evaluateScpProtection(testIndex({ policies }), MEMBER, STOP).reason).toBe(
      'policy Alpha (p-alpha) attached to root Root (r-root): organizations:DescribePolicy failed: AccessDeniedException: a; ' +
        'policy Zulu (p-zulu) attached to root Root (r-root): organizations:DescribePolicy failed: AccessDeniedException: z',
    );
  });

  it('unplaced policies that might allow the action are named in policy-id order', () => {
    const unplaced = (id: string): TestPolicy => ({ ...FULL_ACCESS, id, name: id, targets: { error: { operation: 'organizations:ListTargetsForPolicy', code: 'AccessDenied', message: 'no' } } });
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-work', MEMBER] }, unplaced('p-z'), unplaced('p-a')] }), MEMBER, STOP);
    expect(r.reason).toBe('nothing attached to OU Prod (ou-prod) allows it, but p-a, p-z (targets unknown) might be attached there');
  });
});

describe('levels named in an implicit deny', () => {
  it('names the account when nothing attached to it allows the action', () => {
    const allowOther: TestPolicy = { id: 'p-ec2', name: 'EC2 only', document: { Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }, targets: [MEMBER] };
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-work', 'ou-prod'] }, allowOther] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'denied', reason: 'no SCP attached to account member (111111111111) allows it (implicit deny)' });
  });

  it('names the root when nothing attached to it allows the action', () => {
    const allowOther: TestPolicy = { id: 'p-ec2', name: 'EC2 only', document: { Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }, targets: ['r-root'] };
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['ou-work', 'ou-prod', MEMBER] }, allowOther] }), MEMBER, STOP);
    expect(r.reason).toBe('no SCP attached to root Root (r-root) allows it (implicit deny)');
  });
});

describe('principal exemptions', () => {
  it('only an operator that ends in IfExists is read without it: anything else is a condition', () => {
    const odd = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Condition: { IfExistsArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } })] }), MEMBER, STOP);
    expect(odd).toMatchObject({ outcome: 'conditional', denials: [{ exemptPrincipals: [], conditions: ['IfExistsArnNotLike aws:PrincipalArn arn:aws:iam::*:role/Admin'] }] });
  });
});
