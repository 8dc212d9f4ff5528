import type {
  AccountRecord,
  ApiError,
  BucketRecord,
  EventDataStore,
  Fetched,
  LogGroup,
  OrgAccount,
  PublicAccessBlock,
  ServiceControlPolicy,
  SnapshotHeader,
  Trail,
  TrailDetail,
} from '../snapshot/types.ts';
import type { OrganizationBaseFacts } from './facts.ts';

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

/** An event data store with the account that owns it and its home region (from its ARN). */
export interface EventDataStoreWithOwner {
  store: EventDataStore;
  ownerAccountId: string;
  homeRegion: string;
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
/** What the model needs from config.yaml and the loaded rules (the model itself reads no files). */
export interface ModelOptions {
  /** Actions to evaluate SCP protection for: the defaults ∪ those rules ask for (their `model.scpActionsParam`). */
  scpActions: string[];
  /**
   * CloudTrail-tampering actions (tamper-events.ts) whose detective controls are judged: the
   * defaults ∪ those rules ask for (their `model.tamperActionsParam`).
   */
  tamperActions: string[];
  /** How PII buckets are recognised (config.yaml `pii`). */
  pii: { tags: { key: string; values: string[] }[]; namePatterns: string[]; buckets: string[] };
}

export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  scpActions: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'],
  tamperActions: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'],
  pii: { tags: [{ key: 'DataClassification', values: ['PII'] }], namePatterns: [], buckets: [] },
};

