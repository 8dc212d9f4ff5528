import { LookupEventsCommand, type Event as SdkEvent, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { TAMPER_HISTORY_EVENT_NAMES } from '../../snapshot/tamper-history-names.ts';
import type { Fetched, LookedUpEvent, TamperHistoryInputs } from '../../snapshot/types.ts';
import { paginate, plain, toFetched } from '../fetch.ts';
import type { AccountSession } from '../session.ts';

const DAY_MS = 86_400_000;

/** The history window: the `days` before the collection time (the snapshot's only clock). */
export function historyWindow(collectedAt: string, days: number): TamperHistoryInputs['window'] {
  const end = new Date(collectedAt);
  return { start: new Date(end.getTime() - days * DAY_MS).toISOString(), end: end.toISOString() };
}

/**
 * CloudTrail LookupEvents over the window, one query per event name (LookupAttributes takes one
 * attribute; querying by event source would also return every read the scanner itself makes).
 * The session paces LookupEvents at its quota of 2 per second per account and region, so the nine
 * queries of a region take about 4.5 s, during which the region's other reads go on.
 */
export async function readTamperHistory(session: AccountSession, region: string, window: TamperHistoryInputs['window']): Promise<TamperHistoryInputs> {
  const start = new Date(window.start);
  const end = new Date(window.end);
  const answers = await Promise.all(
    TAMPER_HISTORY_EVENT_NAMES.map(async (name): Promise<Fetched<LookedUpEvent[]>> => {
      const outcome = await paginate<LookupEventsCommandOutput, SdkEvent>(
        session, 'cloudtrail', region,
        (NextToken) => new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }], StartTime: start, EndTime: end, MaxResults: 50, NextToken }),
        (o) => o.Events, (o) => o.NextToken,
      );
      return toFetched(outcome, (events) => events.map(lookedUp).sort(byTimeThenId));
    }),
  );
  return { window, events: Object.fromEntries(TAMPER_HISTORY_EVENT_NAMES.map((name, i) => [name, answers[i]!])) };
}

/** The fields the model reads; Resources, AccessKeyId and the rest are in CloudTrailEvent anyway. */
function lookedUp(event: SdkEvent): LookedUpEvent {
  return plain<LookedUpEvent>({
    EventId: event.EventId,
    EventName: event.EventName,
    EventTime: event.EventTime,
    Username: event.Username,
    CloudTrailEvent: event.CloudTrailEvent,
  });
}

function byTimeThenId(a: LookedUpEvent, b: LookedUpEvent): number {
  const key = (e: LookedUpEvent) => `${String(e.EventTime)}\u0000${String(e.EventId)}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
