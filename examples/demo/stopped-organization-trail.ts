/**
 * The stopped organization trail: twenty minutes before the demo's collection time someone ran
 * `aws cloudtrail stop-logging --name org-trail` in the management account.
 *
 * Why the organization trail, and not only a member's own trail: an organization trail records
 * every member account and AWS offers no way to leave one member out, so while it logs, a member's
 * own stopped trail (web-dev's, stopped since 14 October) changes nothing about what is recorded —
 * it is a redundant copy. The realistic way for an account to end up with no logging multi-region
 * trail is the organization trail stopping (an intruder's first move, GuardDuty's
 * `Stealth:IAMUser/CloudTrailLoggingDisabled`): then every account that relied on it records
 * nothing, and web-dev's forgotten fallback is stopped too. Only accounts with their own logging
 * management-event trails (analytics-dev) still pass `cloudtrail-multi-region`.
 *
 * Its last deliveries (log files at 08:39:55, the digest of 08:31) come before the stop, as
 * GetTrailStatus reports them; everything else about the trail is unchanged.
 */
import { ORG_TRAIL_ARN } from './accounts.ts';
import { trailOf, type DemoDraft } from './draft.ts';

export const ORG_TRAIL_STOPPED_AT = '2026-11-02T08:40:27.000Z';

export function stopDemoOrganizationTrail(draft: DemoDraft): void {
  trailOf(draft, ORG_TRAIL_ARN).status = {
    IsLogging: false,
    LatestDeliveryTime: '2026-11-02T08:39:55.000Z',
    LatestDigestDeliveryTime: '2026-11-02T08:31:06.000Z',
    StartLoggingTime: '2019-03-11T11:02:19.000Z',
    StopLoggingTime: ORG_TRAIL_STOPPED_AT,
  };
}
