/** account.scp per action: what is unknown is named per field, and the whole is unknown only when no action is decided. */
import { describe, expect, it } from 'vitest';
import { scpFacts } from '../../src/model/scp.ts';
import { buildIndex, DEFAULT_MODEL_OPTIONS } from '../../src/model/model-index.ts';
import { denyPolicy, FULL_ACCESS, MEMBER, testHeader, testIndex, type TestPolicy } from './scp-fixture.ts';

const STOP = 'cloudtrail:StopLogging';
const DELETE = 'cloudtrail:DeleteTrail';
const secret = (targets: string[]): TestPolicy => ({ id: 'p-secret', name: 'Secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets });

describe('account.scp per action', () => {
  it('a decided action has no unknown entry', () => {
    const facts = scpFacts(testIndex({ scpActions: [STOP] }), MEMBER).value!;
    expect(facts.actions[STOP]).toEqual({ action: STOP, outcome: 'not-denied', reason: 'no SCP on the path denies it', denials: [], allowedByPath: true });
  });

  it('denied outright while a level could not be read: the outcome stands, allowedByPath is unknown for that reason', () => {
    const facts = scpFacts(testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-prod', MEMBER] }, secret(['ou-work']), denyPolicy({ Action: STOP })], scpActions: [STOP] }), MEMBER).value!;
    expect(facts.actions[STOP]).toMatchObject({ outcome: 'denied', unknown: { allowedByPath: 'not every level of the path could be read' } });
    expect(facts.actions[STOP]).not.toHaveProperty('allowedByPath');
  });

  it('an undecided action names its reason for both fields', () => {
    const facts = scpFacts(
      testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-prod', MEMBER] }, secret(['ou-work']), denyPolicy({ Action: DELETE })], scpActions: [STOP, DELETE] }),
      MEMBER,
    ).value!;
    const reason = 'policy Secret (p-secret) attached to OU Workloads (ou-work): organizations:DescribePolicy failed: AccessDenied: no; OU Workloads (ou-work) has a policy that could not be read';
    expect(facts.actions[STOP]).toMatchObject({ unknown: { outcome: reason, allowedByPath: reason } });
    expect(facts.actions[STOP]).not.toHaveProperty('outcome');
  });

  it('an implicit deny names the level that allows nothing', () => {
    const facts = scpFacts(testIndex({ fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-prod', MEMBER] }, denyPolicy({ Action: 'ec2:*' }, ['ou-work'])], scpActions: [STOP] }), MEMBER).value!;
    expect(facts.actions[STOP]).toMatchObject({ outcome: 'denied', allowedByPath: false, notAllowedAt: { kind: 'ORGANIZATIONAL_UNIT', id: 'ou-work', name: 'Workloads' } });
  });

  it('unknown as a whole only when every action is undecided, joining the distinct reasons', () => {
    const undecided = scpFacts(testIndex({ policies: [secret(['r-root'])], scpActions: [STOP, DELETE] }), MEMBER);
    expect(undecided).toEqual({ reason: 'policy Secret (p-secret) attached to root Root (r-root): organizations:DescribePolicy failed: AccessDenied: no' });
    const header = testHeader();
    header.organization = { error: { operation: 'organizations:DescribeOrganization', code: 'AccessDenied', message: 'no' } };
    expect(scpFacts(buildIndex(header, [], { ...DEFAULT_MODEL_OPTIONS, scpActions: [STOP] }), MEMBER)).toEqual({
      reason: 'the organization is unknown: organizations:DescribeOrganization failed: AccessDenied: no',
    });
  });
});
