import type { AccountRecord, TrailDetail } from '../snapshot/types.ts';
import type { TrailFacts } from './facts.ts';
import type { ModelIndex } from './model-index.ts';

/**
 * What was read about a trail in its home region: from the account's own record for its own
 * trails, from the owner's record (kept in the index) for organization trails.
 */
export function trailDetailFor(index: ModelIndex, record: AccountRecord, trail: Pick<TrailFacts, 'arn'>): TrailDetail | undefined {
  return record.trailDetails[trail.arn] ?? index.organizationTrails.get(trail.arn)?.detail;
}
