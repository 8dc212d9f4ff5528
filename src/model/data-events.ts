import type { AccountRecord } from '../snapshot/types.ts';
import type { AccountFacts, EvaluationSubject } from './facts.ts';
import type { ModelIndex } from './model-index.ts';
import { unknownBecause, type Known } from './known.ts';

/** Account-wide S3 data event coverage (issue #4 fills this in). */
export function accountDataEventFacts(_index: ModelIndex, _record: AccountRecord, _account: AccountFacts): Known<Record<string, unknown>> {
  return unknownBecause('data event coverage is not implemented yet');
}

/** One subject per bucket of the account that rules judge (issue #4 fills this in). */
export function bucketSubjects(_index: ModelIndex, _record: AccountRecord, _account: AccountFacts): EvaluationSubject[] {
  return [];
}
