import { createHash } from 'node:crypto';
import type { ResourceRef } from '../contracts/verdict.ts';

/** Key of the SARIF partialFingerprints entry; bump the version only if the recipe changes. */
export const FINGERPRINT_KEY = 'trailproof/v1';

/**
 * The identity of a finding across runs: rule and resource, nothing else. Messages and evidence
 * change as the account changes; the finding stays the same alert.
 * The NUL separator keeps ("a-b", "c") and ("a", "b-c") apart.
 */
export function findingFingerprint(ruleId: string, resource: Pick<ResourceRef, 'id'>): string {
  return createHash('sha256').update(`${ruleId}\u0000${resource.id}`).digest('hex');
}
