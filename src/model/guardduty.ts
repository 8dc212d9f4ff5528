/**
 * Facts for `guardduty-enabled`: GuardDuty raises Stealth:IAMUser/CloudTrailLoggingDisabled even
 * when the trail is deleted first, so it is the detective control an attacker cannot blind by
 * tampering with the trail. A detector is per region; each region in scope needs one ENABLED.
 *
 * Pure functions over the snapshot's detective-control shapes (src/snapshot/types.ts).
 */
import { known, unknownBecause, type Known } from './known.ts';
import { describeError, unknownReason } from './model-index.ts';
import type { Fetched, GuardDutyDetector, GuardDutyOrganizationConfiguration } from '../snapshot/types.ts';
import type { GuardDutyRegionFacts } from './facts.ts';

export type { GuardDutyDetector, GuardDutyOrganizationConfiguration };

export interface RegionGuardDuty {
  region: string;
  enabled: Known<boolean>;
  /** Why not enabled (no detector, or its status), for the evidence. */
  detail: string;
}

/** Whether GuardDuty watches one region of one account. */
export function regionGuardDuty(region: string, detectors: Fetched<GuardDutyDetector[]> | undefined): RegionGuardDuty {
  const facts = regionGuardDutyFacts(region, detectors);
  return { region, enabled: facts.unknown ? unknownBecause(facts.detail) : known(facts.enabled!), detail: facts.detail };
}

/**
 * The same as the region's facts (`account.guardDuty.regions[]`): built as one literal, the
 * enabled flag or why it is unknown beside the detail, since every region of every account is
 * judged here (a RegionGuardDuty, its Known and the facts made of them were three objects).
 */
export function regionGuardDutyFacts(region: string, detectors: Fetched<GuardDutyDetector[]> | undefined): GuardDutyRegionFacts {
  const missing = unknownReason(detectors, `guardduty:ListDetectors in ${region}`);
  if (missing !== undefined) return unknownIn(region, missing);
  const list = detectors!.value ?? [];
  if (list.length === 0) return { region, detail: 'no detector', enabled: false };
  const enabled = findStatus(list, 'ENABLED');
  if (enabled) return { region, detail: `detector ${enabled.DetectorId} ENABLED`, enabled: true };
  const unread = findStatus(list, undefined);
  if (unread) return unknownIn(region, unread.error ? describeError(unread.error) : `guardduty:GetDetector ${unread.DetectorId} was not read`);
  const strange = list.find((d) => d.Status !== 'DISABLED');
  if (strange) return unknownIn(region, `detector ${strange.DetectorId} has the status ${JSON.stringify(strange.Status)}, which this scanner does not know`);
  return { region, detail: `detector ${list.map((d) => d.DetectorId).join(', ')} DISABLED (suspended)`, enabled: false };
}

/** A region whose detector's state is unknown: the reason is its detail too. */
export function unknownIn(region: string, reason: string): GuardDutyRegionFacts {
  return { region, detail: reason, unknown: { enabled: reason } };
}

/** The first detector with this status (a loop: find's callback was a closure per region). */
function findStatus(list: readonly GuardDutyDetector[], status: GuardDutyDetector['Status']): GuardDutyDetector | undefined {
  for (let i = 0; i < list.length; i++) if (list[i]!.Status === status) return list[i];
  return undefined;
}

/** Every region in scope, in the order given; the rule passes when each is known enabled. */
export function accountGuardDuty(regionsInScope: readonly string[], detectorsByRegion: Readonly<Record<string, Fetched<GuardDutyDetector[]>>>): RegionGuardDuty[] {
  return regionsInScope.map((region) => regionGuardDuty(region, detectorsByRegion[region]));
}

/**
 * Whether new member accounts get GuardDuty automatically (NEW or ALL). Unknown, with the
 * reason, where the administrator's configuration could not be read.
 */
export function organizationAutoEnable(configuration: Fetched<GuardDutyOrganizationConfiguration> | undefined): Known<boolean> {
  const missing = unknownReason(configuration, 'guardduty:DescribeOrganizationConfiguration');
  if (missing !== undefined) return unknownBecause(missing);
  const value = configuration!.value;
  if (value === null) return known(false);
  const mode = value!.AutoEnableOrganizationMembers;
  if (mode === 'NEW' || mode === 'ALL') return known(true);
  if (mode === 'NONE') return known(false);
  if (mode === undefined && value!.AutoEnable !== undefined) return known(value!.AutoEnable);
  return unknownBecause(`AutoEnableOrganizationMembers ${JSON.stringify(mode ?? null)} is not a value this scanner knows`);
}
