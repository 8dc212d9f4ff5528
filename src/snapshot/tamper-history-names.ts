/**
 * The CloudTrail calls that stop or blind a trail or event data store, and the event names whose
 * history the collector looks up (one LookupEvents query each: LookupAttributes takes a single
 * attribute): those seven plus the two that end a logging gap. Here, in the snapshot stage,
 * because the collector writes one `tamperHistory.events` entry per name and the model
 * (src/model/tamper-events.ts, tamper-history.ts) reads the same names back.
 */
export const TAMPER_ACTION_NAMES = [
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'PutInsightSelectors',
  'DeleteEventDataStore',
  'StopEventDataStoreIngestion',
] as const;

export const TAMPER_HISTORY_EVENT_NAMES = [...TAMPER_ACTION_NAMES, 'StartLogging', 'CreateTrail'] as const;

/** CloudTrail's event history reaches back 90 days. */
export const MAX_HISTORY_DAYS = 90;
