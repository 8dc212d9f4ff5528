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

export type { GuardDutyDetector, GuardDutyOrganizationConfiguration };

export interface RegionGuardDuty {
  region: string;
  enabled: Known<boolean>;
  /** Why not enabled (no detector, or its status), for the evidence. */
  detail: string;
}

/** Whether GuardDuty watches one region of one account. */
export function regionGuardDuty(region: string, detectors: Fetched<GuardDutyDetector[]> | undefined): RegionGuardDuty {
  const missing = unknownReason(detectors, `guardduty:ListDetectors in ${region}`);
  if (missing !== undefined) return { region, enabled: unknownBecause(missing), detail: missing };
  const list = detectors!.value ?? [];
  if (list.length === 0) return { region, enabled: known(false), detail: 'no detector' };
  const enabled = list.find((d) => d.Status === 'ENABLED');
  if (enabled) return { region, enabled: known(true), detail: `detector ${enabled.DetectorId} ENABLED` };
  const unread = list.find((d) => d.Status === undefined);
  if (unread) {
    const reason = unread.error ? describeError(unread.error) : `guardduty:GetDetector ${unread.DetectorId} was not read`;
    return { region, enabled: unknownBecause(reason), detail: reason };
  }
  const strange = list.find((d) => d.Status !== 'DISABLED');
  if (strange) {
    const reason = `detector ${strange.DetectorId} has the status ${JSON.stringify(strange.Status)}, which this scanner does not know`;
    return { region, enabled: unknownBecause(reason), detail: reason };
  }
  return { region, enabled: known(false), detail: `detector ${list.map((d) => d.DetectorId).join(', ')} DISABLED (suspended)` };
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
