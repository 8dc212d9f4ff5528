import type {
  AccountRecord,
  ApiError,
  BucketRecord,
  Fetched,
  OrgAccount,
  ServiceControlPolicy,
  SnapshotHeader,
  Trail,
  TrailDetail,
} from '../snapshot/types.ts';
import type { OrganizationFacts } from './facts.ts';

/** One node on an account's path: the root, an OU, or the account itself. */
export interface PathNode {
  id: string;
  name: string;
  kind: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
}

export interface AccountPlacement {
  account: OrgAccount;
  /** Root → OUs → the account itself. Empty when the tree could not be read. */
  path: PathNode[];
  ouPath: string;
}

/** A trail together with what was read about it in its home region. */
export interface TrailWithDetail {
  trail: Trail;
  ownerAccountId: string;
  detail?: TrailDetail;
}

/**
 * Everything that crosses account lines, built once (pass 1). Modules that need their own
 * cross-account index derive it from this lazily (see `memo`).
 */
export interface ModelIndex {
  header: SnapshotHeader;
  organization: OrganizationFacts;
  /** Why organization-level facts are unknown (empty when all were read). */
  treeErrors: ApiError[];
  placements: Map<string, AccountPlacement>;
  /** Organization trails (owned by the management account or a delegated administrator), by ARN. */
  organizationTrails: Map<string, TrailWithDetail>;
  /** Bucket name → owning account id, from every account's ListBuckets. */
  bucketOwners: Map<string, string>;
  /** Accounts whose ListBuckets failed or was not read: a bucket not found may be theirs. */
  accountsWithUnknownBuckets: string[];
  /** Bucket name → what its owner read about it, for buckets that receive trail logs. */
  destinationBuckets: Map<string, BucketRecord>;
  /** SCPs as read (content and targets), when ListPolicies succeeded. */
  policies: Fetched<ServiceControlPolicy[]>;
  /** Per-module derived indexes (see memo). */
  memo: Map<string, unknown>;
}

/** Computes a module's derived index once per ModelIndex. */
export function memo<T>(index: ModelIndex, key: string, build: () => T): T {
  if (!index.memo.has(key)) index.memo.set(key, build());
  return index.memo.get(key) as T;
}

export function describeError(e: ApiError): string {
  const where = [e.accountId, e.region].filter(Boolean).join('/');
  return `${e.operation}${where ? ` (${where})` : ''} failed: ${e.code}: ${e.message}`;
}

/** The reason a Fetched value is not known, or undefined when it is. */
export function unknownReason(f: Fetched<unknown> | undefined, operation: string): string | undefined {
  if (f === undefined) return `${operation} was not read`;
  if (f.error) return describeError(f.error);
  return undefined;
}

export function buildIndex(header: SnapshotHeader, records: Iterable<AccountRecord>): ModelIndex {
  const treeErrors: ApiError[] = [];
  for (const f of [header.organization, header.roots, header.organizationalUnits, header.accounts]) {
    if (f.error) treeErrors.push(f.error);
  }
  const organization = organizationFacts(header);
  const placements = placeAccounts(header);

  const organizationTrails = new Map<string, TrailWithDetail>();
  const bucketOwners = new Map<string, string>();
  const accountsWithUnknownBuckets: string[] = [];
  const destinationNames = new Set<string>();
  const bucketRecords = new Map<string, BucketRecord>();

  for (const record of records) {
    for (const region of record.regions) {
      for (const trail of region.trails.value ?? []) {
        if (trail.S3BucketName) destinationNames.add(trail.S3BucketName);
        const owner = trailOwner(trail.TrailARN);
        if (trail.IsOrganizationTrail && owner === record.accountId && trail.HomeRegion === region.region) {
          organizationTrails.set(trail.TrailARN, { trail, ownerAccountId: owner, detail: record.trailDetails[trail.TrailARN] });
        }
      }
    }
    if (record.buckets?.value) {
      for (const b of record.buckets.value) bucketOwners.set(b.Name, record.accountId);
    } else {
      accountsWithUnknownBuckets.push(record.accountId);
    }
    for (const [name, bucket] of Object.entries(record.bucketDetails ?? {})) bucketRecords.set(name, bucket);
  }

  const destinationBuckets = new Map<string, BucketRecord>();
  for (const name of destinationNames) {
    const rec = bucketRecords.get(name);
    if (rec) destinationBuckets.set(name, rec);
  }

  return {
    header,
    organization,
    treeErrors,
    placements,
    organizationTrails,
    bucketOwners,
    accountsWithUnknownBuckets: accountsWithUnknownBuckets.sort(),
    destinationBuckets,
    policies: header.policies,
    memo: new Map(),
  };
}

/** arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME → ACCOUNT */
export function trailOwner(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function organizationFacts(header: SnapshotHeader): OrganizationFacts {
  const facts: OrganizationFacts = {};
  const unknown: Record<string, string> = {};
  const org = header.organization;
  if (org.value) {
    facts.id = org.value.Id;
    facts.managementAccountId = org.value.MasterAccountId;
    facts.featureSet = org.value.FeatureSet;
  } else {
    const why = unknownReason(org, 'organizations:DescribeOrganization')!;
    unknown.id = unknown.managementAccountId = unknown.featureSet = why;
  }
  if (org.value && header.roots.value) {
    facts.scpEnabled =
      org.value.FeatureSet === 'ALL' &&
      header.roots.value.some((r) => r.PolicyTypes.some((p) => p.Type === 'SERVICE_CONTROL_POLICY' && p.Status === 'ENABLED'));
  } else {
    unknown.scpEnabled = unknownReason(header.roots, 'organizations:ListRoots') ?? unknown.id!;
  }
  if (header.accounts.value) facts.accountCount = header.accounts.value.length;
  else unknown.accountCount = unknownReason(header.accounts, 'organizations:ListAccounts')!;
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

function placeAccounts(header: SnapshotHeader): Map<string, AccountPlacement> {
  const nodes = new Map<string, { name: string; parentId?: string; kind: PathNode['kind'] }>();
  for (const r of header.roots.value ?? []) nodes.set(r.Id, { name: r.Name ?? 'Root', kind: 'ROOT' });
  for (const ou of header.organizationalUnits.value ?? []) nodes.set(ou.Id, { name: ou.Name, parentId: ou.ParentId, kind: 'ORGANIZATIONAL_UNIT' });
  const treeKnown = !header.roots.error && !header.organizationalUnits.error;

  const placements = new Map<string, AccountPlacement>();
  for (const account of header.accounts.value ?? []) {
    const path: PathNode[] = [];
    let complete = treeKnown;
    let cursor: string | undefined = account.ParentId;
    const seen = new Set<string>();
    while (cursor && !seen.has(cursor)) {
      seen.add(cursor);
      const node = nodes.get(cursor);
      if (!node) {
        complete = false;
        break;
      }
      path.unshift({ id: cursor, name: node.name, kind: node.kind });
      cursor = node.parentId;
    }
    if (complete && path[0]?.kind !== 'ROOT') complete = false;
    const fullPath: PathNode[] = complete ? [...path, { id: account.Id, name: account.Name, kind: 'ACCOUNT' }] : [];
    placements.set(account.Id, {
      account,
      path: fullPath,
      ouPath: complete ? path.map((p) => p.name).join('/') : '',
    });
  }
  return placements;
}
