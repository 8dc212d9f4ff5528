/**
 * `account.tamperHistory`: the tampering calls of every region's event history (tamper-history.ts),
 * oldest first, and the intervals of the window in which no trail recording the account was logging.
 * A region whose history could not be read leaves `complete` unknown (its rule gives ERROR), while
 * the calls found in the other regions are still listed (a successful StopLogging there is a FAIL
 * whatever the unread region holds).
 */
import { compareStrings } from '../contracts/order.ts';
import type { AccountRecord, TrailDetail } from '../snapshot/types.ts';
import { accountUnread, detectiveInputs, setKnown, withUnknown } from './detective-inputs.ts';
import type { TamperCallFacts, TamperHistoryFacts, TrailFacts } from './facts.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { loggingGaps, regionTamperHistory, type HistoryCall, type LoggingGap } from './tamper-history.ts';
import { readRegionNames } from './shared-facts.ts';
import { emptyList, mapped } from '../shared/lists.ts';

/** `trails`: those that record the account; `detailOf` finds a trail's GetTrailStatus (own or organization's). */
export function accountTamperHistory(
  record: AccountRecord,
  trails: Known<TrailFacts[]>,
  detailOf: (arn: string) => TrailDetail | undefined,
  /** The names of the regions the account was read in, sorted (accountRegionNames: one shared list per record, not a list mapped and sorted again). */
  readRegions: readonly string[] = readRegionNames(record),
): TamperHistoryFacts {
  const regionsRead: string[] = [];
  const calls: (HistoryCall & { region: string })[] = [];
  // Stryker disable next-line ArrayDeclaration: a placeholder element has no errorCode of null, so it is never a switch.
  const switches = emptyList<HistoryCall>();
  let window: { start: string; end: string } | undefined;
  let incomplete = accountUnread(record);
  // By index: for...of made an iterator result per region where this ran unoptimized.
  for (let r = 0; r < readRegions.length; r++) {
    const region = readRegions[r]!;
    const inputs = detectiveInputs(record, region);
    const history = inputs.reason !== undefined ? unknownBecause<never>(inputs.reason) : regionTamperHistory(region, inputs.block.tamperHistory);
    if (history.reason !== undefined) {
      incomplete ??= history.reason;
      continue;
    }
    regionsRead.push(region);
    window ??= inputs.block!.tamperHistory!.window;
    // Pushed one by one: most regions hold no call, and spreading empty lists still allocates.
    const { tamperCalls, otherCalls } = history.value;
    for (let i = 0; i < tamperCalls.length; i++) {
      calls.push({ ...tamperCalls[i]!, region });
      switches.push(tamperCalls[i]!);
    }
    for (let i = 0; i < otherCalls.length; i++) switches.push(otherCalls[i]!);
  }
  calls.sort((a, b) => compareStrings(a.time, b.time) || compareStrings(a.eventId, b.eventId));
  const facts: TamperHistoryFacts = {
    window: window ? { from: window.start, to: window.end } : null,
    regionsRead,
    calls: mapped(calls, callFacts),
  };
  const unknown: Record<string, string> = {};
  setKnown(facts, unknown, 'complete', incomplete === undefined ? known(true) : unknownBecause(incomplete));
  setKnown(facts, unknown, 'gaps', gapsOf(window, trails, switches, detailOf, incomplete));
  return withUnknown(facts, unknown);
}

const callFacts = (call: HistoryCall & { region: string }): TamperCallFacts => ({ ...call, succeeded: call.errorCode === null });

function gapsOf(
  window: { start: string; end: string } | undefined,
  trails: Known<TrailFacts[]>,
  switches: HistoryCall[],
  detailOf: (arn: string) => TrailDetail | undefined,
  incomplete: string | undefined,
): Known<{ from: string; to: string; minutes: number }[]> {
  if (incomplete !== undefined) return unknownBecause(incomplete);
  // Stryker disable next-line all: unreachable, nothing is incomplete only when at least one region, hence a window, was read.
  if (!window) return unknownBecause('no region of the account was read');
  if (trails.reason !== undefined) return unknownBecause(trails.reason);
  const states = [];
  // A copy of the same kind as `switches` (see shared/lists.ts), which a spread of an empty one is not.
  const timeline = switches.slice();
  let unknownState: string | undefined;
  for (const trail of trails.value) {
    if (trail.isLogging === undefined || trail.managementEvents === undefined) {
      unknownState ??= trail.isLogging === undefined ? `isLogging of ${trail.arn} is unknown: ${trail.unknown?.isLogging ?? 'not read'}` : `managementEvents of ${trail.arn} is unknown: ${trail.unknown?.managementEvents ?? 'not read'}`;
      continue;
    }
    // Only a multi-region trail recording write management events records the account's changes
    // everywhere; a data-event-only, read-only or single-region trail does not close a gap.
    if (!trail.isMultiRegion || !trail.managementEvents.write) continue;
    states.push({ arn: trail.arn, isLogging: trail.isLogging });
    // An organization trail is switched from another account, whose history this account does not
    // hold: GetTrailStatus' StopLoggingTime dates a stop the calls here cannot show.
    const stoppedAt = detailOf(trail.arn)?.status.value?.StopLoggingTime;
    const switched = switches.some((c) => c.errorCode === null && (c.target === trail.arn || c.target === trail.name));
    if (!trail.isLogging && !switched && stoppedAt && stoppedAt > window.start && stoppedAt <= window.end) {
      timeline.push({
        eventName: 'StopLogging',
        // Stryker disable next-line StringLiteral: the event id names the source for a reader; the gaps order switches by time only.
        eventId: `GetTrailStatus:${trail.arn}`,
        time: stoppedAt,
        who: null,
        sourceIPAddress: null,
        userAgent: null,
        errorCode: null,
        target: trail.arn,
      });
    }
  }
  // Gaps of the trails whose state is known; a trail of unknown state can only close them, so
  // none found is an answer, and a gap found is one only when every state is known.
  const gaps = loggingGaps(window, states, timeline);
  if (gaps.length > 0 && unknownState !== undefined) return unknownBecause(unknownState);
  return known(mapped(gaps, gapFacts));
}

const gapFacts = (gap: LoggingGap) => ({ from: gap.start, to: gap.end, minutes: Math.round((Date.parse(gap.end) - Date.parse(gap.start)) / 6e4) });
