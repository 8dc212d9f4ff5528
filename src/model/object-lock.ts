/** S3 Object Lock default retention, as the facts rules read. */
import type { ObjectLockConfiguration } from '../snapshot/types.ts';

/** Object Lock counts a year as 365 days. */
export const DAYS_PER_YEAR = 365;

export interface ObjectLockFacts {
  enabled: boolean;
  /** Default retention mode: COMPLIANCE, GOVERNANCE, or null when no default retention is set. */
  mode: string | null;
  /** Default retention in days (`Years` × 365), or null when none is set. */
  days: number | null;
}

/** `config` null: the bucket answered ObjectLockConfigurationNotFoundError. */
export function objectLockFacts(config: ObjectLockConfiguration | null): ObjectLockFacts {
  const enabled = config?.ObjectLockEnabled === 'Enabled';
  const retention = enabled ? config?.Rule?.DefaultRetention : undefined;
  const days = retention?.Days ?? (retention?.Years !== undefined ? retention.Years * DAYS_PER_YEAR : undefined);
  return { enabled, mode: retention?.Mode ?? null, days: days ?? null };
}

/** "Object Lock COMPLIANCE 400 days", or why no default retention applies. */
export function describeObjectLock(lock: ObjectLockFacts): string {
  if (!lock.enabled) return 'Object Lock is not enabled';
  if (lock.mode === null || lock.days === null) return 'Object Lock has no default retention';
  return `Object Lock ${lock.mode} default retention ${lock.days} days`;
}
