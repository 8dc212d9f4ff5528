/** S3 Object Lock default retention, as the facts rules read. */
import type { ObjectLockConfiguration } from '../snapshot/types.ts';
import { known, unknownBecause, type Known } from './known.ts';
import type { ObjectLockFacts } from './facts.ts';

/** Object Lock counts a year as 365 days. */
export const DAYS_PER_YEAR = 365;

/**
 * `config` null: the bucket answered ObjectLockConfigurationNotFoundError.
 * A default retention is `Days` or `Years`. Some endpoints send the other one as 0
 * (`{Days: 0, Years: 1}` is one year); both non-zero is not a valid answer, so the retention is
 * unknown rather than guessed.
 */
export function objectLockFacts(config: ObjectLockConfiguration | null): Known<ObjectLockFacts> {
  const enabled = config?.ObjectLockEnabled === 'Enabled';
  const retention = enabled ? config?.Rule?.DefaultRetention : undefined;
  const { Days, Years } = retention ?? {};
  if (Days && Years) {
    return unknownBecause(`s3:GetObjectLockConfiguration answered DefaultRetention with both Days (${Days}) and Years (${Years}); AWS allows only one`);
  }
  const days = Days ? Days : Years ? Years * DAYS_PER_YEAR : (Days ?? Years ?? null);
  return known({ enabled, mode: retention?.Mode ?? null, days });
}

/** "Object Lock COMPLIANCE 400 days", or why no default retention applies. */
export function describeObjectLock(lock: ObjectLockFacts): string {
  if (!lock.enabled) return 'Object Lock is not enabled';
  if (lock.mode === null || lock.days === null) return 'Object Lock has no default retention';
  return `Object Lock ${lock.mode} default retention ${lock.days} days`;
}
