/**
 * SCP evaluation details: Resource / NotResource lists, which levels allow an action, denials in
 * path order, policies whose targets are unknown, and answers to different questions on one index
 * never mixed up.
 */
import { describe, expect, it } from 'vitest';
import { evaluateScpProtection } from '../../src/model/scp-evaluate.ts';
import { denyPolicy, FULL_ACCESS, MEMBER, testIndex, type TestPolicy } from './scp-fixture.ts';

const STOP = 'cloudtrail:StopLogging';
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const OTHER_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/team-trail';
const TARGETS_UNKNOWN = { error: { operation: 'organizations:ListTargetsForPolicy', code: 'AccessDenied', message: 'no' } };
const allowOnly = (id: string, actions: string[], targets: string[]): TestPolicy => ({
  id,
  name: id,
  document: { Statement: actions.map((Action) => ({ Effect: 'Allow', Action, Resource: '*' })) },
  targets,
});
/** FULL_ACCESS everywhere on the member's path but `level`. */
const fullAccessBut = (level: string): TestPolicy => ({ ...FULL_ACCESS, targets: ['r-root', 'ou-work', 'ou-prod', MEMBER].filter((t) => t !== level) });

describe('Resource and NotResource lists', () => {
  it('asked for one trail, any pattern of the list may match it', () => {
    const r = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Resource: [OTHER_TRAIL, TRAIL] })] }), MEMBER, STOP, TRAIL);
    expect(r.outcome).toBe('denied');
  });

  it('asked for every trail, one pattern covering all of them is enough', () => {
    const r = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Resource: ['arn:aws:s3:::logs', '*'] })] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'denied', denials: [{ mode: 'unconditional', conditions: [] }] });
  });

  it('a NotResource that leaves some trails denied is a condition naming it; one excluding everything denies nothing', () => {
    const some = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Resource: undefined, NotResource: [OTHER_TRAIL, TRAIL] })] }), MEMBER, STOP);
    expect(some).toMatchObject({ outcome: 'conditional', denials: [{ conditions: [`NotResource ${OTHER_TRAIL}, ${TRAIL}`] }] });
    expect(some.reason).toBe(`denied by Deny p-deny (p-deny) statement #1 at root Root (r-root) only when NotResource ${OTHER_TRAIL}, ${TRAIL}`);
    const none = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Resource: undefined, NotResource: '*' })] }), MEMBER, STOP);
    expect(none).toMatchObject({ outcome: 'not-denied', denials: [] });
  });

  it('a Resource limited to some trails is a condition naming them', () => {
    const r = evaluateScpProtection(testIndex({ policies: [denyPolicy({ Action: STOP, Resource: [TRAIL, OTHER_TRAIL] })] }), MEMBER, STOP);
    expect(r.denials[0]?.conditions).toEqual([`Resource ${TRAIL}, ${OTHER_TRAIL}`]);
  });

  it('an Allow limited to other resources does not allow the action on this one', () => {
    const limited: TestPolicy = { id: 'p-lim', name: 'p-lim', document: { Statement: [{ Effect: 'Allow', Action: '*', Resource: OTHER_TRAIL }] }, targets: [MEMBER] };
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [fullAccessBut(MEMBER), limited] }), MEMBER, STOP, TRAIL);
    expect(r).toMatchObject({ outcome: 'denied', allowedByPath: false, notAllowedAt: { id: MEMBER } });
  });
});

