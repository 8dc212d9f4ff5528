/**
 * The compact snapshot of rule test cases: a few lines of YAML expanded into a full snapshot v1
 * with the defaults an organization usually has (see schemas/rule-test.schema.json).
 */
import type {
  AccountRecord,
  OrgAccount,
  OrganizationalUnit,
  PolicyTarget,
  ServiceControlPolicy,
  Snapshot,
  SnapshotHeader,
} from '../snapshot/types.ts';

export interface CompactAccount {
  id: string;
  name?: string;
  ou?: string;
  management?: boolean;
  status?: string;
  tags?: Record<string, string>;
  record?: Partial<AccountRecord> | false;
}

export interface CompactPolicy {
  id?: string;
  name: string;
  content: Record<string, unknown> | string;
  targets?: string[];
}

export interface CompactSnapshot {
  organization?: { id?: string; managementAccountId?: string; featureSet?: string; scpEnabled?: boolean };
  collectedAt?: string;
  regions?: string[];
  fullAwsAccess?: boolean;
  accounts?: CompactAccount[];
  policies?: CompactPolicy[];
  header?: Partial<SnapshotHeader>;
}

export const TEST_ORGANIZATION_ID = 'o-test';
export const TEST_MANAGEMENT_ACCOUNT = '111111111111';
export const TEST_ROOT_ID = 'r-test';

const FULL_AWS_ACCESS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

export function expandCompactSnapshot(compact: CompactSnapshot): Snapshot {
  const accounts = compact.accounts ?? [];
  const managementId = accounts.find((a) => a.management)?.id ?? compact.organization?.managementAccountId ?? TEST_MANAGEMENT_ACCOUNT;
  const regions = compact.regions ?? ['us-east-1'];
  const tree = new OuTree();

  const orgAccounts: OrgAccount[] = accounts.map((a) => ({
    Id: a.id,
    Name: a.name ?? `account-${a.id}`,
    Email: `${a.id}@example.com`,
    Status: a.status ?? 'ACTIVE',
    ParentId: tree.idOf(a.ou ?? 'Root'),
    ...(a.tags ? { Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
  }));
  // The management account always exists in an organization, even when a case does not list it.
  if (!orgAccounts.some((a) => a.Id === managementId)) {
    orgAccounts.push({ Id: managementId, Name: 'management', Status: 'ACTIVE', ParentId: TEST_ROOT_ID });
  }

  const records: AccountRecord[] = accounts.filter((a) => a.record !== false).map((a) => accountRecord(a, regions));
  const policies = (compact.policies ?? []).map((p, i) => scp(p, i, tree, orgAccounts));
  if (compact.fullAwsAccess !== false) {
    const everywhere = [TEST_ROOT_ID, ...tree.ous.map((o) => o.Id), ...orgAccounts.map((a) => a.Id)];
    policies.unshift(scp({ id: 'p-FullAWSAccess', name: 'FullAWSAccess', content: FULL_AWS_ACCESS, targets: everywhere }, 0, tree, orgAccounts, true));
  }

  const scpEnabled = compact.organization?.scpEnabled ?? true;
  const header: SnapshotHeader = {
    format: 'trailproof-snapshot',
    version: 1,
    tool: { name: 'trailproof', version: '0.0.0-test' },
    collectedAt: compact.collectedAt ?? '2026-01-01T00:00:00.000Z',
    source: 'rule-test',
    partition: 'aws',
    scope: { regions, accountIds: records.map((r) => r.accountId), skipped: [] },
    organization: {
      value: { Id: compact.organization?.id ?? TEST_ORGANIZATION_ID, MasterAccountId: managementId, FeatureSet: compact.organization?.featureSet ?? 'ALL' },
    },
    roots: {
      value: [{ Id: TEST_ROOT_ID, Name: 'Root', PolicyTypes: scpEnabled ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [] }],
    },
    organizationalUnits: { value: tree.ous },
    accounts: { value: orgAccounts },
    policies: scpEnabled ? { value: policies } : { value: null, absent: 'PolicyTypeNotEnabledException' },
    errors: [],
    ...compact.header,
  };
  return { header, accounts: records };
}

function accountRecord(account: CompactAccount, regions: string[]): AccountRecord {
  const given = (account.record || {}) as Partial<AccountRecord>;
  return {
    regions: regions.map((region) => ({ region, trails: { value: [] } })),
    trailDetails: {},
    buckets: { value: [] },
    ...given,
    accountId: account.id,
  };
}

/** OUs created on demand from paths such as "Root/Workloads/Prod", with stable ids. */
class OuTree {
  readonly ous: OrganizationalUnit[] = [];
  /** "Root/A/B" → the id of OU B (the root itself is never looked up). */
  private readonly byPath = new Map<string, string>();

  idOf(path: string): string {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'Root') parts.unshift('Root');
    let parentId = TEST_ROOT_ID;
    for (let depth = 2; depth <= parts.length; depth++) {
      const sub = parts.slice(0, depth).join('/');
      let id = this.byPath.get(sub);
      if (!id) {
        id = `ou-test-${this.ous.length + 1}`;
        this.byPath.set(sub, id);
        this.ous.push({ Id: id, Name: parts[depth - 1]!, ParentId: parentId });
      }
      parentId = id;
    }
    return parentId;
  }
}

function scp(policy: CompactPolicy, index: number, tree: OuTree, accounts: OrgAccount[], awsManaged = false): ServiceControlPolicy {
  const targets: PolicyTarget[] = (policy.targets ?? []).map((t) => target(t, tree, accounts));
  return {
    Id: policy.id ?? `p-test${index + 1}`,
    Name: policy.name,
    AwsManaged: awsManaged,
    Content: { value: typeof policy.content === 'string' ? policy.content : JSON.stringify(policy.content) },
    Targets: { value: targets },
  };
}

function target(ref: string, tree: OuTree, accounts: OrgAccount[]): PolicyTarget {
  const account = accounts.find((a) => a.Id === ref);
  if (account) return { TargetId: ref, Type: 'ACCOUNT', Name: account.Name };
  if (ref === TEST_ROOT_ID || ref === 'Root') return { TargetId: TEST_ROOT_ID, Type: 'ROOT', Name: 'Root' };
  const existing = tree.ous.find((o) => o.Id === ref);
  if (existing) return { TargetId: existing.Id, Type: 'ORGANIZATIONAL_UNIT', Name: existing.Name };
  const id = tree.idOf(ref);
  return { TargetId: id, Type: 'ORGANIZATIONAL_UNIT', Name: ref.split('/').pop() ?? ref };
}
