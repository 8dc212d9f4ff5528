/**
 * Three-valued (Kleene) logic over facts that may be unknown: a part that is unknown makes the
 * whole unknown only when it could change the outcome. The reason kept is the first unknown one.
 */
import { known, unknownBecause, type Known } from './known.ts';

function decide(results: Iterable<Known<boolean>>, decisive: boolean): Known<boolean> {
  let reason: string | undefined;
  for (const result of results) {
    if (result.value === decisive) return known(decisive);
    reason ??= result.reason; // a known result has no reason
  }
  return reason === undefined ? known(!decisive) : unknownBecause(reason);
}

/** True when one part is true; false when all are false (or there are none); otherwise unknown. */
export const anyTrue = (results: Iterable<Known<boolean>>): Known<boolean> => decide(results, true);

/** False when one part is false; true when all are true (or there are none); otherwise unknown. */
export const allTrue = (results: Iterable<Known<boolean>>): Known<boolean> => decide(results, false);