describe('principal exemptions', () => {
  it('are listed sorted and once each', () => {
    const r = evaluateScpProtection(
      testIndex({ policies: [denyPolicy({ Action: STOP, Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/Zeta', 'arn:aws:iam::*:role/Alpha', 'arn:aws:iam::*:role/Zeta'] } } })] }),
      MEMBER,
      STOP,
    );
    expect(r.denials[0]?.exemptPrincipals).toEqual(['arn:aws:iam::*:role/Alpha', 'arn:aws:iam::*:role/Zeta']);
  });
});

describe('which levels allow the action', () => {
  it('a policy allows it when any of its statements does', () => {
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [fullAccessBut('ou-work'), allowOnly('p-two', ['ec2:*', 'cloudtrail:*'], ['ou-work'])] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'not-denied', allowedByPath: true });
  });

  it('a Deny statement allows nothing: a level with only a Deny for something else is an implicit deny', () => {
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [fullAccessBut('ou-work'), denyPolicy({ Action: 'ec2:*' }, ['ou-work'])] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'denied', allowedByPath: false, reason: 'no SCP attached to OU Workloads (ou-work) allows it (implicit deny)' });
  });

  it('a level whose only policy is unreadable leaves the answer unknown, not an implicit deny', () => {
    const secret: TestPolicy = { id: 'p-secret', name: 'Secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['ou-work'] };
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [fullAccessBut('ou-work'), secret] }), MEMBER, STOP);
    expect(r).toMatchObject({
      outcome: 'unknown',
      allowedByPath: 'unknown',
      reason: 'policy Secret (p-secret) attached to OU Workloads (ou-work): organizations:DescribePolicy failed: AccessDenied: no; OU Workloads (ou-work) has a policy that could not be read',
    });
  });

  it('a level that allows the action stays allowed beside an unreadable policy', () => {
    const secret: TestPolicy = { id: 'p-secret', name: 'Secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['ou-work'] };
    const r = evaluateScpProtection(testIndex({ policies: [secret] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'unknown', allowedByPath: true });
  });

  it('a policy with unknown targets that cannot allow the action leaves an implicit deny standing', () => {
    const unplacedEc2: TestPolicy = { ...allowOnly('p-ec2', ['ec2:*'], []), targets: TARGETS_UNKNOWN };
    const r = evaluateScpProtection(testIndex({ fullAccess: false, policies: [fullAccessBut('ou-work'), allowOnly('p-s3', ['s3:*'], ['ou-work']), unplacedEc2] }), MEMBER, STOP);
    expect(r).toMatchObject({ outcome: 'denied', reason: 'no SCP attached to OU Workloads (ou-work) allows it (implicit deny)' });
  });
});

describe('policies whose targets are unknown', () => {
  it('one that denies the action is named as a doubt; one also unreadable says so', () => {
    const unplacedDeny: TestPolicy = { ...denyPolicy({ Action: 'cloudtrail:*' }, [], 'p-u'), targets: TARGETS_UNKNOWN };
    expect(evaluateScpProtection(testIndex({ policies: [unplacedDeny] }), MEMBER, STOP).reason).toBe('the targets of policy Deny p-u (p-u) could not be read');
    const unreadable: TestPolicy = { id: 'p-x', name: 'X', content: { value: '{' }, targets: TARGETS_UNKNOWN };
    expect(evaluateScpProtection(testIndex({ policies: [unreadable] }), MEMBER, STOP).reason).toMatch(
      /^the targets of policy X \(p-x\) could not be read and its content neither: policy content is not valid JSON: /,
    );
  });
});

describe('denials along the path', () => {
  it('of equal strength are listed root first, whatever their policy ids', () => {
    const policies = [denyPolicy({ Action: STOP }, ['r-root'], 'p-zzz'), denyPolicy({ Action: STOP }, ['ou-prod'], 'p-aaa'), denyPolicy({ Action: STOP }, [MEMBER], 'p-mmm')];
    const r = evaluateScpProtection(testIndex({ policies }), MEMBER, STOP);
    expect(r.denials.map((d) => d.policyId)).toEqual(['p-zzz', 'p-aaa', 'p-mmm']);
    expect(r.reason).toBe('denied by Deny p-zzz (p-zzz) statement #1 at root Root (r-root)');
  });
});

describe('several questions on one index', () => {
  it('an answer for every trail is not reused for one trail, nor the other way round', () => {
    const index = testIndex({ policies: [denyPolicy({ Action: STOP, Resource: TRAIL }, ['ou-prod'])] });
    expect(evaluateScpProtection(index, MEMBER, STOP).outcome).toBe('conditional');
    expect(evaluateScpProtection(index, MEMBER, STOP, OTHER_TRAIL).outcome).toBe('not-denied');
    expect(evaluateScpProtection(index, MEMBER, STOP, TRAIL).outcome).toBe('denied');
    expect(evaluateScpProtection(index, MEMBER, STOP).outcome).toBe('conditional');
  });
});