export interface ModelIndex {
  header: SnapshotHeader;
  options: ModelOptions;
  organization: OrganizationBaseFacts;
  /** Why organization-level facts are unknown (empty when all were read). */
  treeErrors: ApiError[];
  placements: Map<string, AccountPlacement>;
  /** Organization trails (owned by the management account or a delegated administrator), by ARN. */
  organizationTrails: Map<string, TrailWithDetail>;
  /** Bucket name → owning account id, from every account's ListBuckets: for the buckets trails name (what is looked up). */
  bucketOwners: Map<string, string>;
  /**
   * Bucket name → region, from ListBuckets' BucketRegion (or the bucket record's GetBucketLocation):
   * for the buckets trails name, and those some ListBuckets gave without a region (what is looked up).
   */
  bucketRegions: Map<string, string>;
  /** Accounts whose ListBuckets failed or was not read: a bucket not found may be theirs. */
  accountsWithUnknownBuckets: string[];
  /** Bucket name → what its owner read about it, for buckets that receive trail logs. */
  destinationBuckets: Map<string, BucketRecord>;
  /**
   * Account id → S3 Control GetPublicAccessBlock (an error when the account could not be entered;
   * undefined when not read): for the accounts that own a bucket trails name (what is looked up).
   */
  accountPublicAccessBlocks: Map<string, Fetched<PublicAccessBlock> | undefined>;
  /** CloudWatch Logs groups trails deliver to, from every account and region, keyed by the ARN the collector recorded. */
  trailLogGroups: Map<string, Fetched<LogGroup>>;
  /** SCPs as read (content and targets), when ListPolicies succeeded. */
  policies: Fetched<ServiceControlPolicy[]>;
  /** CloudTrail Lake organization event data stores (OrganizationEnabled), by ARN, with their owner. */
  organizationEventDataStores: Map<string, EventDataStoreWithOwner>;
  /** Why the list of organization event data stores may be incomplete (the management account's reads that failed). */
  organizationEventDataStoreGaps: string[];
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

export function buildIndex(
  header: SnapshotHeader,
  records: Iterable<AccountRecord>,
  options: ModelOptions = DEFAULT_MODEL_OPTIONS,
): ModelIndex {
  const builder = new IndexBuilder(header, options);
  for (const record of records) builder.add(record);
  return builder.finish();
}

/** An organization trail as an account other than its owner lists it, and whether in the trail's home region. */
interface TrailSighting {
  trail: Trail;
  ownerAccountId: string;
  home: boolean;
}

/** An IndexBuilder's state after some lines (IndexBuilder.blockState), plain data. */
export interface IndexBlockState {
  organizationTrails: Map<string, TrailWithDetail>;
  organizationTrailSightings: Map<string, TrailSighting>;
  trailListFailures: Map<string, ApiError>;
  bucketOwners: Map<string, string>;
  bucketRegions: Map<string, string>;
  regionsFromRecords: Set<string>;
  listedWithoutRegion: Set<string>;
  accountsWithUnknownBuckets: string[];
  destinationNames: Set<string>;
  bucketRecords: Map<string, BucketRecord>;
  unnamedBucketLines: Map<string, number>;
  accountPublicAccessBlocks: Map<string, Fetched<PublicAccessBlock> | undefined>;
  trailLogGroups: Map<string, Fetched<LogGroup>>;
  organizationEventDataStores: Map<string, EventDataStoreWithOwner>;
  organizationEventDataStoreGaps: string[];
}

/**
 * Pass 1 of the model, one record at a time, so a streamed snapshot never has to be held whole:
 * it keeps only what other accounts' facts depend on.
 */
export class IndexBuilder {
  private readonly organizationTrails = new Map<string, TrailWithDetail>();
  /** Organization trails as other accounts list them (shadows), and owners whose own list failed: see finish(). */
  private readonly organizationTrailSightings = new Map<string, TrailSighting>();
  private readonly trailListFailures = new Map<string, ApiError>();
  private readonly bucketOwners = new Map<string, string>();
  private readonly bucketRegions = new Map<string, string>();
  /** Buckets whose region so far comes from their own record, not from a ListBuckets (which overrides it): see merge(). */
  private readonly regionsFromRecords = new Set<string>();
  /** Buckets some ListBuckets gave without their region: the model looks their region up in the index (data-events.ts). */
  private readonly listedWithoutRegion = new Set<string>();
  private readonly accountsWithUnknownBuckets: string[] = [];
  private readonly destinationNames = new Set<string>();
  private readonly bucketRecords = new Map<string, BucketRecord>();
  /**
   * Buckets no trail had named when their account's line was read, by that line: a streamed
   * snapshot keeps only this (most buckets never receive logs), and the few a later trail names
   * are read again (linesToReread).
   */
  private readonly unnamedBucketLines = new Map<string, number>();
  private readonly accountPublicAccessBlocks = new Map<string, Fetched<PublicAccessBlock> | undefined>();
  private readonly trailLogGroups = new Map<string, Fetched<LogGroup>>();
  private readonly organizationEventDataStores = new Map<string, EventDataStoreWithOwner>();
  private readonly organizationEventDataStoreGaps: string[] = [];

  constructor(
    private readonly header: SnapshotHeader,
    private readonly options: ModelOptions = DEFAULT_MODEL_OPTIONS,
  ) {}

