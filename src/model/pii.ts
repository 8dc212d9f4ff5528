import type { Fetched, Tag } from '../snapshot/types.ts';
import type { ModelOptions } from './model-index.ts';
import { unknownReason } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';

export type PiiRules = ModelOptions['pii'];

export interface PiiClassification {
  classified: boolean;
  /** Why the bucket is PII: each matching list entry, name pattern and tag rule. */
  reasons: string[];
}

/** `*` any run of characters, `?` one character; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** `arn:aws:s3:::name` or `name` → `name`, so the explicit list accepts either form. */
function bucketNameOf(entry: string): string {
  const at = entry.indexOf(':::');
  return at >= 0 ? entry.slice(at + 3).replace(/\/$/, '') : entry;
}

function byName(name: string, rules: PiiRules): string[] {
  const reasons: string[] = [];
  for (const entry of rules.buckets) if (bucketNameOf(entry) === name) reasons.push(`listed in pii.buckets (${entry})`);
  for (const pattern of rules.namePatterns) if (globToRegExp(pattern).test(name)) reasons.push(`name matches pii.namePatterns ${pattern}`);
  return reasons;
}

/** Keys and values compare case-insensitively; a rule with no values accepts any value of the key. */
function byTags(tags: Tag[], rules: PiiRules): string[] {
  const reasons: string[] = [];
  for (const rule of rules.tags) {
    for (const tag of tags) {
      if (tag.Key.toLowerCase() !== rule.key.toLowerCase()) continue;
      const accepted = rule.values.length === 0 || rule.values.some((v) => v.toLowerCase() === tag.Value.toLowerCase());
      if (accepted) reasons.push(`tag ${tag.Key}=${tag.Value}`);
    }
  }
  return reasons;
}

/**
 * Whether a bucket holds PII. Unreadable tags leave the answer unknown unless the name or the
 * explicit list already decides it: a bucket is never assumed not to be PII.
 */
export function classifyBucket(name: string, tags: Fetched<Tag[]> | undefined, rules: PiiRules): Known<PiiClassification> {
  const reasons = byName(name, rules);
  if (tags?.value === undefined || tags.value === null) {
    if (tags?.absent !== undefined) return known({ classified: reasons.length > 0, reasons });
    if (reasons.length > 0) return known({ classified: true, reasons });
    if (rules.tags.length === 0) return known({ classified: false, reasons });
    return unknownBecause(`tags unknown: ${unknownReason(tags, 's3:GetBucketTagging')}`);
  }
  reasons.push(...byTags(tags.value, rules));
  return known({ classified: reasons.length > 0, reasons });
}
