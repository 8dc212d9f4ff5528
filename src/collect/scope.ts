import type { TrailproofConfig } from '../config/types.ts';
import type { ApiError, OrgAccount, OrganizationalUnit, Root, SkippedAccount } from '../snapshot/types.ts';

export interface ScopeSelection {
  selected: string[];
  skipped: SkippedAccount[];
}

type WantedTag = { key: string; value?: string };

export interface ScopeInput {
  accounts: readonly OrgAccount[];
  roots: readonly Root[];
  organizationalUnits: readonly OrganizationalUnit[];
  tagErrors: ReadonlyMap<string, ApiError>;
}

/**
 * Which accounts of the organization are read. Every account not read is listed with the reason,
 * so a report can say what it did not look at. Output sorted by account id.
 */
export function selectAccounts(input: ScopeInput, scope: TrailproofConfig['scope']): ScopeSelection {
  const paths = ouPaths(input.roots, input.organizationalUnits);
  const selected: string[] = [];
  const skipped: SkippedAccount[] = [];
  const wantedTags = scope.accountTags.map(parseTag);
  for (const account of [...input.accounts].sort((a, b) => (a.Id < b.Id ? -1 : 1))) {
    const reason = exclusionReason(account, scope, paths, wantedTags, input.tagErrors);
    if (reason) skipped.push({ accountId: account.Id, reason });
    else selected.push(account.Id);
  }
  return { selected, skipped };
}

function exclusionReason(
  account: OrgAccount,
  scope: TrailproofConfig['scope'],
  paths: Map<string, { path: string; ids: string[] }>,
  wantedTags: WantedTag[],
  tagErrors: ReadonlyMap<string, ApiError>,
): string | undefined {
  if (account.Status !== 'ACTIVE') return `status ${account.Status}${account.State ? ` (state ${account.State})` : ''}`;
  if (scope.accounts.length > 0 && !scope.accounts.includes(account.Id)) return 'not in scope.accounts';
  if (scope.excludeAccounts.includes(account.Id)) return 'in scope.excludeAccounts';
  const place = paths.get(account.ParentId);
  if (scope.ous.length > 0 || scope.excludeOus.length > 0) {
    if (!place) return 'OU path unknown, so scope.ous cannot be applied';
    if (scope.ous.length > 0 && !scope.ous.some((ou) => underOu(place, ou))) return 'not under scope.ous';
    const excludedBy = scope.excludeOus.find((ou) => underOu(place, ou));
    if (excludedBy) return `under scope.excludeOus ${excludedBy}`;
  }
  if (wantedTags.length > 0) {
    const tagError = tagErrors.get(account.Id);
    if (tagError) return `tags unreadable (${tagError.code}), so scope.accountTags cannot be applied`;
    const has = (t: WantedTag) => (account.Tags ?? []).some((x) => x.Key === t.key && (t.value === undefined || x.Value === t.value));
    if (!wantedTags.some(has)) return 'no tag matches scope.accountTags';
  }
  return undefined;
}

/** "Root/Workloads" includes "Root/Workloads/Prod"; an id ("ou-...", "r-...") includes its subtree. */
function underOu(place: { path: string; ids: string[] }, ou: string): boolean {
  if (place.ids.includes(ou)) return true;
  const wanted = ou.replace(/\/+$/, '');
  return place.path === wanted || place.path.startsWith(`${wanted}/`);
}

/** "key=value", or "key" alone for any value. */
function parseTag(text: string): WantedTag {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text } : { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** Parent id → its path of names from the root and the ids on that path. */
function ouPaths(roots: readonly Root[], ous: readonly OrganizationalUnit[]): Map<string, { path: string; ids: string[] }> {
  const byId = new Map(ous.map((ou) => [ou.Id, ou]));
  const result = new Map<string, { path: string; ids: string[] }>();
  for (const r of roots) result.set(r.Id, { path: r.Name ?? 'Root', ids: [r.Id] });
  const resolve = (id: string, depth: number): { path: string; ids: string[] } | undefined => {
    const known = result.get(id);
    if (known) return known;
    const ou = byId.get(id);
    if (!ou || depth > 10) return undefined; // Organizations nests at most five levels; deeper means a cycle
    const parent = resolve(ou.ParentId, depth + 1);
    if (!parent) return undefined;
    const place = { path: `${parent.path}/${ou.Name}`, ids: [...parent.ids, ou.Id] };
    result.set(id, place);
    return place;
  };
  for (const ou of ous) resolve(ou.Id, 0);
  return result;
}
