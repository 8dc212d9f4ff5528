/** Whether SCPs apply to an account, and the shape of every answer: the question's resource, the reasons, nothing made up. */
import { describe, expect, it } from 'vitest';
import { evaluateScpProtection } from '../../src/model/scp-evaluate.ts';
import { accountLinesPart, buildIndex, DEFAULT_MODEL_OPTIONS, indexOf } from '../../src/model/model-index.ts';
import { denyPolicy, MEMBER, OTHER, testHeader, testIndex } from './scp-fixture.ts';

const STOP = 'cloudtrail:StopLogging';
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';

describe('whether SCPs apply', () => {
  it('an organization that could not be read leaves every answer unknown, with the failed call', () => {
    const header = testHeader();
    header.organization = { error: { operation: 'organizations:DescribeOrganization', code: 'AccessDeniedException', message: 'no' } };
    const r = evaluateScpProtection(buildIndex(header, [], DEFAULT_MODEL_OPTIONS), MEMBER, STOP);
    expect(r).toEqual({ action: STOP, outcome: 'unknown', reason: 'the organization is unknown: organizations:DescribeOrganization failed: AccessDeniedException: no', denials: [], allowedByPath: 'unknown' });
  });

  it('another policy type enabled on the root is not SCPs', () => {
    const roots = { value: [{ Id: 'r-root', Name: 'Root', PolicyTypes: [{ Type: 'TAG_POLICY', Status: 'ENABLED' }, { Type: 'SERVICE_CONTROL_POLICY', Status: 'PENDING_ENABLE' }] }] };
    expect(evaluateScpProtection(testIndex({ roots }), MEMBER, STOP)).toMatchObject({ outcome: 'not-applicable', reason: 'the SERVICE_CONTROL_POLICY policy type is not enabled on root r-root' });
  });

  it('SCPs that could not be listed leave the answer unknown, naming the call', () => {
    const index = testIndex({ policiesFetched: { error: { operation: 'organizations:ListPolicies', code: 'AccessDeniedException', message: 'no' } } });
    expect(evaluateScpProtection(index, MEMBER, STOP, TRAIL)).toEqual({
      action: STOP,
      resourceArn: TRAIL,
      outcome: 'unknown',
      reason: 'the SCPs could not be listed: organizations:ListPolicies failed: AccessDeniedException: no',
      denials: [],
      allowedByPath: 'unknown',
    });
  });
});

describe('the answer', () => {
  it('carries the resource asked about, and none when asked about every resource', () => {
    const index = testIndex();
    expect(evaluateScpProtection(index, MEMBER, STOP, TRAIL)).toEqual({ action: STOP, resourceArn: TRAIL, outcome: 'not-denied', reason: 'no SCP on the path denies it', denials: [], allowedByPath: true });
    expect(evaluateScpProtection(index, MEMBER, STOP)).not.toHaveProperty('resourceArn');
  });

  it('a conditional denial names every condition', () => {
    const r = evaluateScpProtection(
      testIndex({ policies: [denyPolicy({ Action: STOP, Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] }, Bool: { 'aws:ViaAWSService': 'false' } } })] }),
      MEMBER,
      STOP,
    );
    expect(r.reason).toBe(
      'denied by Deny p-deny (p-deny) statement #1 at root Root (r-root) only when StringNotEquals aws:RequestedRegion [eu-west-1, us-east-1] and Bool aws:ViaAWSService false',
    );
  });
});

describe('policies attached to accounts', () => {
  const policies = [
    denyPolicy({ Action: STOP }, [MEMBER, OTHER], 'p-stop'),
    denyPolicy({ Action: 'cloudtrail:DeleteTrail' }, [OTHER, MEMBER, MEMBER], 'p-delete'),
    denyPolicy({ Action: 'cloudtrail:UpdateTrail' }, [OTHER], 'p-update'),
  ];

  it("are found for the accounts a thread places, each account with its own, as with every account placed", () => {
    const whole = testIndex({ policies });
    const share = indexOf(testHeader({ policies }), accountLinesPart(whole), new Set([MEMBER]));
    for (const action of [STOP, 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail']) {
      expect(evaluateScpProtection(share, MEMBER, action)).toEqual(evaluateScpProtection(whole, MEMBER, action));
    }
    expect(evaluateScpProtection(share, MEMBER, STOP)).toMatchObject({ outcome: 'denied' });
    expect(evaluateScpProtection(share, MEMBER, 'cloudtrail:UpdateTrail')).toMatchObject({ outcome: 'not-denied' });
    expect(evaluateScpProtection(whole, OTHER, 'cloudtrail:UpdateTrail')).toMatchObject({ outcome: 'denied' });
    // An account listed twice among a policy's targets is attached it twice, as AWS listed it.
    expect(evaluateScpProtection(whole, MEMBER, 'cloudtrail:DeleteTrail').denials).toHaveLength(2);
    expect(evaluateScpProtection(whole, OTHER, 'cloudtrail:DeleteTrail').denials).toHaveLength(1);
  });
});
