import type { AccountRecord } from '../snapshot/types.ts';
import type { AccountFacts, AccountWithListedTrails, EvaluationSubject, ListedTrailFacts, OrganizationFacts, TrailFacts } from './facts.ts';
import type { ModelIndex } from './model-index.ts';
import { accountTrails, trailFacts } from './trails.ts';
import { factObject, fieldsOf } from './fact-declarations.ts';
import { combinedManagementCoverage } from './management-events.ts';
import { scpFacts } from './scp.ts';
import { addTrailBucketFacts } from './trail-bucket.ts';
import { accountDataEventFacts, bucketSubjects } from './data-events.ts';
import { eventDataStoreFacts } from './event-data-stores.ts';
import { logIntegrityFacts } from './log-integrity.ts';
import { accountDetectiveFacts, organizationWithGuardDuty } from './detective-facts.ts';
import { accountRegionNames } from './shared-facts.ts';
import { mappedWhere } from '../shared/lists.ts';

export function organizationSubject(index: ModelIndex): EvaluationSubject {
  const org = organizationWithGuardDuty(index);
  return {
    resource: {
      type: 'organization',
      id: org.id ?? 'organization',
      accountId: org.managementAccountId ?? '',
      name: org.id ?? 'organization',
    },
    activation: { organization: org },
  };
}

/** The account, its trails and its buckets, ready for the rules. */
export function subjectsForAccount(index: ModelIndex, record: AccountRecord): EvaluationSubject[] {
  const account = accountFacts(index, record);
  const organization = organizationWithGuardDuty(index);
  const subjects: EvaluationSubject[] = [
    {
      resource: { type: 'account', id: account.id, accountId: account.id, name: account.name, ouPath: account.ouPath },
      activation: { organization, account },
    },
  ];
  for (const trail of account.trails ?? unlistedOrganizationTrails(index, account)) {
    if (trail.ownerAccountId !== account.id) continue; // a trail is judged once, in the account that owns it
    subjects.push({
      resource: { type: 'trail', id: trail.arn, arn: trail.arn, accountId: account.id, region: trail.homeRegion, name: trail.name, ouPath: account.ouPath },
      activation: { organization, account, trail },
    });
  }
  if (!account.trails) subjects.push(unlistedTrailsSubject(account, organization));
  for (const subject of bucketSubjects(index, record, account, organization)) subjects.push(subject);
  return subjects;
}

/**
 * When the account's own trail list is unknown, the organization trails it owns that other
 * accounts list are still judged (their rules ERROR with the reason), never silently dropped.
 */
function unlistedOrganizationTrails(index: ModelIndex, account: AccountFacts): ListedTrailFacts[] {
  const reason = account.unknown?.trails ?? 'the account\'s trails are unknown';
  return [...index.organizationTrails.values()]
    .filter((t) => t.ownerAccountId === account.id)
    .map((t) => {
      const facts = trailFacts(index, t.trail, t.ownerAccountId, t.detail, account.regions);
      facts.unknown = { ...facts.unknown, changeAlarms: reason };
      return facts;
    });
}

/**
 * The account's trails when they could not be listed: one subject standing for all of them, whose
 * every trail fact is unknown with the reason, so each trail rule gives ERROR for this account
 * instead of no verdict at all.
 */
function unlistedTrailsSubject(account: AccountFacts, organization: OrganizationFacts): EvaluationSubject {
  const reason = account.unknown?.trails ?? "the account's trails are unknown";
  const arn = `arn:aws:cloudtrail:*:${account.id}:trail/*`;
  const named = new Set(['arn', 'name', 'ownerAccountId', 'unknown']);
  const unknown = Object.fromEntries(fieldsOf(factObject('Trail')!).filter((f) => !named.has(f.name)).map((f) => [f.name, reason]));
  const name = `the trails of ${account.name} (not listed)`;
  const trail: TrailFacts = { arn, name, ownerAccountId: account.id, unknown };
  return { resource: { type: 'trail', id: arn, arn, accountId: account.id, name, ouPath: account.ouPath }, activation: { organization, account, trail } };
}

export function accountFacts(index: ModelIndex, record: AccountRecord): AccountWithListedTrails {
  const placement = index.placements.get(record.accountId);
  const orgAccount = placement?.account;
  const unknown: Record<string, string> = {};
  const facts: Omit<AccountWithListedTrails, 'logIntegrity' | 'tamperEventRules' | 'tamperHistory'> = {
    id: record.accountId,
    name: orgAccount?.Name ?? record.accountId,
    status: orgAccount?.Status ?? 'UNKNOWN',
    isManagement: index.organization.managementAccountId === record.accountId,
    ouPath: placement?.ouPath ?? '',
    ouIds: placement ? mappedWhere(placement.path, (p) => p.kind !== 'ACCOUNT', (p) => p.id) : [],
    tags: Object.fromEntries((orgAccount?.Tags ?? []).map((t) => [t.Key, t.Value])),
    regions: accountRegionNames(index, record),
    // Shared from the start so modules that run later can read why an earlier fact is unknown.
    unknown,
  };
  if (orgAccount?.Email) facts.email = orgAccount.Email;
  if (!placement?.path.length) unknown.ouPath = index.treeErrors[0] ? `organization tree unknown: ${index.treeErrors[0].code}` : 'account not found in the organization tree';

  const trails = accountTrails(index, record);
  if (trails.value) {
    for (const t of trails.value) addTrailBucketFacts(index, t, record);
    facts.trails = trails.value;
    const coverage = combinedManagementCoverage(trails.value);
    if (coverage.value) facts.managementEvents = coverage.value;
    else unknown.managementEvents = coverage.reason;
  } else {
    unknown.trails = unknown.managementEvents = trails.reason;
  }
  const scp = scpFacts(index, record.accountId);
  if (scp.value) facts.scp = scp.value;
  else unknown.scp = scp.reason;
  const eds = eventDataStoreFacts(index, record);
  if (eds.value) facts.eventDataStores = eds.value;
  else unknown.eventDataStores = eds.reason;
  const dataEvents = accountDataEventFacts(index, record, facts);
  if (dataEvents.value) facts.dataEvents = dataEvents.value;
  else unknown.dataEvents = dataEvents.reason;
  const logIntegrity = logIntegrityFacts(index, record, facts.trails);
  const detective = accountDetectiveFacts(index, record, unknown, trails, eds);
  return finalFacts(facts, Object.keys(unknown).length > 0, logIntegrity, detective);
}

/**
 * The account's facts in their order, without `unknown` when nothing is: left out by the copy, not
 * deleted afterwards, since deleting a member that is not the last turns the object into a hash
 * table (V8's dictionary mode), and every rule reads the account's facts (projections, CEL
 * conversion) for every account. Copied member by member: the spreads and rest pattern this
 * replaced (`{ ...withoutUnknown(facts), logIntegrity, ...detective }`) cost ~5 µs an account,
 * this ~0.5 µs. The members are the model's own names (no `__proto__`), so assigning them defines them.
 */
function finalFacts(facts: object, keepUnknown: boolean, logIntegrity: AccountFacts['logIntegrity'], detective: object): AccountWithListedTrails {
  const out: Record<string, unknown> = {};
  const from = facts as Record<string, unknown>;
  for (const key in from) if (keepUnknown || key !== 'unknown') out[key] = from[key];
  out.logIntegrity = logIntegrity;
  const more = detective as Record<string, unknown>;
  for (const key in more) out[key] = more[key];
  return out as unknown as AccountWithListedTrails;
}
