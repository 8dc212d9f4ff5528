/**
 * Facts for `cloudtrail-tamper-history`: the tampering calls CloudTrail's event history
 * (LookupEvents, up to 90 days, per region) holds for an account, each with who, when, from where
 * and its error code, and the intervals of the window in which no logging trail recorded it.
 *
 * Pure functions over the snapshot's detective-control shapes (src/snapshot/types.ts). Times come
 * from the snapshot (the window), never from the clock.
 */
import { compareStrings } from '../contracts/order.ts';
import { deepFreeze } from './frozen.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { unknownReason } from './model-index.ts';
import { isTamperAction, TAMPER_ACTIONS, type JsonObject } from './tamper-events.ts';
import type { LookedUpEvent, TamperHistoryInputs } from '../snapshot/types.ts';
import type { TamperCallFacts } from './facts.ts';
import { mapped, mappedWhere } from '../shared/lists.ts';

export type { LookedUpEvent, TamperHistoryInputs };

/** The names queried: the tampering actions, and the two calls that end a logging gap. */
export const HISTORY_EVENT_NAMES = [...TAMPER_ACTIONS, 'StartLogging', 'CreateTrail'] as const;

/** A call found in the event history: a tampering call's facts before its region and outcome are added. */
export type HistoryCall = Omit<TamperCallFacts, 'region' | 'succeeded'>;

export interface RegionTamperHistory {
  region: string;
  /** Tampering calls, oldest first. */
  tamperCalls: HistoryCall[];
  /** StartLogging / CreateTrail calls, kept for the gap derivation. */
  otherCalls: HistoryCall[];
}

function toCall(event: LookedUpEvent): HistoryCall {
  let record: JsonObject = {};
  try {
    const parsed: unknown = event.CloudTrailEvent ? JSON.parse(event.CloudTrailEvent) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) record = parsed as JsonObject;
  } catch {
    // A record that is not JSON still gives its name and time from LookupEvents' own fields.
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const identity = (record['userIdentity'] ?? {}) as JsonObject;
  const request = (record['requestParameters'] ?? {}) as JsonObject;
  return {
    eventName: event.EventName,
    eventId: event.EventId,
    time: event.EventTime,
    who: text(identity['arn']) ?? event.Username ?? null,
    sourceIPAddress: text(record['sourceIPAddress']),
    userAgent: text(record['userAgent']),
    errorCode: text(record['errorCode']),
    target: text(request['name']) ?? text(request['trailName']) ?? text(request['eventDataStore']),
  };
}

const byTime = (a: HistoryCall, b: HistoryCall) => compareStrings(a.time, b.time) || compareStrings(a.eventId, b.eventId);

/** The history of one region; unknown, with the failed call, if any name's history could not be read. */
export function regionTamperHistory(region: string, inputs: TamperHistoryInputs | undefined): Known<RegionTamperHistory> {
  if (!inputs) return unknownBecause(`cloudtrail:LookupEvents in ${region} was not read`);
  let tamperCalls: HistoryCall[] | undefined;
  let otherCalls: HistoryCall[] | undefined;
  const { start, end } = inputs.window;
  // One pass, no copies: every region of every account is read here, and most hold no call at all.
  for (let n = 0; n < HISTORY_EVENT_NAMES.length; n++) {
    const name = HISTORY_EVENT_NAMES[n]!;
    const fetched = inputs.events[name];
    if (fetched?.value == null) {
      const missing = unknownReason(fetched, `cloudtrail:LookupEvents for ${name} in ${region}`);
      if (missing !== undefined) return unknownBecause(missing);
      continue;
    }
    // Most regions of most accounts hold no call at all: nothing to sort them into.
    if (fetched.value.length === 0) continue;
    const tampering = isTamperAction(name);
    for (const e of fetched.value) {
      if (e.EventName === name && e.EventTime >= start && e.EventTime <= end) (tampering ? (tamperCalls ??= []) : (otherCalls ??= [])).push(toCall(e));
    }
  }
  if (tamperCalls === undefined && otherCalls === undefined) return quietRegion(region);
  return known({ region, tamperCalls: byTimeOrEmpty(tamperCalls), otherCalls: byTimeOrEmpty(otherCalls) });
}

const byTimeOrEmpty = (calls: HistoryCall[] | undefined): HistoryCall[] => (calls === undefined ? [] : calls.length > 1 ? calls.sort(byTime) : calls);

/**
 * The history of a region without a call: the same frozen answer for every account read there
 * (most regions of most accounts), not two empty lists, a record and its Known each time.
 */
function quietRegion(region: string): Known<RegionTamperHistory> {
  let quiet = QUIET_REGIONS.get(region);
  if (quiet === undefined) QUIET_REGIONS.set(region, (quiet = deepFreeze(known({ region, tamperCalls: [], otherCalls: [] }))));
  return quiet;
}

const QUIET_REGIONS = new Map<string, Known<RegionTamperHistory>>();

/** A trail that records the account, as the model knows it now (GetTrailStatus). */
export interface TrailLoggingState {
  arn: string;
  isLogging: boolean;
}

export interface LoggingGap {
  start: string;
  end: string;
}

const trailName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const names = (target: string | null, arn: string) => target !== null && (target === arn || target === trailName(arn));

/**
 * Intervals of the window in which none of `trails` was logging, from the successful
 * StopLogging / DeleteTrail (off) and StartLogging (on) calls that name each trail, and each
 * trail's current status at the window's end.
 */
export function loggingGaps(window: { start: string; end: string }, trails: readonly TrailLoggingState[], calls: readonly HistoryCall[]): LoggingGap[] {
  // Each trail's on/off switches inside the window, oldest first; its state before the first
  // switch is the opposite of that switch, or its current state when it never switched.
  const timelines = mapped(trails, (trail) => {
    const switches = mappedWhere(
      calls,
      (c) => c.errorCode === null && names(c.target, trail.arn) && ['StopLogging', 'DeleteTrail', 'StartLogging'].includes(c.eventName),
      (c) => ({ time: c.time, on: c.eventName === 'StartLogging' }),
    ).sort((a, b) => compareStrings(a.time, b.time));
    return { initial: switches.length > 0 ? !switches[0]!.on : trail.isLogging, switches };
  });
  const moments = [...new Set(timelines.flatMap((t) => t.switches.map((s) => s.time)))].sort();
  const anyOnAfter = (time: string | null) =>
    timelines.some((t) => {
      const last = time === null ? undefined : t.switches.filter((s) => s.time <= time).at(-1);
      return last ? last.on : t.initial;
    });
  const gaps: LoggingGap[] = [];
  let gapStart: string | null = anyOnAfter(null) ? null : window.start;
  for (const time of moments) {
    const on = anyOnAfter(time);
    if (!on && gapStart === null) gapStart = time;
    if (on && gapStart !== null) {
      gaps.push({ start: gapStart, end: time });
      gapStart = null;
    }
  }
  if (gapStart !== null) gaps.push({ start: gapStart, end: window.end });
  return gaps;
}
