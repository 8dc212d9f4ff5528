/**
 * Which tampering actions a detective control's pattern catches, judged by running the pattern over
 * the canonical records of each action (tamper-events.ts), never by reading the pattern's text: a
 * typo, a missed action, an `anything-but` or `!=` that excludes StopLogging, or a condition on who
 * made the call all show up here as a missed action.
 */
import { RecentCache } from '../shared/recent-cache.ts';
import { matchEventPattern } from './event-pattern.ts';
import { deepFreeze } from './frozen.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { filterPatternMatches, parseFilterPattern } from './log-filter-pattern.ts';
import { TAMPER_ACTIONS, tamperSamples, type TamperAction, type TamperCaller, type TamperSample } from './tamper-events.ts';
import { mappedWhere } from '../shared/lists.ts';

export interface ActionCoverage {
  action: TamperAction;
  /** True when every successful call of the action matches; false when one does not; unknown when the pattern could not be judged. */
  caught: Known<boolean>;
  /** Callers whose successful call the pattern does not match (empty when caught). */
  missedCallers: TamperCaller[];
  /** Whether a denied attempt (errorCode AccessDenied) would match too: information, not a requirement. */
  deniedAttemptCaught: Known<boolean>;
}

/** Coverage of each action by a matcher over samples (the evaluators below, or any other). */
export function coverageOf(matches: (sample: TamperSample) => Known<boolean>, actions: readonly TamperAction[] = TAMPER_ACTIONS): ActionCoverage[] {
  return actions.map((action) => {
    let unknown: string | undefined;
    const missedCallers: TamperCaller[] = [];
    let deniedAttemptCaught: Known<boolean> = known(false);
    for (const sample of tamperSamples([action])) {
      const result = matches(sample);
      if (sample.caller === 'denied-attempt') {
        deniedAttemptCaught = result;
      } else if (result.value === false) {
        missedCallers.push(sample.caller);
      } else if (result.value === undefined) {
        unknown ??= result.reason;
      }
    }
    const caught: Known<boolean> = missedCallers.length > 0 ? known(false) : unknown !== undefined ? unknownBecause(unknown) : known(true);
    return { action, caught, missedCallers, deniedAttemptCaught };
  });
}

/** Coverage by a CloudWatch Logs metric filter's pattern, as it reads each record in the trail's log group. */
export function metricFilterCoverage(filterPattern: string, actions: readonly TamperAction[] = TAMPER_ACTIONS): ActionCoverage[] {
  return byPattern('filter', filterPattern, actions, () => {
    const parsed = parseFilterPattern(filterPattern);
    return coverageOf((sample) => filterPatternMatches(parsed, sample.record), actions);
  });
}

/** Coverage by an EventBridge rule's event pattern, as it reads each call's event on the default bus. */
export function eventRuleCoverage(eventPattern: string, actions: readonly TamperAction[] = TAMPER_ACTIONS): ActionCoverage[] {
  return byPattern('event', eventPattern, actions, () => coverageOf((sample) => matchEventPattern(eventPattern, sample.event), actions));
}

/**
 * Coverage depends on the pattern's text and the actions only, and the same patterns recur in
 * account after account (a rule or filter deployed to every account): judged once (over fresh
 * samples each time) and shared, frozen.
 */
const coverageByPattern = new RecentCache<string, ActionCoverage[]>(256);

function byPattern(kind: 'filter' | 'event', pattern: string, actions: readonly TamperAction[], judge: () => ActionCoverage[]): ActionCoverage[] {
  return coverageByPattern.get(`${kind}\u0000${actions.join(',')}\u0000${pattern}`, () => deepFreeze(judge()));
}

/** The actions a coverage list proves caught. */
export const caughtActions = (coverage: readonly ActionCoverage[]): TamperAction[] => mappedWhere(coverage, (c) => c.caught.value === true, (c) => c.action);

/** "<action>: <why>" for the actions a pattern could not be judged on. */
export const undecidedActions = (coverage: readonly ActionCoverage[]): string[] => mappedWhere(coverage, (c) => c.caught.reason !== undefined, (c) => `${c.action}: ${c.caught.reason}`);
