/** Whether a bucket can be public: its own and its account's public access blocks, and its policy status. */
import type { PublicAccessBlock } from '../snapshot/types.ts';
import type { PublicAccessBlockFacts, PublicAccessFlagsFacts } from './facts.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { emptyList } from '../shared/lists.ts';

export function publicAccessFlags(block: PublicAccessBlock): PublicAccessFlagsFacts {
  return {
    blockPublicAcls: block.BlockPublicAcls === true,
    ignorePublicAcls: block.IgnorePublicAcls === true,
    blockPublicPolicy: block.BlockPublicPolicy === true,
    restrictPublicBuckets: block.RestrictPublicBuckets === true,
  };
}

function allSet(flags: PublicAccessFlagsFacts | null | undefined): boolean {
  return !!flags && Object.values(flags).every(Boolean);
}

/**
 * S3 applies the most restrictive combination of the bucket's and the account's settings, so one
 * level with all four flags on decides alone, even when the other level is unknown.
 * @param bucket null: NoSuchPublicAccessBlockConfiguration.
 */
export function effectivePublicAccessBlock(
  bucket: Known<PublicAccessBlock | null>,
  account: Known<PublicAccessBlock | null>,
): Known<PublicAccessBlockFacts> {
  // undefined: unknown; null: no block configured at that level.
  const b = bucket.value && publicAccessFlags(bucket.value);
  const a = account.value && publicAccessFlags(account.value);
  const unknown: Record<string, string> = {};
  if (b === undefined) unknown.bucket = bucket.reason!;
  if (a === undefined) unknown.account = account.reason!;

  let effective: PublicAccessFlagsFacts;
  if (allSet(b) || allSet(a)) effective = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  else if (b === undefined || a === undefined) return unknownBecause(`public access block unknown: ${unknown.bucket ?? unknown.account}`);
  else {
    // A level without a block (null) sets no flag.
    const [bf, af] = [b ?? publicAccessFlags({}), a ?? publicAccessFlags({})];
    effective = {
      blockPublicAcls: bf.blockPublicAcls || af.blockPublicAcls,
      ignorePublicAcls: bf.ignorePublicAcls || af.ignorePublicAcls,
      blockPublicPolicy: bf.blockPublicPolicy || af.blockPublicPolicy,
      restrictPublicBuckets: bf.restrictPublicBuckets || af.restrictPublicBuckets,
    };
  }
  const facts: PublicAccessBlockFacts = { effective };
  if (b !== undefined) facts.bucket = b;
  if (a !== undefined) facts.account = a;
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return known(facts);
}

/**
 * Why the bucket may be public; [] when it is not. ACL grants are not collected, so public ACLs
 * count as possible unless IgnorePublicAcls neutralises them; a public policy counts unless
 * RestrictPublicBuckets confines it to AWS services and the owner's principals.
 */
export function bucketExposure(block: Known<PublicAccessBlockFacts>, policyIsPublic: Known<boolean>): Known<string[]> {
  if (!block.value) return unknownBecause(block.reason);
  const reasons = emptyList<string>();
  if (!block.value.effective.ignorePublicAcls) reasons.push('public ACLs are not ignored (IgnorePublicAcls is off at bucket and account level)');
  if (!block.value.effective.restrictPublicBuckets) {
    if (policyIsPublic.value === undefined) return unknownBecause(`bucket policy status unknown: ${policyIsPublic.reason}`);
    if (policyIsPublic.value) reasons.push('the bucket policy is public (GetBucketPolicyStatus IsPublic) and RestrictPublicBuckets is off');
  }
  return known(reasons);
}
