/**
 * Detective controls on trail tampering, read per account and region alongside the trails:
 * who would notice a trail being stopped or blinded (metric-filter alarms, EventBridge rules,
 * GuardDuty) and the tampering calls of the last days. Switched off as a whole with
 * --no-detective (collection.detective: false); the snapshot then has no `detective` blocks and
 * the model reads them as not read.
 */
import type { RegionRecord } from '../../snapshot/types.ts';
import type { AccountSession } from '../session.ts';
import { readEventRules } from './event-rules.ts';
import { readGuardDutyDetectors } from './guardduty.ts';
import { readAlarmChains } from './metric-alarms.ts';
import { detectiveOf } from './region-record.ts';
import { historyWindow, readTamperHistory } from './tamper-history.ts';

export interface DetectiveSettings {
  /** The snapshot's collectedAt: the end of the history window. */
  collectedAt: string;
  /** Days of CloudTrail event history looked up (1 to 90). */
  historyDays: number;
}

/**
 * Every region's rules, detectors and history at once (LookupEvents is paced per region, the
 * longest of them); the alarm chain once `trailsRead` says the account's trails are known.
 */
export async function readDetective(session: AccountSession, records: readonly RegionRecord[], trailsRead: Promise<unknown>, settings: DetectiveSettings): Promise<void> {
  const window = historyWindow(settings.collectedAt, settings.historyDays);
  await Promise.all([
    ...records.map(async (record) => {
      const [rules, guardDutyDetectors, tamperHistory] = await Promise.all([
        readEventRules(session, record.region),
        readGuardDutyDetectors(session, record.region),
        readTamperHistory(session, record.region, window),
      ]);
      Object.assign(detectiveOf(record), { ...rules, guardDutyDetectors, tamperHistory });
    }),
    trailsRead.then(() => readAlarmChains(session, records)),
  ]);
}
