import type { ModelIndex } from './model-index.ts';
import { unknownBecause, type Known } from './known.ts';

/** Effective SCP protection of an account (issue #3 fills this in). */
export function scpFacts(_index: ModelIndex, _accountId: string): Known<Record<string, unknown>> {
  return unknownBecause('SCP evaluation is not implemented yet');
}