  /**
   * One account's line. With `line` (a streamed snapshot), the records of buckets no trail has
   * named yet are not kept; without it (records in memory), every bucket record is.
   */
  add(record: AccountRecord, line?: number): void {
    this.accountPublicAccessBlocks.set(record.accountId, record.accountPublicAccessBlock ?? (record.access ? { error: record.access.error } : undefined));
    this.addOrganizationEventDataStores(record);
    const listFailure = record.access?.error ?? record.regions.find((r) => r.trails.error)?.trails.error;
    if (listFailure) this.trailListFailures.set(record.accountId, listFailure);
    // for...in, not Object.entries: no pair per member and no list per region (17-20 per account,
    // most without a log group); parsed JSON has no inherited enumerable members.
    for (const region of record.regions) {
      const logGroups = region.logGroups;
      for (const arn in logGroups) this.trailLogGroups.set(arn, logGroups[arn]!);
      for (const trail of region.trails.value ?? []) {
        if (trail.S3BucketName) this.destinationNames.add(trail.S3BucketName);
        const owner = trailOwner(trail.TrailARN);
        if (trail.IsOrganizationTrail && owner === record.accountId && trail.HomeRegion === region.region) {
          this.organizationTrails.set(trail.TrailARN, { trail, ownerAccountId: owner, detail: record.trailDetails[trail.TrailARN] });
        } else if (trail.IsOrganizationTrail && owner !== record.accountId) {
          const home = trail.HomeRegion === region.region;
          if (home || !this.organizationTrailSightings.has(trail.TrailARN)) this.organizationTrailSightings.set(trail.TrailARN, { trail, ownerAccountId: owner, home });
        }
      }
    }
    if (record.buckets?.value) {
      for (const b of record.buckets.value) {
        this.bucketOwners.set(b.Name, record.accountId);
        if (b.BucketRegion) {
          this.bucketRegions.set(b.Name, b.BucketRegion);
          this.regionsFromRecords.delete(b.Name);
        } else {
          this.listedWithoutRegion.add(b.Name);
        }
      }
    } else {
      this.accountsWithUnknownBuckets.push(record.accountId);
    }
    const bucketDetails = record.bucketDetails;
    for (const name in bucketDetails) {
      const bucket = bucketDetails[name]!;
      if (line === undefined || this.destinationNames.has(name)) this.bucketRecords.set(name, bucket);
      else this.unnamedBucketLines.set(name, line); // the last line that holds it, as when every record is kept
      if (bucket.region.value && !this.bucketRegions.has(name)) {
        this.bucketRegions.set(name, bucket.region.value);
        this.regionsFromRecords.add(name);
      }
    }
  }

  /** The lines holding buckets that a trail named only after they were read: give them to addNamedBuckets before finish(). */
  linesToReread(): Set<number> {
    const lines = new Set<number>();
    for (const name of this.destinationNames) {
      const line = this.unnamedBucketLines.get(name);
      if (line !== undefined && !this.bucketRecords.has(name)) lines.add(line);
    }
    return lines;
  }

  /** The records of this account's buckets that trails name (`line`, one of linesToReread, read again). */
  addNamedBuckets(record: AccountRecord, line: number): void {
    for (const [name, bucket] of Object.entries(record.bucketDetails ?? {})) {
      if (this.destinationNames.has(name) && this.unnamedBucketLines.get(name) === line && !this.bucketRecords.has(name)) this.bucketRecords.set(name, bucket);
    }
  }

  private addOrganizationEventDataStores(record: AccountRecord): void {
    const isManagement = this.header.organization.value?.MasterAccountId === record.accountId;
    if (isManagement && record.access) this.organizationEventDataStoreGaps.push(describeError(record.access.error));
    for (const region of record.regions) {
      const stores = region.eventDataStores;
      if (isManagement && !stores?.value && !stores?.absent) {
        this.organizationEventDataStoreGaps.push(unknownReason(stores, `cloudtrail:ListEventDataStores (${record.accountId}/${region.region})`)!);
      }
      for (const store of stores?.value ?? []) {
        const owner = trailOwner(store.EventDataStoreArn);
        if (store.OrganizationEnabled && owner === record.accountId) {
          this.organizationEventDataStores.set(store.EventDataStoreArn, { store, ownerAccountId: owner, homeRegion: store.EventDataStoreArn.split(':')[3] ?? region.region });
        }
      }
    }
  }

  /**
   * The owner's view of an organization trail is authoritative, but when the owner's trail list
   * could not be read the trail still exists: its members list it (a shadow carries the whole
   * definition). It is kept with its owner's failure as its status and selectors, so everything
   * that depends on them is unknown (ERROR) instead of the trail silently missing.
   */
  private addTrailsOnlyMembersSaw(): void {
    for (const [arn, sighting] of this.organizationTrailSightings) {
      const failure = this.trailListFailures.get(sighting.ownerAccountId);
      if (this.organizationTrails.has(arn) || !failure) continue;
      this.organizationTrails.set(arn, { trail: sighting.trail, ownerAccountId: sighting.ownerAccountId, detail: { TrailARN: arn, status: { error: failure }, eventSelectors: { error: failure } } });
    }
  }

