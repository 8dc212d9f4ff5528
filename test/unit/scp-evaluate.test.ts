import { describe, expect, it } from 'vitest';
import { evaluateScpProtection, type ScpOutcome } from '../../src/model/scp-evaluate.ts';
import { denyPolicy, FULL_ACCESS, MANAGEMENT, MEMBER, OTHER, testIndex, type OrgOptions, type TestPolicy } from './scp-fixture.ts';

const STOP = 'cloudtrail:StopLogging';
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const OTHER_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/team-trail';

interface Case {
  name: string;
  org: OrgOptions;
  action?: string;
  resourceArn?: string;
  account?: string;
  outcome: ScpOutcome;
  /** Substring the reason must contain. */
  reason?: string;
  /** Expected strongest denial: policy, statement, level id, exempt principals, conditions. */
  denial?: { policyId: string; statement: string; level: string; exemptPrincipals?: string[]; conditions?: string[] };
  allowedByPath?: boolean | 'unknown';
}

const deny = (statement: Record<string, unknown>, targets?: string[]) => ({ policies: [denyPolicy(statement, targets)] });

const cases: Case[] = [
  // --- action matching ---
  { name: 'exact action', org: deny({ Action: STOP }), outcome: 'denied', denial: { policyId: 'p-deny', statement: '#1', level: 'r-root' } },
  { name: 'cloudtrail:*', org: deny({ Action: ['cloudtrail:*'] }), outcome: 'denied' },
  { name: '* (every action)', org: deny({ Action: '*' }), outcome: 'denied' },
  { name: 'Stop* prefix', org: deny({ Action: 'cloudtrail:Stop*' }), outcome: 'denied' },
  { name: 'Stop* does not cover DeleteTrail', org: deny({ Action: 'cloudtrail:Stop*' }), action: 'cloudtrail:DeleteTrail', outcome: 'not-denied' },
  { name: '? wildcard', org: deny({ Action: 'cloudtrail:StopLoggin?' }), outcome: 'denied' },
  { name: '? matches exactly one character', org: deny({ Action: 'cloudtrail:StopLog?' }), outcome: 'not-denied' },
  { name: 'mixed case', org: deny({ Action: 'CloudTrail:stoplogging' }), outcome: 'denied' },
  { name: 'other service only', org: deny({ Action: ['s3:DeleteBucket', 'cloudtrail:DeleteTrail'] }), outcome: 'not-denied' },
  { name: 'NotAction that excludes cloudtrail', org: deny({ NotAction: ['cloudtrail:*', 'iam:*'] }), outcome: 'not-denied' },
  { name: 'NotAction that does not exclude cloudtrail', org: deny({ NotAction: ['iam:*', 's3:Get*'] }), outcome: 'denied' },
  // --- resources ---
  { name: 'Resource * (asked for a specific trail)', org: deny({ Action: STOP }), resourceArn: TRAIL, outcome: 'denied' },
  { name: 'Resource the same trail ARN', org: deny({ Action: STOP, Resource: TRAIL }), resourceArn: TRAIL, outcome: 'denied' },
  { name: 'Resource another trail ARN', org: deny({ Action: STOP, Resource: TRAIL }), resourceArn: OTHER_TRAIL, outcome: 'not-denied' },
  {
    name: 'Resource one trail ARN, asked for every trail: conditional naming the resource',
    org: deny({ Action: STOP, Resource: TRAIL }),
    outcome: 'conditional',
    denial: { policyId: 'p-deny', statement: '#1', level: 'r-root', conditions: [`Resource ${TRAIL}`] },
  },
  { name: 'Resource every trail by ARN pattern', org: deny({ Action: STOP, Resource: 'arn:aws:cloudtrail:*:*:trail/*' }), outcome: 'denied' },
  { name: 'Resource ARN pattern of another service', org: deny({ Action: STOP, Resource: 'arn:aws:s3:*:*:*' }), outcome: 'conditional' },
  { name: 'NotResource excluding the trail', org: { policies: [denyPolicy({ Action: STOP, NotResource: TRAIL, Resource: undefined })] }, resourceArn: TRAIL, outcome: 'not-denied' },
  { name: 'NotResource excluding another trail', org: { policies: [denyPolicy({ Action: STOP, NotResource: OTHER_TRAIL, Resource: undefined })] }, resourceArn: TRAIL, outcome: 'denied' },
  { name: 'NotResource, asked for every trail', org: { policies: [denyPolicy({ Action: STOP, NotResource: OTHER_TRAIL, Resource: undefined })] }, outcome: 'conditional' },
  { name: 'no Resource element means every resource', org: { policies: [denyPolicy({ Action: STOP, Resource: undefined })] }, outcome: 'denied' },
  // --- conditions ---
  {
    name: 'ArnNotLike aws:PrincipalArn exemption',
    org: deny({ Action: STOP, Condition: { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/OrgAdmin'] } } }),
    outcome: 'denied-except',
    reason: 'except for arn:aws:iam::*:role/BreakGlass, arn:aws:iam::*:role/OrgAdmin',
    denial: { policyId: 'p-deny', statement: '#1', level: 'r-root', exemptPrincipals: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/OrgAdmin'], conditions: [] },
  },
  {
    name: 'StringNotEquals aws:PrincipalTag exemption',
    org: deny({ Action: STOP, Condition: { StringNotEquals: { 'aws:PrincipalTag/Team': 'SecOps' } } }),
    outcome: 'denied-except',
    denial: { policyId: 'p-deny', statement: '#1', level: 'r-root', exemptPrincipals: ['aws:PrincipalTag/Team=SecOps'] },
  },
  {
    name: 'ArnNotEqualsIfExists on aws:PrincipalArn is still an exemption',
    org: deny({ Action: STOP, Condition: { ArnNotEqualsIfExists: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/Admin' } } }),
    outcome: 'denied-except',
    denial: { policyId: 'p-deny', statement: '#1', level: 'r-root', exemptPrincipals: ['arn:aws:iam::111111111111:role/Admin'] },
  },
  {
    name: 'ForAnyValue on the principal is not a recognised exemption: conditional',
    org: deny({ Action: STOP, Condition: { 'ForAnyValue:StringNotLike': { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } }),
    outcome: 'conditional',
  },
  {
    name: 'aws:RequestedRegion condition: conditional, naming it',
    org: deny({ Action: STOP, Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } } }),
    outcome: 'conditional',
    reason: 'StringNotEquals aws:RequestedRegion [eu-west-1, eu-central-1]',
    denial: { policyId: 'p-deny', statement: '#1', level: 'r-root', conditions: ['StringNotEquals aws:RequestedRegion [eu-west-1, eu-central-1]'] },
  },
  {
    name: 'exemption plus another condition: conditional',
    org: deny({ Action: STOP, Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/X' }, Bool: { 'aws:MultiFactorAuthPresent': false } } }),
    outcome: 'conditional',
    reason: 'Bool aws:MultiFactorAuthPresent false',
  },
  {
    name: 'positive ArnLike on the principal limits the deny to those principals',
    org: deny({ Action: STOP, Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Dev*' } } }),
    outcome: 'conditional',
  },
  {
    name: 'an unconditional deny outranks a conditional one',
    org: {
      policies: [
        denyPolicy({ Sid: 'RegionOnly', Action: STOP, Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }, ['r-root'], 'p-a'),
        denyPolicy({ Sid: 'ProtectTrail', Action: 'cloudtrail:*' }, [MEMBER], 'p-b'),
      ],
    },
    outcome: 'denied',
    denial: { policyId: 'p-b', statement: 'ProtectTrail', level: MEMBER },
  },
  // --- where the policy is attached ---
  { name: 'deny attached to the root', org: deny({ Action: STOP }, ['r-root']), outcome: 'denied', denial: { policyId: 'p-deny', statement: '#1', level: 'r-root' } },
  { name: 'deny attached to an OU two levels up', org: deny({ Action: STOP }, ['ou-work']), outcome: 'denied', denial: { policyId: 'p-deny', statement: '#1', level: 'ou-work' } },
  { name: 'deny attached to the account', org: deny({ Action: STOP }, [MEMBER]), outcome: 'denied', denial: { policyId: 'p-deny', statement: '#1', level: MEMBER } },
  { name: 'deny attached elsewhere has no effect', org: deny({ Action: STOP }, ['ou-sand', OTHER]), outcome: 'not-denied', allowedByPath: true },
  {
    name: 'statement given as a single object, Sid used as its name',
    org: { policies: [{ id: 'p-one', document: { Statement: { Sid: 'NoStop', Effect: 'Deny', Action: STOP, Resource: '*' } }, targets: ['ou-prod'] }] },
    outcome: 'denied',
    denial: { policyId: 'p-one', statement: 'NoStop', level: 'ou-prod' },
  },
  // --- not applicable ---
  { name: 'management account', org: deny({ Action: STOP }), account: MANAGEMENT, outcome: 'not-applicable', reason: 'SCPs do not apply to the management account' },
  { name: 'SCP policy type disabled on the root', org: { ...deny({ Action: STOP }), scpStatus: null }, outcome: 'not-applicable', reason: 'not enabled on root r-root' },
  { name: 'SCP policy type pending enable', org: { ...deny({ Action: STOP }), scpStatus: 'PENDING_ENABLE' }, outcome: 'not-applicable' },
  { name: 'consolidated billing only', org: { ...deny({ Action: STOP }), featureSet: 'CONSOLIDATED_BILLING' }, outcome: 'not-applicable', reason: 'CONSOLIDATED_BILLING' },
  // --- unknown ---
  {
    name: 'unreadable policy on the path',
    org: { policies: [{ id: 'p-secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDeniedException', message: 'no' } }, targets: ['ou-work'] }] },
    outcome: 'unknown',
    reason: 'organizations:DescribePolicy failed: AccessDeniedException',
  },
  {
    name: 'unreadable policy does not undo a proven deny',
    org: { policies: [denyPolicy({ Action: STOP }, [MEMBER]), { id: 'p-secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['ou-work'] }] },
    outcome: 'denied',
  },
  {
    name: 'unreadable policy off the path does not matter',
    org: { policies: [{ id: 'p-secret', content: { error: { operation: 'organizations:DescribePolicy', code: 'AccessDenied', message: 'no' } }, targets: ['ou-sand'] }] },
    outcome: 'not-denied',
  },
  { name: 'policy content that is not JSON', org: { policies: [{ id: 'p-bad', content: { value: '{"Statement": [' }, targets: ['r-root'] }] }, outcome: 'unknown', reason: 'not valid JSON' },
  {
    name: 'policy with unreadable targets that cannot touch the action is ignored',
    org: { policies: [{ ...denyPolicy({ Action: 'organizations:LeaveOrganization' }), targets: { error: { operation: 'organizations:ListTargetsForPolicy', code: 'TooManyRequestsException', message: 'slow down' } } }] },
    outcome: 'not-denied',
  },
  {
    name: 'policy whose targets could not be read',
    org: { policies: [{ ...denyPolicy({ Action: 'cloudtrail:*' }), targets: { error: { operation: 'organizations:ListTargetsForPolicy', code: 'TooManyRequestsException', message: 'slow down' } } }] },
    outcome: 'unknown',
    reason: 'targets of policy',
  },
  {
    name: 'FullAWSAccess whose targets could not be read: allowed by path unknown',
    org: { fullAccess: false, policies: [{ ...FULL_ACCESS, targets: { error: { operation: 'organizations:ListTargetsForPolicy', code: 'AccessDenied', message: 'no' } } }] },
    outcome: 'unknown',
    reason: 'FullAWSAccess (targets unknown) might be attached there',
    allowedByPath: 'unknown',
  },
  {
    name: 'ListPolicies failed',
    org: { policiesFetched: { error: { operation: 'organizations:ListPolicies', code: 'AccessDeniedException', message: 'no' } } },
    outcome: 'unknown',
    reason: 'organizations:ListPolicies failed',
  },
  {
    name: 'organization tree unknown',
    org: { ...deny({ Action: STOP }), roots: { error: { operation: 'organizations:ListRoots', code: 'AccessDeniedException', message: 'no' } } },
    outcome: 'unknown',
    reason: 'organizations:ListRoots',
  },
  { name: 'a level with no SCP at all (incomplete data)', org: { fullAccess: false, policies: [{ ...FULL_ACCESS, targets: ['r-root', 'ou-work', MEMBER] }] }, outcome: 'unknown', reason: 'no SCP is attached to OU Prod' },
  // --- allow-lists ---
  {
    name: 'allow-list SCP without cloudtrail proves an implicit deny even where other levels are unknown',
    org: { policies: [{ id: 'p-allowlist', document: { Statement: [{ Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }] }, targets: ['ou-work'] }], fullAccess: false },
    outcome: 'denied',
    reason: 'OU Workloads (ou-work)',
    allowedByPath: false,
  },
  {
    name: 'allow-list SCP without cloudtrail (FullAWSAccess elsewhere): implicitly denied',
    org: {
      fullAccess: false,
      policies: [
        { ...FULL_ACCESS, targets: ['r-root', 'ou-prod', MEMBER] },
        { id: 'p-allowlist', document: { Statement: [{ Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }] }, targets: ['ou-work'] },
      ],
    },
    outcome: 'denied',
    reason: 'no SCP attached to OU Workloads (ou-work) allows it',
    allowedByPath: false,
  },
  {
    name: 'allow-list SCP that allows cloudtrail:*',
    org: {
      fullAccess: false,
      policies: [
        { ...FULL_ACCESS, targets: ['r-root', 'ou-prod', MEMBER] },
        { id: 'p-allowlist', document: { Statement: [{ Effect: 'Allow', Action: ['ec2:*', 'cloudtrail:*'], Resource: '*' }] }, targets: ['ou-work'] },
      ],
    },
    outcome: 'not-denied',
    allowedByPath: true,
  },
];

describe('evaluateScpProtection', () => {
  it.each(cases)('$name → $outcome', (c) => {
    const result = evaluateScpProtection(testIndex(c.org), c.account ?? MEMBER, c.action ?? STOP, c.resourceArn);
    expect(result.outcome, result.reason).toBe(c.outcome);
    expect(result.reason).not.toBe('');
    if (c.reason) expect(result.reason).toContain(c.reason);
    if (c.allowedByPath !== undefined) expect(result.allowedByPath).toBe(c.allowedByPath);
    if (c.denial) {
      const first = result.denials[0];
      expect(first).toBeDefined();
      expect(first).toMatchObject({ policyId: c.denial.policyId, statement: c.denial.statement, level: { id: c.denial.level } });
      if (c.denial.exemptPrincipals) expect(first!.exemptPrincipals).toEqual(c.denial.exemptPrincipals);
      if (c.denial.conditions) expect(first!.conditions).toEqual(c.denial.conditions);
    }
    if (c.outcome === 'not-denied') expect(result.denials).toEqual([]);
  });

  it('names the level of a denial with its kind and name', () => {
    const result = evaluateScpProtection(testIndex(deny({ Action: STOP }, ['ou-work'])), MEMBER, STOP);
    expect(result.denials).toEqual([
      { policyId: 'p-deny', policyName: 'Deny p-deny', statement: '#1', level: { kind: 'ORGANIZATIONAL_UNIT', id: 'ou-work', name: 'Workloads' }, mode: 'unconditional', exemptPrincipals: [], conditions: [] },
    ]);
    expect(result.reason).toBe('denied by Deny p-deny (p-deny) statement #1 at OU Workloads (ou-work)');
  });

  it('lists every matching deny, strongest first, across policies and levels', () => {
    const policies: TestPolicy[] = [
      denyPolicy({ Action: STOP, Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }, ['r-root'], 'p-region'),
      denyPolicy({ Action: STOP, Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } }, ['ou-prod'], 'p-exempt'),
      denyPolicy({ Action: 'cloudtrail:DeleteTrail' }, ['r-root'], 'p-decoy'),
    ];
    const result = evaluateScpProtection(testIndex({ policies }), MEMBER, STOP);
    expect(result.outcome).toBe('denied-except');
    expect(result.denials.map((d) => [d.policyId, d.mode])).toEqual([
      ['p-exempt', 'except-principals'],
      ['p-region', 'conditional'],
    ]);
  });

  it('treats an account outside the known tree as unknown', () => {
    const result = evaluateScpProtection(testIndex(deny({ Action: STOP })), '333333333333', STOP);
    expect(result.outcome).toBe('unknown');
    expect(result.reason).toContain('not found in the organization tree');
  });
});
