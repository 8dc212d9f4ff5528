import type { AccountRecord } from '../snapshot/types.ts';
import type { ModelIndex } from './model-index.ts';
import { unknownBecause, type Known } from './known.ts';

/** CloudTrail Lake event data stores that record this account (issues #4/#5 fill this in). */
export function eventDataStoreFacts(_index: ModelIndex, _record: AccountRecord): Known<Record<string, unknown>[]> {
  return unknownBecause('event data stores are not modelled yet');
}