  /**
   * What this builder kept from one block of consecutive lines (plain data, for postMessage): a
   * thread that read a block hands it to the builder of the lines before it (merge).
   */
  blockState(): IndexBlockState {
    return {
      organizationTrails: this.organizationTrails,
      organizationTrailSightings: this.organizationTrailSightings,
      trailListFailures: this.trailListFailures,
      bucketOwners: this.bucketOwners,
      bucketRegions: this.bucketRegions,
      regionsFromRecords: this.regionsFromRecords,
      listedWithoutRegion: this.listedWithoutRegion,
      accountsWithUnknownBuckets: this.accountsWithUnknownBuckets,
      destinationNames: this.destinationNames,
      bucketRecords: this.bucketRecords,
      unnamedBucketLines: this.unnamedBucketLines,
      accountPublicAccessBlocks: this.accountPublicAccessBlocks,
      trailLogGroups: this.trailLogGroups,
      organizationEventDataStores: this.organizationEventDataStores,
      organizationEventDataStoreGaps: this.organizationEventDataStoreGaps,
    };
  }

  /**
   * The lines of `block` (the blockState() of a builder, of the same header, that read the lines
   * just after those given to this one), as if add() had been given each of them: the index
   * finish() builds is the one a single builder of every line builds, maps in the same order.
   * Map.set keeps a key where it was first set, so "last line wins" merges by setting in the
   * block's order; what a block could not decide alone is decided here. The block's maps, sets and
   * lists are emptied once taken: a caller holding on to the block (a settled promise, a worker's
   * answer) does not hold a second copy of the index's tables.
   */
  merge(block: IndexBlockState): void {
    const setAll = <K, V>(into: Map<K, V>, from: Map<K, V>) => from.forEach((value, key) => into.set(key, value));
    setAll(this.organizationTrails, block.organizationTrails);
    // A sighting outside the trail's home region counts only when no earlier line had one.
    for (const [arn, sighting] of block.organizationTrailSightings) {
      if (sighting.home || !this.organizationTrailSightings.has(arn)) this.organizationTrailSightings.set(arn, sighting);
    }
    setAll(this.trailListFailures, block.trailListFailures);
    setAll(this.bucketOwners, block.bucketOwners);
    // A region from a bucket's own record counts only when no earlier line gave one.
    for (const [name, region] of block.bucketRegions) {
      if (!block.regionsFromRecords.has(name) || !this.bucketRegions.has(name)) this.bucketRegions.set(name, region);
    }
    this.accountsWithUnknownBuckets.push(...block.accountsWithUnknownBuckets);
    block.destinationNames.forEach((name) => this.destinationNames.add(name));
    // A bucket's record is the one on the last line that holds it. The block kept it when a trail
    // of its own lines had named the bucket by then; otherwise that line is read again if a trail
    // named the bucket anywhere before it (linesToReread).
    for (const [name, line] of block.unnamedBucketLines) {
      this.bucketRecords.delete(name);
      this.unnamedBucketLines.set(name, line);
    }
    setAll(this.bucketRecords, block.bucketRecords);
    setAll(this.accountPublicAccessBlocks, block.accountPublicAccessBlocks);
    setAll(this.trailLogGroups, block.trailLogGroups);
    setAll(this.organizationEventDataStores, block.organizationEventDataStores);
    this.organizationEventDataStoreGaps.push(...block.organizationEventDataStoreGaps);
    block.listedWithoutRegion.forEach((name) => this.listedWithoutRegion.add(name));
    for (const taken of Object.values(block)) {
      if (taken instanceof Map || taken instanceof Set) taken.clear();
      else taken.length = 0;
    }
  }

