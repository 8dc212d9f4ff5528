/**
 * The compact snapshot of rule test cases (src/rules/compact-snapshot.ts): every default it fills
 * in, and every option that changes one, as the full snapshot v1 the model reads.
 */
import { describe, expect, it } from 'vitest';
import { expandCompactSnapshot } from '../../src/rules/compact-snapshot.ts';

const FULL_AWS_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

describe('expandCompactSnapshot', () => {
  it('expands an empty case into an organization of its management account alone', () => {
    const s = expandCompactSnapshot({});
    expect(s).toEqual({
      header: {
        format: 'trailproof-snapshot',
        version: 1,
        tool: { name: 'trailproof', version: '0.0.0-test' },
        collectedAt: '2026-01-01T00:00:00.000Z',
        source: 'rule-test',
        partition: 'aws',
        scope: { regions: ['us-east-1'], accountIds: [], skipped: [] },
        organization: { value: { Id: 'o-test', MasterAccountId: '111111111111', FeatureSet: 'ALL' } },
        roots: { value: [{ Id: 'r-test', Name: 'Root', PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] }] },
        organizationalUnits: { value: [] },
        accounts: { value: [{ Id: '111111111111', Name: 'management', Status: 'ACTIVE', ParentId: 'r-test' }] },
        policies: {
          value: [
            {
              Id: 'p-FullAWSAccess',
              Name: 'FullAWSAccess',
              AwsManaged: true,
              Content: { value: FULL_AWS_ACCESS },
              Targets: {
                value: [
                  { TargetId: 'r-test', Type: 'ROOT', Name: 'Root' },
                  { TargetId: '111111111111', Type: 'ACCOUNT', Name: 'management' },
                ],
              },
            },
          ],
        },
        errors: [],
      },
      accounts: [],
    });
  });

  it('gives each account its defaults, its record and its tags', () => {
    const s = expandCompactSnapshot({ regions: ['eu-west-1', 'us-east-1'], accounts: [{ id: '222222222222', tags: { env: 'prod', team: 'a' } }] });
    expect(s.header.accounts.value![0]).toEqual({
      Id: '222222222222',
      Name: 'account-222222222222',
      Email: '222222222222@example.com',
      Status: 'ACTIVE',
      ParentId: 'r-test',
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'a' },
      ],
    });
    expect(s.accounts).toEqual([
      {
        accountId: '222222222222',
        regions: [
          { region: 'eu-west-1', trails: { value: [] } },
          { region: 'us-east-1', trails: { value: [] } },
        ],
        trailDetails: {},
        buckets: { value: [] },
      },
    ]);
    expect(s.header.scope).toEqual({ regions: ['eu-west-1', 'us-east-1'], accountIds: ['222222222222'], skipped: [] });
  });

  it('takes the name, status, record fields and OU an account gives, and an account marked management', () => {
    const s = expandCompactSnapshot({
      accounts: [
        { id: '222222222222', name: 'prod', status: 'SUSPENDED', ou: '/Workloads/', record: { buckets: { error: { operation: 's3:ListBuckets', code: 'AccessDenied', message: 'no' } } } },
        { id: '333333333333', management: true, record: { accountId: '999999999999' } as never },
      ],
    });
    const [prod, mgmt] = s.header.accounts.value!;
    expect(prod).toEqual({ Id: '222222222222', Name: 'prod', Email: '222222222222@example.com', Status: 'SUSPENDED', ParentId: 'ou-test-1' });
    expect(Object.keys(prod!)).not.toContain('Tags');
    expect(mgmt!.Id).toBe('333333333333');
    // The account marked management is the organization's: no extra management account is added.
    expect(s.header.accounts.value).toHaveLength(2);
    expect(s.header.organization.value!.MasterAccountId).toBe('333333333333');
    expect(s.header.organizationalUnits.value).toEqual([{ Id: 'ou-test-1', Name: 'Workloads', ParentId: 'r-test' }]);
    expect(s.accounts[0]!.buckets).toEqual({ error: { operation: 's3:ListBuckets', code: 'AccessDenied', message: 'no' } });
    expect(s.accounts[0]!.regions).toEqual([{ region: 'us-east-1', trails: { value: [] } }]);
    // A record cannot rename its account.
    expect(s.accounts[1]!.accountId).toBe('333333333333');
  });

  it('takes the organization id, feature set, management account and time a case gives', () => {
    const s = expandCompactSnapshot({ organization: { id: 'o-abc', featureSet: 'CONSOLIDATED_BILLING', managementAccountId: '444444444444' }, collectedAt: '2026-05-05T05:05:05.000Z' });
    expect(s.header.organization.value).toEqual({ Id: 'o-abc', MasterAccountId: '444444444444', FeatureSet: 'CONSOLIDATED_BILLING' });
    expect(s.header.accounts.value!.map((a) => a.Id)).toEqual(['444444444444']);
    expect(s.header.collectedAt).toBe('2026-05-05T05:05:05.000Z');
  });

  it('leaves FullAWSAccess out when asked, and numbers policies, targeting accounts, the root, OUs by id or by path', () => {
    const s = expandCompactSnapshot({
      fullAwsAccess: false,
      accounts: [{ id: '222222222222', name: 'dev', ou: 'Root/Dev' }],
      policies: [
        { name: 'one', content: '{"Statement":[]}', targets: ['222222222222', 'Root', 'r-test'] },
        { id: 'p-mine', name: 'two', content: { Statement: [] }, targets: ['ou-test-1', 'Root/Dev/Team', 'Sandbox'] },
        { name: 'three', content: {} },
      ],
    });
    const [one, two, three] = s.header.policies.value!;
    expect(s.header.policies.value).toHaveLength(3);
    expect(one).toEqual({
      Id: 'p-test1',
      Name: 'one',
      AwsManaged: false,
      Content: { value: '{"Statement":[]}' },
      Targets: {
        value: [
          { TargetId: '222222222222', Type: 'ACCOUNT', Name: 'dev' },
          { TargetId: 'r-test', Type: 'ROOT', Name: 'Root' },
          { TargetId: 'r-test', Type: 'ROOT', Name: 'Root' },
        ],
      },
    });
    expect(two!.Id).toBe('p-mine');
    expect(two!.Content.value).toBe('{"Statement":[]}');
    expect(two!.Targets.value).toEqual([
      { TargetId: 'ou-test-1', Type: 'ORGANIZATIONAL_UNIT', Name: 'Dev' },
      { TargetId: 'ou-test-2', Type: 'ORGANIZATIONAL_UNIT', Name: 'Team' },
      { TargetId: 'ou-test-3', Type: 'ORGANIZATIONAL_UNIT', Name: 'Sandbox' },
    ]);
    expect(three).toMatchObject({ Id: 'p-test3', Targets: { value: [] } });
    expect(s.header.organizationalUnits.value).toEqual([
      { Id: 'ou-test-1', Name: 'Dev', ParentId: 'r-test' },
      { Id: 'ou-test-2', Name: 'Team', ParentId: 'ou-test-1' },
      { Id: 'ou-test-3', Name: 'Sandbox', ParentId: 'r-test' },
    ]);
  });

  it('creates each OU once, however its path is written', () => {
    const s = expandCompactSnapshot({
      accounts: [
        { id: '222222222222', ou: 'A/B' },
        { id: '333333333333', ou: 'Root/A//B/' },
        { id: '444444444444', ou: 'Root' },
        { id: '555555555555', ou: '/' },
      ],
    });
    expect(s.header.organizationalUnits.value).toEqual([
      { Id: 'ou-test-1', Name: 'A', ParentId: 'r-test' },
      { Id: 'ou-test-2', Name: 'B', ParentId: 'ou-test-1' },
    ]);
    expect(s.header.accounts.value!.map((a) => a.ParentId)).toEqual(['ou-test-2', 'ou-test-2', 'r-test', 'r-test', 'r-test']);
  });

  it('keeps OUs apart whose names would run together (AB/C and A/BC)', () => {
    const s = expandCompactSnapshot({ accounts: [{ id: '222222222222', ou: 'AB/C' }, { id: '333333333333', ou: 'A/BC' }] });
    expect(s.header.organizationalUnits.value!.map((o) => o.Name)).toEqual(['AB', 'C', 'A', 'BC']);
    expect(s.header.accounts.value!.slice(0, 2).map((a) => a.ParentId)).toEqual(['ou-test-2', 'ou-test-4']);
  });

  it('turns SCPs off: roots without the policy type, and policies absent', () => {
    const s = expandCompactSnapshot({ organization: { scpEnabled: false } });
    expect(s.header.roots.value![0]!.PolicyTypes).toEqual([]);
    expect(s.header.policies).toEqual({ value: null, absent: 'PolicyTypeNotEnabledException' });
  });
});
