import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  type Account,
  type DescribeOrganizationCommandOutput,
  type DescribePolicyCommandOutput,
  type ListAccountsCommandOutput,
  type ListAccountsForParentCommandOutput,
  type ListOrganizationalUnitsForParentCommandOutput,
  type ListPoliciesCommandOutput,
  type ListRootsCommandOutput,
  type ListTagsForResourceCommandOutput,
  type ListTargetsForPolicyCommandOutput,
  type PolicySummary,
} from '@aws-sdk/client-organizations';
import type {
  ApiError,
  Fetched,
  OrgAccount,
  Organization,
  OrganizationalUnit,
  PolicyTarget,
  Root,
  ServiceControlPolicy,
  Tag,
} from '../snapshot/types.ts';
import { paginate, plain, toFetched } from './fetch.ts';
import { Limiter, mapLimited } from './limit.ts';
import type { AccountSession, CallOutcome } from './session.ts';

export interface OrganizationView {
  organization: Fetched<Organization>;
  roots: Fetched<Root[]>;
  organizationalUnits: Fetched<OrganizationalUnit[]>;
  accounts: Fetched<OrgAccount[]>;
  policies: Fetched<ServiceControlPolicy[]>;
  /** Account id → why its tags could not be read (only when tags were asked for). */
  tagErrors: Map<string, ApiError>;
}

/** The part of the tree known when accounts are found: enough to place them (their parents come first). */
export interface PartialTree {
  roots: Root[];
  organizationalUnits: readonly OrganizationalUnit[];
  tagErrors: ReadonlyMap<string, ApiError>;
}

export interface ReadOrganizationOptions {
  /** Read each ACTIVE account's tags (the scope filters on them). */
  wantTags: boolean;
  concurrency: number;
  /**
   * Accounts as the tree walk finds them (with their tags when wanted), so their reading can start
   * before the rest of the organization (deeper OUs, SCPs) is read. The final view stays the
   * authority: a tree that later turns out unreadable changes where accounts sit.
   */
  onAccounts?: (accounts: OrgAccount[], tree: PartialTree) => void;
}

/**
 * Reads the organization with the starting credentials. Calls: 1 DescribeOrganization, ListRoots
 * pages, per root/OU one ListOrganizationalUnitsForParent and one ListAccountsForParent series,
 * per policy one DescribePolicy and one ListTargetsForPolicy series; ListTagsForResource per
 * ACTIVE account only when the scope filters on tags.
 */
export async function readOrganization(session: AccountSession, region: string, options: ReadOrganizationOptions): Promise<OrganizationView> {
  const { wantTags, concurrency } = options;
  const orgOutcome = await session.call<DescribeOrganizationCommandOutput>('organizations', region, new DescribeOrganizationCommand({}));
  const organization = toFetched(orgOutcome, (o) => plain<Organization>(o.Organization));
  if (!organization.value) {
    // Not the management account nor a delegated administrator, or not in an organization at all.
    const error = organization.error ?? { operation: 'organizations:DescribeOrganization', code: 'Unknown', message: 'no answer' };
    return { organization, roots: { error }, organizationalUnits: { error }, accounts: { error }, policies: { error }, tagErrors: new Map() };
  }

  const rootsOutcome = await paginate<ListRootsCommandOutput, NonNullable<ListRootsCommandOutput['Roots']>[number]>(
    session, 'organizations', region,
    (NextToken) => new ListRootsCommand({ NextToken }),
    (o) => o.Roots, (o) => o.NextToken,
  );
  const roots = toFetched(rootsOutcome, (list) => plain<Root[]>(list.map((r) => ({ ...r, PolicyTypes: r.PolicyTypes ?? [] }))));

  const tagErrors = new Map<string, ApiError>();
  const tagLimiter = new Limiter(concurrency);
  // Once per account id, whichever list (tree page or flat fallback) named it first.
  const tagReads = new Map<string, Promise<Tag[] | undefined>>();
  const readTagsOf = (accounts: readonly OrgAccount[]) =>
    Promise.all(
      accounts
        .filter((a) => wantTags && a.Status === 'ACTIVE')
        .map(async (account) => {
          let read = tagReads.get(account.Id);
          if (!read) {
            read = tagLimiter.run(async () => {
              const tags = await readTags(session, region, account.Id);
              if (tags.ok) return tags.output;
              tagErrors.set(account.Id, tags.error);
              return undefined;
            });
            tagReads.set(account.Id, read);
          }
          const tags = await read;
          if (tags) account.Tags = tags;
        }),
    );
  const announced: Promise<void>[] = [];
  const onAccounts = options.onAccounts;
  const found = onAccounts
    ? (batch: OrgAccount[], ous: readonly OrganizationalUnit[]) => {
        announced.push(readTagsOf(batch).then(() => onAccounts(batch, { roots: roots.value ?? [], organizationalUnits: ous, tagErrors })));
      }
    : undefined;

  const tree = roots.value ? await walkTree(session, region, roots.value.map((r) => r.Id), concurrency, found) : undefined;
  const organizationalUnits: Fetched<OrganizationalUnit[]> = tree?.ous ?? { error: roots.error! };
  let accounts: Fetched<OrgAccount[]> = tree?.accounts ?? { error: roots.error! };
  if (accounts.error) {
    // The tree could not be walked (often a delegated administrator without ListAccountsForParent):
    // the flat list still gives every account to scan, with its place in the tree unknown.
    const flat = await paginate<ListAccountsCommandOutput, Account>(
      session, 'organizations', region,
      (NextToken) => new ListAccountsCommand({ NextToken }),
      (o) => o.Accounts, (o) => o.NextToken,
    );
    if (flat.ok) accounts = { value: sortById(flat.output.map((a) => toOrgAccount(a, ''))) };
  }
  await Promise.all([...announced, readTagsOf(accounts.value ?? [])]);

  const policies: Fetched<ServiceControlPolicy[]> =
    organization.value.FeatureSet === 'ALL'
      ? await readPolicies(session, region, concurrency)
      : { value: [] }; // consolidated billing only: SCPs do not exist
  return { organization, roots, organizationalUnits, accounts, policies, tagErrors };
}