  /**
   * The index, with only the entries of the bucket maps that the model looks up (see ModelIndex):
   * most buckets of a large organization receive no trail's logs, and every judging thread holds
   * the index (parallel.ts).
   */
  finish(): ModelIndex {
    this.addTrailsOnlyMembersSaw();
    const destinationBuckets = new Map<string, BucketRecord>();
    for (const name of this.destinationNames) {
      const rec = this.bucketRecords.get(name);
      if (rec) destinationBuckets.set(name, rec);
    }
    const destinationOwners = new Set<string>();
    for (const name of this.destinationNames) {
      const owner = this.bucketOwners.get(name);
      if (owner !== undefined) destinationOwners.add(owner);
    }
    const lookedUp = (name: string) => this.destinationNames.has(name) || this.listedWithoutRegion.has(name);
    return indexOf(this.header, {
      options: this.options,
      organizationTrails: this.organizationTrails,
      bucketOwners: kept(this.bucketOwners, (name) => this.destinationNames.has(name)),
      bucketRegions: kept(this.bucketRegions, lookedUp),
      accountsWithUnknownBuckets: this.accountsWithUnknownBuckets.sort(),
      destinationBuckets,
      accountPublicAccessBlocks: kept(this.accountPublicAccessBlocks, (accountId) => destinationOwners.has(accountId)),
      trailLogGroups: this.trailLogGroups,
      organizationEventDataStores: this.organizationEventDataStores,
      organizationEventDataStoreGaps: this.organizationEventDataStoreGaps,
    });
  }
}

/** The entries of `map` whose key passes `keep`, in its order. */
function kept<V>(map: Map<string, V>, keep: (key: string) => boolean): Map<string, V> {
  const out = new Map<string, V>();
  for (const [key, value] of map) if (keep(key)) out.set(key, value);
  return out;
}

/** What a ModelIndex derives from the header alone (and its per-module memo). */
type FromHeader = 'header' | 'organization' | 'treeErrors' | 'placements' | 'policies' | 'memo';

/**
 * The rest of a ModelIndex: what pass 1 kept from the account lines, and the model's options
 * (plain data). A thread that has parsed the same header makes the same index from it (indexOf),
 * so the header and everything derived from it (most of the index's memory in a large
 * organization: the accounts, their placements, the SCPs and their targets) never cross threads.
 */
export type AccountLinesIndex = Omit<ModelIndex, FromHeader>;

/** The part of `index` that another thread, given the same header, needs to make the same index. */
export function accountLinesPart(index: ModelIndex): AccountLinesIndex {
  const { header: _h, organization: _o, treeErrors: _t, placements: _p, policies: _s, memo: _m, ...fromLines } = index;
  return fromLines;
}

/**
 * The index of `header` with what pass 1 kept from its account lines. With `judged`, the accounts
 * a thread judges (of a large organization, a share), placements holds only theirs: the model
 * looks up the placement of the account it judges, and no other.
 */
export function indexOf(header: SnapshotHeader, fromLines: AccountLinesIndex, judged?: ReadonlySet<string>): ModelIndex {
  const treeErrors: ApiError[] = [];
  for (const f of [header.organization, header.roots, header.organizationalUnits, header.accounts]) {
    if (f.error) treeErrors.push(f.error);
  }
  return {
    header,
    organization: organizationFacts(header),
    treeErrors,
    placements: placeAccounts(header, judged),
    policies: header.policies,
    ...fromLines,
    memo: new Map(),
  };
}

/** arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME → ACCOUNT */
export function trailOwner(arn: string): string {
  // Called for every trail in every region of every account: split() would allocate all six parts.
  let start = 0;
  for (let colon = 0; colon < 4; colon++) {
    start = arn.indexOf(':', start) + 1;
    if (start === 0) return '';
  }
  const end = arn.indexOf(':', start);
  return end < 0 ? arn.slice(start) : arn.slice(start, end);
}

/**
 * `trailOwner(arn) === accountId`, without making the owner's string: asked for every trail and
 * event data store in every region of every account, where most are the organization's.
 */
export function isOwnedBy(arn: string, accountId: string): boolean {
  let start = 0;
  for (let colon = 0; colon < 4; colon++) {
    start = arn.indexOf(':', start) + 1;
    if (start === 0) return accountId === '';
  }
  const end = start + accountId.length;
  return arn.startsWith(accountId, start) && (end === arn.length || arn.charCodeAt(end) === COLON);
}

const COLON = 58;

function organizationFacts(header: SnapshotHeader): OrganizationBaseFacts {
  const facts: OrganizationBaseFacts = {};
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

function placeAccounts(header: SnapshotHeader, judged?: ReadonlySet<string>): Map<string, AccountPlacement> {
  const nodes = new Map<string, { name: string; parentId?: string; kind: PathNode['kind'] }>();
  for (const r of header.roots.value ?? []) nodes.set(r.Id, { name: r.Name ?? 'Root', kind: 'ROOT' });
  for (const ou of header.organizationalUnits.value ?? []) nodes.set(ou.Id, { name: ou.Name, parentId: ou.ParentId, kind: 'ORGANIZATIONAL_UNIT' });
  const treeKnown = !header.roots.error && !header.organizationalUnits.error;

  // The accounts of an OU share its path: its nodes and its text are made once per parent.
  const parents = new Map<string, ParentPath | undefined>();
  const parentPath = (parentId: string | undefined): ParentPath | undefined => {
    if (parentId === undefined) return undefined;
    if (!parents.has(parentId)) parents.set(parentId, pathTo(nodes, parentId, treeKnown));
    return parents.get(parentId);
  };
  const placements = new Map<string, AccountPlacement>();
  for (const account of header.accounts.value ?? []) {
    if (judged && !judged.has(account.Id)) continue;
    const parent = parentPath(account.ParentId);
    placements.set(account.Id, {
      account,
      // concat, not a spread: an array of the path's length (a spread's grows to 17 slots, 160 bytes
      // more per account of every judging thread's placements).
      path: parent ? parent.nodes.concat({ id: account.Id, name: account.Name, kind: 'ACCOUNT' }) : [],
      ouPath: parent?.ouPath ?? '',
    });
  }
  return placements;
}

/**
 * Whether `id` can be a node of a placed account's path (the only ids the model looks up the
 * policies attached to): a placed account, or a root or OU of the header. A thread that places only
 * the accounts it judges (indexOf `judged`) needs no other account's.
 */
export function pathNodeIds(index: ModelIndex): (id: string) => boolean {
  const tree = new Set<string>();
  for (const root of index.header.roots.value ?? []) tree.add(root.Id);
  for (const ou of index.header.organizationalUnits.value ?? []) tree.add(ou.Id);
  return (id) => index.placements.has(id) || tree.has(id);
}

interface ParentPath {
  nodes: PathNode[];
  ouPath: string;
}

/** Root → OUs down to `parentId`; undefined when the tree is unknown or the path does not reach a root. */
function pathTo(nodes: Map<string, { name: string; parentId?: string; kind: PathNode['kind'] }>, parentId: string, treeKnown: boolean): ParentPath | undefined {
  const path: PathNode[] = [];
  let cursor: string | undefined = parentId;
  const seen = new Set<string>();
  while (cursor && !seen.has(cursor)) {
    seen.add(cursor);
    const node = nodes.get(cursor);
    if (!node) return undefined;
    path.unshift({ id: cursor, name: node.name, kind: node.kind });
    cursor = node.parentId;
  }
  if (!treeKnown || path[0]?.kind !== 'ROOT') return undefined;
  return { nodes: path, ouPath: path.map((p) => p.name).join('/') };
}
