/**
 * The detective controls on trail tampering, computed for an account's facts: `trail.changeAlarms` on
 * the trails it owns, `account.tamperEventRules`, `account.guardDuty`, `account.tamperHistory`;
 * and `organization.guardDuty`.
 */
import type { AccountRecord } from '../snapshot/types.ts';
import { trailChangeAlarms } from './change-alarm-facts.ts';
import { tamperActionsOf } from './detective-inputs.ts';
import { accountTamperEventRules, type AccountsWithoutRules, type RegionsWithoutRules } from './event-rule-facts.ts';
import type { AccountFacts, EventDataStoreFacts, ListedTrailFacts, OrganizationFacts, TamperHistoryFacts, UnknownReasons } from './facts.ts';
import { accountGuardDutyFacts, organizationGuardDutyFacts } from './guardduty-facts.ts';
import { deepFreeze } from './frozen.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { memo, type ModelIndex } from './model-index.ts';
import { accountTamperHistory } from './tamper-history-facts.ts';
import { accountRegionNames, sharedFacts } from './shared-facts.ts';

/** The organization's facts with GuardDuty's organization configuration (computed once per index). */
export function organizationWithGuardDuty(index: ModelIndex): OrganizationFacts {
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  // Frozen: every subject shares these facts, so the verdict cache projects them once per path (verdict-cache.ts).
  return memo(index, 'organization-guardduty', () => deepFreeze({ ...index.organization, guardDuty: organizationGuardDutyFacts(index.header) }));
}

/** The account's detective facts, the reason for any that is unknown in `unknown`; adds `changeAlarms` to the trails it owns. */
export function accountDetectiveFacts(
  index: ModelIndex,
  record: AccountRecord,
  unknown: UnknownReasons,
  trails: Known<ListedTrailFacts[]>,
  stores: Known<EventDataStoreFacts[]>,
): Pick<AccountFacts, 'tamperEventRules' | 'guardDuty' | 'tamperHistory'> {
  const actions = tamperActionsOf(index.options.tamperActions);
  for (const trail of trails.value ?? []) {
    if (trail.ownerAccountId !== record.accountId) {
      trail.unknown = judgedInOwner(index, trail);
      continue;
    }
    const alarms = trailChangeAlarms(record, trail.cloudWatchLogsLogGroupArn, actions);
    if (alarms.reason !== undefined) (trail.unknown ??= {}).changeAlarms = alarms.reason;
    else trail.changeAlarms = alarms.value;
  }
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const withoutRules = memo(index, 'tamper-event-regions-without-rules', (): RegionsWithoutRules => new Map());
  // Stryker disable next-line StringLiteral: any key no other memo uses is the same cache.
  const withoutAnyRule = memo(index, 'tamper-event-accounts-without-rules', (): AccountsWithoutRules => new Map());
  const readRegions = accountRegionNames(index, record);
  const tamperEventRules = accountTamperEventRules(record, ownedHomeRegions(record.accountId, trails, stores), actions, withoutRules, withoutAnyRule, readRegions);
  const guardDuty = accountGuardDutyFacts(record, index.header.scope.regions, readRegions);
  if (guardDuty.reason !== undefined) unknown.guardDuty = guardDuty.reason;
  const tamperHistory = quietHistoryShared(index, accountTamperHistory(record, trails, (arn) => record.trailDetails[arn] ?? index.organizationTrails.get(arn)?.detail, readRegions));
  return { tamperEventRules, ...(guardDuty.value ? { guardDuty: guardDuty.value } : {}), tamperHistory };
}

/**
 * The `unknown` of an organization trail seen from a member account: its change alarms are judged
 * in its owner account. Without other unknown facts, the same frozen object for every member
 * (shared-facts.ts); with them (its status could not be read), that account's own copy.
 */
function judgedInOwner(index: ModelIndex, trail: ListedTrailFacts): UnknownReasons {
  const owner = trail.ownerAccountId;
  const reason = (): string => `judged on the trail in its owner account ${owner}, where its log group is`;
  if (trail.unknown) return { ...trail.unknown, changeAlarms: reason() };
  return sharedFacts(index, 'trail-judged-in-owner', owner, () => ({ changeAlarms: reason() }));
}

/**
 * An event history with no call, complete and without a logging gap (most accounts' in a quiet
 * window) holds nothing but its window and regions: the same frozen object for every such account
 * with the same ones. A history that is incomplete or holds a call or a gap stays the account's own.
 */
function quietHistoryShared(index: ModelIndex, history: TamperHistoryFacts): TamperHistoryFacts {
  if (history.unknown || !history.window || history.calls.length > 0 || history.gaps?.length !== 0) return history;
  const key = `${history.window.from} ${history.window.to}\n${history.regionsRead.join(' ')}`;
  return sharedFacts(index, 'quiet-tamper-history', key, () => history);
}

/** Home regions of the trails and event data stores the account owns: where their tampering calls are made. */
function ownedHomeRegions(accountId: string, trails: Known<ListedTrailFacts[]>, stores: Known<EventDataStoreFacts[]>): Known<string[]> {
  if (trails.reason !== undefined) return unknownBecause(trails.reason);
  const regions = trails.value.filter((t) => t.ownerAccountId === accountId).map((t) => t.homeRegion);
  // Event data stores count when known; their list failing must not hide the trails' regions.
  for (const store of stores.value ?? []) if (store.ownerAccountId === accountId) regions.push(store.homeRegion);
  return known(regions);
}
