/**
 * How long a trail's log files stay in its S3 bucket, and how long that is guaranteed.
 *
 * Pure: the caller resolves the bucket's configuration (each part known or unknown) and the log
 * files' key prefix; this module applies S3's semantics. Every figure carries the setting that
 * limits it so a verdict can say why. Where lifecycle rules that apply to different subsets of
 * the logs combine (a current expiry from one, a noncurrent expiry from another), the shortest
 * combination is taken: the figure may understate retention, never overstate it.
 */
import type { LifecycleRule } from '../snapshot/types.ts';
import type { ObjectLockFacts, RetentionFacts, UnknownReasons } from './facts.ts';
import type { Known } from './known.ts';
import { lifecycleRuleLabel, matchLifecycleRule } from './lifecycle.ts';
import { describeObjectLock } from './object-lock.ts';
import { mapped } from '../shared/lists.ts';

/** Storage classes whose objects must be restored before they can be read. */
export const ARCHIVE_STORAGE_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

const DAY_MS = 86_400_000;

export interface RetentionInput {
  /** Every log file of the trail (for one account) starts with this; see {@link logObjectPrefix}. */
  logObjectPrefix: string;
  /** The snapshot's collection time: date-based lifecycle actions are counted from it. */
  asOf: string;
  /** Enabled and disabled rules; `[]` when the bucket has no lifecycle configuration. */
  lifecycle: Known<LifecycleRule[]>;
  /** GetBucketVersioning Status: Enabled, Suspended, or Disabled (never enabled). */
  versioning: Known<string>;
  objectLock: Known<ObjectLockFacts>;
}

/** A figure in days (null: never) and what limits it. */
interface Limit {
  days: number | null;
  by: string;
}

/**
 * `<S3KeyPrefix>/AWSLogs/[<org-id>/]<account-id>/CloudTrail/`: where CloudTrail writes the
 * account's log files (digests and Insights files sit beside it, under other folders).
 */
export function logObjectPrefix(s3KeyPrefix: string | undefined, organizationId: string | undefined, accountId: string): string {
  const custom = s3KeyPrefix ? `${s3KeyPrefix.replace(/\/+$/, '')}/` : '';
  return `${custom}AWSLogs/${organizationId ? `${organizationId}/` : ''}${accountId}/CloudTrail/`;
}

export function computeRetention(input: RetentionInput): RetentionFacts {
  const facts: RetentionFacts = { logObjectPrefix: input.logObjectPrefix };
  const unknown: UnknownReasons = {};

  const lock = input.objectLock;
  if (lock.value) {
    const { guaranteed, governance } = lockDays(lock.value);
    facts.guaranteedDays = guaranteed;
    facts.governanceDays = governance;
    facts.guaranteedLimitedBy =
      guaranteed > 0
        ? describeObjectLock(lock.value)
        : `${describeObjectLock(lock.value)}${governance > 0 ? ' (GOVERNANCE: principals with s3:BypassGovernanceRetention can delete)' : ''}; nothing guarantees the logs are kept`;
  } else {
    unknown.guaranteedDays = unknown.governanceDays = unknown.guaranteedLimitedBy = `Object Lock configuration unknown: ${lock.reason}`;
  }

  const rules = input.lifecycle;
  if (!rules.value) {
    const why = `lifecycle configuration unknown: ${rules.reason}`;
    unknown.lifecycleRules = unknown.availableDays = unknown.keptIndefinitely = unknown.availableLimitedBy = why;
    unknown.immediateDays = unknown.immediateLimitedBy = why;
    return withUnknown(facts, unknown);
  }

  const verdicts = mapped(rules.value, (rule, i) => {
    const match = matchLifecycleRule(rule, input.logObjectPrefix);
    return { rule: lifecycleRuleLabel(rule, i), applies: match.coverage !== 'none', coverage: match.coverage, reason: match.reason };
  });
  facts.lifecycleRules = verdicts;
  const applied = mapped(rules.value, (rule, i) => ({ rule, label: verdicts[i]!.rule })).filter((_, i) => verdicts[i]!.applies);

  const available = availability(applied, input);
  if (!available.value) {
    unknown.availableDays = unknown.keptIndefinitely = unknown.availableLimitedBy = available.reason;
    unknown.immediateDays = unknown.immediateLimitedBy = available.reason;
    return withUnknown(facts, unknown);
  }
  facts.availableDays = available.value.days;
  facts.keptIndefinitely = available.value.days === null;
  facts.availableLimitedBy = available.value.by;

  const immediate = earliest([available.value, ...archiveTransitions(applied, input)]);
  facts.immediateDays = immediate.days;
  facts.immediateLimitedBy = immediate.days === null ? 'no lifecycle rule archives or removes the log files' : immediate.by;
  return withUnknown(facts, unknown);
}

