import type { Fetched, Tag } from '../snapshot/types.ts';
import type { ModelOptions } from './model-index.ts';
import { unknownReason } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { piiNameReasons, piiTagReasons } from '../config/pii-match.ts';
import type { PiiClassificationFacts } from './facts.ts';

export type PiiRules = ModelOptions['pii'];

export { globToRegExp } from '../shared/glob.ts';

/**
 * Whether a bucket holds PII. Unreadable tags leave the answer unknown unless the name or the
 * explicit list already decides it: a bucket is never assumed not to be PII.
 */
export function classifyBucket(name: string, tags: Fetched<Tag[]> | undefined, rules: PiiRules): Known<PiiClassificationFacts> {
  const reasons = piiNameReasons(name, rules);
  if (tags?.value === undefined || tags.value === null) {
    if (tags?.absent !== undefined) return known({ classified: reasons.length > 0, reasons });
    if (reasons.length > 0) return known({ classified: true, reasons });
    if (rules.tags.length === 0) return known({ classified: false, reasons });
    return unknownBecause(`tags unknown: ${unknownReason(tags, 's3:GetBucketTagging')}`);
  }
  reasons.push(...piiTagReasons(tags.value, rules));
  return known({ classified: reasons.length > 0, reasons });
}
