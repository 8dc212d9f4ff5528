/**
 * `account.guardDuty` (a detector per region the account was read in) and `organization.guardDuty`
 * (auto-enable for new members, per region, from the delegated administrator's configuration).
 */
import type { AccountRecord, SnapshotHeader } from '../snapshot/types.ts';
import { accountUnread, detectiveInputs, setKnown, withUnknown } from './detective-inputs.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { organizationAutoEnable, regionGuardDutyFacts, unknownIn } from './guardduty.ts';
import { unknownReason } from './model-index.ts';
import type { GuardDutyOrganizationRegionFacts, GuardDutyRegionFacts } from './facts.ts';
import { readRegionNames, regionNamesWith } from './shared-facts.ts';
import { mapped } from '../shared/lists.ts';

/**
 * Every region read for the account, and every region in scope (`scopeRegions`; empty: all) that
 * is enabled for it but was not read: a detector is regional, so a region left out is unknown,
 * never skipped.
 */
export function accountGuardDutyFacts(
  record: AccountRecord,
  scopeRegions: readonly string[],
  /** The names of the regions the account was read in, sorted (accountRegionNames). */
  readRegions: readonly string[] = readRegionNames(record),
): Known<{ regions: GuardDutyRegionFacts[] }> {
  const unread = accountUnread(record);
  if (unread !== undefined) return unknownBecause(unread);
  const enabled = (record.enabledRegions?.value ?? []).filter((r) => scopeRegions.length === 0 || scopeRegions.includes(r));
  const regions = regionNamesWith(readRegions, enabled);
  return known({
    regions: mapped(regions, (region) => {
      const inputs = detectiveInputs(record, region);
      return inputs.reason !== undefined ? unknownIn(region, inputs.reason) : regionGuardDutyFacts(region, inputs.block.guardDutyDetectors);
    }),
  });
}

/**
 * Per region of the header's `guardDutyOrganization`; `collected` is false when the snapshot holds
 * none (collected without it), and the list is then empty.
 */
export function organizationGuardDutyFacts(header: SnapshotHeader): { collected: boolean; regions: GuardDutyOrganizationRegionFacts[] } {
  const byRegion = header.guardDutyOrganization;
  if (!byRegion) return { collected: false, regions: [] };
  return {
    collected: true,
    regions: Object.keys(byRegion)
      .sort()
      .map((region) => {
        const fetched = byRegion[region];
        const facts: GuardDutyOrganizationRegionFacts = { region };
        const unknown: Record<string, string> = {};
        const missing = unknownReason(fetched, `guardduty:DescribeOrganizationConfiguration in ${region}`);
        if (missing !== undefined) unknown.adminAccountId = unknown.mode = missing;
        else {
          facts.adminAccountId = fetched!.value?.AdminAccountId ?? null;
          facts.mode = fetched!.value?.AutoEnableOrganizationMembers ?? null;
        }
        setKnown(facts, unknown, 'autoEnable', organizationAutoEnable(fetched));
        return withUnknown(facts, unknown);
      }),
  };
}
