import type { Tag } from '../snapshot/types.ts';
import { globToRegExp } from '../shared/glob.ts';
import type { TrailproofConfig } from './types.ts';

/**
 * Why config.yaml `pii` says a bucket holds PII: each matching list entry, name pattern and tag
 * rule. Shared by the collector (which buckets to read in full) and the model (the verdict's
 * reasons), so the two can never disagree.
 */
export function piiMatchReasons(name: string, tags: Tag[], rules: TrailproofConfig['pii']): string[] {
  return [...piiNameReasons(name, rules), ...piiTagReasons(tags, rules)];
}

/** The explicit list accepts `name` or `arn:aws:s3:::name`; patterns are globs over the name. */
export function piiNameReasons(name: string, rules: TrailproofConfig['pii']): string[] {
  const reasons: string[] = [];
  for (const entry of rules.buckets) if (bucketNameOf(entry) === name) reasons.push(`listed in pii.buckets (${entry})`);
  for (const pattern of rules.namePatterns) if (globToRegExp(pattern).test(name)) reasons.push(`name matches pii.namePatterns ${pattern}`);
  return reasons;
}

/** Keys and values compare case-insensitively; a rule with no values accepts any value of the key. */
export function piiTagReasons(tags: Tag[], rules: TrailproofConfig['pii']): string[] {
  const reasons: string[] = [];
  for (const rule of rules.tags) {
    for (const tag of tags) {
      // A tag answered without its key or value says nothing here (the snapshot keeps it as it came).
      if (typeof tag.Key !== 'string' || typeof tag.Value !== 'string') continue;
      if (tag.Key.toLowerCase() !== rule.key.toLowerCase()) continue;
      const accepted = rule.values.length === 0 || rule.values.some((v) => v.toLowerCase() === tag.Value.toLowerCase());
      if (accepted) reasons.push(`tag ${tag.Key}=${tag.Value}`);
    }
  }
  return reasons;
}

function bucketNameOf(entry: string): string {
  const at = entry.indexOf(':::');
  return at >= 0 ? entry.slice(at + 3).replace(/\/$/, '') : entry;
}