function lockDays(lock: ObjectLockFacts): { guaranteed: number; governance: number } {
  const days = lock.enabled ? (lock.days ?? 0) : 0;
  return { guaranteed: lock.mode === 'COMPLIANCE' ? days : 0, governance: lock.mode === 'GOVERNANCE' ? days : 0 };
}

type Applied = { rule: LifecycleRule; label: string }[];

/** Days until the last copy of a log file is gone: lifecycle expiry, held back by Object Lock. */
function availability(applied: Applied, input: RetentionInput): Known<Limit> {
  const current = currentExpiry(applied, input.asOf);
  if (current.days === null) return { value: { days: null, by: 'no enabled lifecycle rule that matches the log files expires them' } };

  if (!input.versioning.value) return { reason: `versioning unknown (${input.versioning.reason}), and ${current.by} expires the log files` };
  let removed: Limit = { days: current.days, by: `${current.by} on a bucket without versioning` };
  // Only an Enabled bucket keeps the expired object as a noncurrent version; under Suspended the
  // delete marker replaces the null version that new log files get, so the data is gone.
  if (input.versioning.value === 'Enabled') {
    const noncurrent = earliest(
      applied.flatMap(({ rule, label }) => {
        const days = rule.NoncurrentVersionExpiration?.NoncurrentDays;
        return days === undefined ? [] : [{ days, by: `${label} (NoncurrentVersionExpiration.NoncurrentDays ${days})` }];
      }),
    );
    if (noncurrent.days === null) {
      return { value: { days: null, by: `${current.by} only makes them noncurrent on a versioned bucket, and no rule expires noncurrent versions` } };
    }
    removed = { days: current.days + noncurrent.days, by: `${current.by} then ${noncurrent.by} on a versioned bucket` };
  }

  // Lifecycle cannot remove a version that Object Lock still retains (in either mode).
  const lock = input.objectLock;
  if (!lock.value) return { reason: `Object Lock configuration unknown (${lock.reason}); it may keep the logs beyond ${removed.days} days` };
  const lockHeld = lock.value.enabled ? (lock.value.days ?? 0) : 0;
  if (lockHeld > (removed.days ?? 0)) return { value: { days: lockHeld, by: `${describeObjectLock(lock.value)}, outlasting ${removed.by}` } };
  return { value: removed };
}

/** When the current version of a log file expires: the earliest Expiration of the rules that apply. */
function currentExpiry(applied: Applied, asOf: string): Limit {
  return earliest(
    applied.flatMap(({ rule, label }) => {
      const e = rule.Expiration;
      if (e?.Days !== undefined) return [{ days: e.Days, by: `${label} (Expiration.Days ${e.Days})` }];
      if (e?.Date !== undefined) return [dateLimit(e.Date, asOf, `${label} (Expiration.Date ${e.Date})`)];
      return [];
    }),
  );
}

/** Transitions to archive storage: of the current version, and of the noncurrent one after expiry on a versioned bucket. */
function archiveTransitions(applied: Applied, input: RetentionInput): Limit[] {
  const limits: Limit[] = [];
  for (const { rule, label } of applied) {
    for (const t of rule.Transitions ?? []) {
      if (!t.StorageClass || !ARCHIVE_STORAGE_CLASSES.includes(t.StorageClass)) continue;
      if (t.Days !== undefined) limits.push({ days: t.Days, by: `${label} (transition to ${t.StorageClass} after ${t.Days} days)` });
      else if (t.Date !== undefined) limits.push(dateLimit(t.Date, input.asOf, `${label} (transition to ${t.StorageClass} on ${t.Date})`));
    }
  }
  if (input.versioning.value === 'Enabled') {
    const current = currentExpiry(applied, input.asOf);
    for (const { rule, label } of applied) {
      for (const t of rule.NoncurrentVersionTransitions ?? []) {
        if (current.days === null || t.NoncurrentDays === undefined || !t.StorageClass || !ARCHIVE_STORAGE_CLASSES.includes(t.StorageClass)) continue;
        limits.push({ days: current.days + t.NoncurrentDays, by: `${label} (noncurrent versions to ${t.StorageClass} after ${t.NoncurrentDays} days)` });
      }
    }
  }
  return limits;
}

/** A date-based action: logs written from `asOf` on last until the date, and not at all after it. */
function dateLimit(date: string, asOf: string, by: string): Limit {
  const days = Math.max(0, Math.floor((Date.parse(date) - Date.parse(asOf)) / DAY_MS));
  return { days, by: `${by}, ${days} days after the snapshot` };
}

/** The smallest figure; null days (never) only when there is none. */
function earliest(limits: Limit[]): Limit {
  let best: Limit = { days: null, by: '' };
  for (const l of limits) if (l.days !== null && (best.days === null || l.days < best.days)) best = l;
  return best;
}

function withUnknown(facts: RetentionFacts, unknown: UnknownReasons): RetentionFacts {
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}
