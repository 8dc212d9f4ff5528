/**
 * Does an S3 lifecycle rule act on a trail's log files?
 *
 * CloudTrail writes log files under `<S3KeyPrefix>/AWSLogs/[<org-id>/]<account-id>/CloudTrail/<region>/...`
 * and never tags them. A rule acts on them when it is enabled and its filter can match such a
 * key; it may match only some of them (a region sub-prefix, a size range), which still shortens
 * the retention of those logs, so "some" counts as applying.
 */
import type { LifecycleRule } from '../snapshot/types.ts';

export type LifecycleCoverage = 'all' | 'some' | 'none';

export interface LifecycleMatch {
  coverage: LifecycleCoverage;
  /** Why the rule does (not) act on the logs, for evidence. */
  reason: string;
}

/** `rule "ID"`, or its position when AWS returned no ID. */
export function lifecycleRuleLabel(rule: LifecycleRule, position: number): string {
  return rule.ID ? `lifecycle rule "${rule.ID}"` : `lifecycle rule #${position + 1}`;
}

/**
 * @param logObjectPrefix the prefix every log file of the trail (for one account) starts with,
 *   e.g. `audit/AWSLogs/o-abc/111111111111/CloudTrail/`.
 */
export function matchLifecycleRule(rule: LifecycleRule, logObjectPrefix: string): LifecycleMatch {
  if (rule.Status !== 'Enabled') return { coverage: 'none', reason: `status is ${rule.Status}` };

  const filter = rule.Filter;
  const and = filter?.And;
  const tags = [...(filter?.Tag ? [filter.Tag] : []), ...(and?.Tags ?? [])];
  if (tags.length > 0) {
    return { coverage: 'none', reason: `filters on tag ${tags.map((t) => `${t.Key}=${t.Value}`).join(', ')}; CloudTrail log files are untagged` };
  }

  // The legacy top-level Prefix and Filter.Prefix are exclusive in AWS; either one narrows the keys.
  const prefix = and?.Prefix ?? filter?.Prefix ?? rule.Prefix ?? '';
  const prefixCoverage = comparePrefix(prefix, logObjectPrefix);
  if (prefixCoverage === 'none') return { coverage: 'none', reason: `prefix "${prefix}" does not cover "${logObjectPrefix}"` };

  const greater = and?.ObjectSizeGreaterThan ?? filter?.ObjectSizeGreaterThan;
  const less = and?.ObjectSizeLessThan ?? filter?.ObjectSizeLessThan;
  // Stryker disable next-line ConditionalExpression: `undefined <= n` is false, so without an upper bound the test below never holds anyway; this guard only narrows the type.
  if (less !== undefined) {
    // Sizes are whole bytes and both bounds exclusive; a log file has at least 1 byte.
    const smallestLogFile = Math.max(1, (greater ?? 0) + 1);
    if (less <= smallestLogFile) return { coverage: 'none', reason: `size range (${greater ?? 0}, ${less}) bytes holds no log file` };
  }
  const sized = greater !== undefined || less !== undefined;
  const coverage: LifecycleCoverage = prefixCoverage === 'all' && !sized ? 'all' : 'some';
  const parts = [prefix === '' ? 'no prefix filter (whole bucket)' : `prefix "${prefix}"`];
  if (sized) parts.push(`log files sized ${greater !== undefined ? `> ${greater}` : ''}${greater !== undefined && less !== undefined ? ' and ' : ''}${less !== undefined ? `< ${less}` : ''} bytes`);
  return { coverage, reason: `${parts.join(', ')} ${coverage === 'all' ? 'covers every log file' : 'covers some log files'}` };
}

/**
 * matchLifecycleRule's answer, one object per rule and kind of answer where the answer does not
 * depend on the log prefix: a rule not enabled or filtering on tags, and one whose prefix covers
 * all or some of the logs (its reason names the rule's prefix, not the logs'). Only "does not
 * cover" names the log prefix: that answer is made afresh. An organization trail's bucket rules
 * are matched for every member account (trail-bucket.ts), each with its own prefix; the answers
 * are frozen, being shared.
 */
export function sharedLifecycleMatch(rule: LifecycleRule, logObjectPrefix: string): LifecycleMatch {
  const filter = rule.Filter;
  const kind = rule.Status !== 'Enabled' || filter?.Tag || filter?.And?.Tags?.length ? 'fixed' : comparePrefix(filter?.And?.Prefix ?? filter?.Prefix ?? rule.Prefix ?? '', logObjectPrefix);
  if (kind === 'none') return matchLifecycleRule(rule, logObjectPrefix);
  let byKind = sharedMatches.get(rule);
  if (!byKind) sharedMatches.set(rule, (byKind = {}));
  return (byKind[kind] ??= Object.freeze(matchLifecycleRule(rule, logObjectPrefix)));
}

const sharedMatches = new WeakMap<LifecycleRule, Partial<Record<'fixed' | LifecycleCoverage, LifecycleMatch>>>();

/** A lifecycle prefix against the log files' prefix: a shorter one covers all, a longer one some. */
function comparePrefix(rulePrefix: string, logObjectPrefix: string): LifecycleCoverage {
  if (logObjectPrefix.startsWith(rulePrefix)) return 'all';
  // Stryker disable next-line StringLiteral: the caller tells only 'all' and 'none' apart; anything else is "some".
  if (rulePrefix.startsWith(logObjectPrefix)) return 'some';
  return 'none';
}