async function walkTree(
  session: AccountSession,
  region: string,
  rootIds: string[],
  concurrency: number,
  found?: (accounts: OrgAccount[], ous: readonly OrganizationalUnit[]) => void,
) {
  const ous: OrganizationalUnit[] = [];
  const accounts: OrgAccount[] = [];
  let ouError: ApiError | undefined;
  let accountError: ApiError | undefined;
  let level = rootIds;
  while (level.length > 0) {
    const next: string[] = [];
    await mapLimited(level, concurrency, async (parentId) => {
      const [children, members] = await Promise.all([
        paginate<ListOrganizationalUnitsForParentCommandOutput, NonNullable<ListOrganizationalUnitsForParentCommandOutput['OrganizationalUnits']>[number]>(
          session, 'organizations', region,
          (NextToken) => new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken }),
          (o) => o.OrganizationalUnits, (o) => o.NextToken,
        ),
        paginate<ListAccountsForParentCommandOutput, Account>(
          session, 'organizations', region,
          (NextToken) => new ListAccountsForParentCommand({ ParentId: parentId, NextToken }),
          (o) => o.Accounts, (o) => o.NextToken,
          (page) => {
            const batch = page.map((a) => toOrgAccount(a, parentId));
            accounts.push(...batch);
            // Every OU above parentId was listed at an earlier level, so these accounts can be placed now.
            found?.(batch, ous);
          },
        ),
      ]);
      if (children.ok) {
        for (const ou of children.output) {
          ous.push(plain<OrganizationalUnit>({ ...ou, ParentId: parentId }));
          if (ou.Id) next.push(ou.Id);
        }
      } else ouError ??= children.error;
      if (!members.ok) accountError ??= members.error;
    });
    level = next.sort();
  }
  // A tree with a hole would misplace accounts and SCPs: an unreadable branch makes the whole list unknown.
  const treeError = ouError ?? accountError;
  return {
    ous: ouError ? { error: ouError } : { value: ous.sort((a, b) => cmp(a.Id, b.Id)) },
    accounts: treeError ? { error: treeError } : { value: sortById(accounts) },
  } as { ous: Fetched<OrganizationalUnit[]>; accounts: Fetched<OrgAccount[]> };
}

function toOrgAccount(a: Account, parentId: string): OrgAccount {
  return plain<OrgAccount>({
    Id: a.Id,
    Arn: a.Arn,
    Name: a.Name ?? a.Id,
    Email: a.Email,
    Status: a.Status ?? 'UNKNOWN',
    State: a.State,
    JoinedMethod: a.JoinedMethod,
    JoinedTimestamp: a.JoinedTimestamp,
    ParentId: parentId,
  });
}

async function readTags(session: AccountSession, region: string, accountId: string): Promise<CallOutcome<Tag[]>> {
  const outcome = await paginate<ListTagsForResourceCommandOutput, NonNullable<ListTagsForResourceCommandOutput['Tags']>[number]>(
    session, 'organizations', region,
    (NextToken) => new ListTagsForResourceCommand({ ResourceId: accountId, NextToken }),
    (o) => o.Tags, (o) => o.NextToken,
  );
  return outcome.ok ? { ok: true, output: plain<Tag[]>(outcome.output) } : outcome;
}

async function readPolicies(session: AccountSession, region: string, concurrency: number): Promise<Fetched<ServiceControlPolicy[]>> {
  const list = await paginate<ListPoliciesCommandOutput, PolicySummary>(
    session, 'organizations', region,
    (NextToken) => new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY', NextToken }),
    (o) => o.Policies, (o) => o.NextToken,
  );
  if (!list.ok) return { error: list.error };
  const summaries = list.output.filter((p): p is PolicySummary & { Id: string } => Boolean(p.Id)).sort((a, b) => cmp(a.Id, b.Id));
  const policies = await mapLimited(summaries, concurrency, async (summary): Promise<ServiceControlPolicy> => {
    const [described, targets] = await Promise.all([
      session.call<DescribePolicyCommandOutput>('organizations', region, new DescribePolicyCommand({ PolicyId: summary.Id })),
      paginate<ListTargetsForPolicyCommandOutput, NonNullable<ListTargetsForPolicyCommandOutput['Targets']>[number]>(
        session, 'organizations', region,
        (NextToken) => new ListTargetsForPolicyCommand({ PolicyId: summary.Id, NextToken }),
        (o) => o.Targets, (o) => o.NextToken,
      ),
    ]);
    return plain<ServiceControlPolicy>({
      Id: summary.Id,
      Arn: summary.Arn,
      Name: summary.Name ?? summary.Id,
      Description: summary.Description,
      AwsManaged: summary.AwsManaged,
      Content: toFetched(described, (o) => o.Policy?.Content ?? ''),
      Targets: toFetched(targets, (list) => plain<PolicyTarget[]>(list).sort((a, b) => cmp(a.TargetId, b.TargetId))),
    });
  });
  return { value: policies };
}

function sortById<T extends { Id: string }>(list: T[]): T[] {
  return list.sort((a, b) => cmp(a.Id, b.Id));
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
