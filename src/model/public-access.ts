/** Whether a bucket can be public: its own and its account's public access blocks, and its policy status. */
import type { PublicAccessBlock } from '../snapshot/types.ts';
import type { PublicAccessBlockFacts, PublicAccessFlagsFacts } from './facts.ts';
import { known, unknownBecause, type Known } from './known.ts';

export function publicAccessFlags(block: PublicAccessBlock): PublicAccessFlagsFacts {
  return {
    blockPublicAcls: block.BlockPublicAcls === true,
    ignorePublicAcls: block.IgnorePublicAcls === true,
    blockPublicPolicy: block.BlockPublicPolicy === true,
    restrictPublicBuckets: block.RestrictPublicBuckets === true,
  };
}

const NONE: PublicAccessFlagsFacts = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
const allSet = (f: PublicAccessFlagsFacts | null | undefined): boolean => !!f && Object.values(f).every(Boolean);

/**
 * S3 applies the most restrictive combination of the bucket's and the account's settings, so one
 * level with all four flags on decides alone, even when the other level is unknown.
 * @param bucket null: NoSuchPublicAccessBlockConfiguration.
 */
export function effectivePublicAccessBlock(
  bucket: Known<PublicAccessBlock | null>,
  account: Known<PublicAccessBlock | null>,
): Known<PublicAccessBlockFacts> {
  const b = bucket.value === undefined ? undefined : bucket.value && publicAccessFlags(bucket.value);
  const a = account.value === undefined ? undefined : account.value && publicAccessFlags(account.value);
  const facts: PublicAccessBlockFacts = { effective: NONE };
  const unknown: Record<string, string> = {};
  if (b !== undefined) facts.bucket = b;
  else unknown.bucket = bucket.reason!;
  if (a !== undefined) facts.account = a;
  else unknown.account = account.reason!;

  if (allSet(b) || allSet(a)) facts.effective = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  else if (b === undefined || a === undefined) return unknownBecause(`public access block unknown: ${unknown.bucket ?? unknown.account}`);
  else {
    const [bf, af] = [b ?? NONE, a ?? NONE];
    facts.effective = {
      blockPublicAcls: bf.blockPublicAcls || af.blockPublicAcls,
      ignorePublicAcls: bf.ignorePublicAcls || af.ignorePublicAcls,
      blockPublicPolicy: bf.blockPublicPolicy || af.blockPublicPolicy,
      restrictPublicBuckets: bf.restrictPublicBuckets || af.restrictPublicBuckets,
    };
  }
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
  const reasons: string[] = [];
  if (!block.value.effective.ignorePublicAcls) reasons.push('public ACLs are not ignored (IgnorePublicAcls is off at bucket and account level)');
  if (!block.value.effective.restrictPublicBuckets) {
    if (policyIsPublic.value === undefined) return unknownBecause(`bucket policy status unknown: ${policyIsPublic.reason}`);
    if (policyIsPublic.value) reasons.push('the bucket policy is public (GetBucketPolicyStatus IsPublic) and RestrictPublicBuckets is off');
  }
  return known(reasons);
}
