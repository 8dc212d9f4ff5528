/**
 * S3 public access: the most restrictive of the bucket's and the account's block applies, flag by
 * flag; one level with all four flags decides alone; otherwise an unknown level leaves the answer
 * unknown (never "not public").
 */
import { describe, expect, it } from 'vitest';
import { bucketExposure, effectivePublicAccessBlock, publicAccessFlags } from '../../src/model/public-access.ts';
import { known, unknownBecause, type Known } from '../../src/model/known.ts';
import type { PublicAccessBlock } from '../../src/snapshot/types.ts';
import type { PublicAccessBlockFacts } from '../../src/model/facts.ts';

const ALL: PublicAccessBlock = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const ALL_FLAGS = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const NO_FLAGS = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
const denied = (what: string): Known<PublicAccessBlock | null> => unknownBecause(`${what}: AccessDenied`);

describe('publicAccessFlags', () => {
  it('reads each flag on its own, and only `true` counts as set', () => {
    expect(publicAccessFlags({ BlockPublicAcls: true })).toEqual({ ...NO_FLAGS, blockPublicAcls: true });
    expect(publicAccessFlags({ IgnorePublicAcls: true })).toEqual({ ...NO_FLAGS, ignorePublicAcls: true });
    expect(publicAccessFlags({ BlockPublicPolicy: true })).toEqual({ ...NO_FLAGS, blockPublicPolicy: true });
    expect(publicAccessFlags({ RestrictPublicBuckets: true })).toEqual({ ...NO_FLAGS, restrictPublicBuckets: true });
    expect(publicAccessFlags({ BlockPublicAcls: false, RestrictPublicBuckets: 'true' as unknown as boolean })).toEqual(NO_FLAGS);
  });
});

describe('effectivePublicAccessBlock', () => {
  it('ORs the two levels flag by flag and keeps each level as read', () => {
    const r = effectivePublicAccessBlock(known({ BlockPublicAcls: true, BlockPublicPolicy: true }), known({ IgnorePublicAcls: true }));
    expect(r).toEqual({
      value: {
        effective: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false },
        bucket: { ...NO_FLAGS, blockPublicAcls: true, blockPublicPolicy: true },
        account: { ...NO_FLAGS, ignorePublicAcls: true },
      },
    });
  });

  it('takes each flag from whichever level sets it', () => {
    const fromAccount = effectivePublicAccessBlock(known(null), known({ RestrictPublicBuckets: true }));
    expect(fromAccount.value?.effective).toEqual({ ...NO_FLAGS, restrictPublicBuckets: true });
    const fromBucket = effectivePublicAccessBlock(known({ RestrictPublicBuckets: true, BlockPublicPolicy: true }), known(null));
    expect(fromBucket.value?.effective).toEqual({ ...NO_FLAGS, restrictPublicBuckets: true, blockPublicPolicy: true });
  });

  it('with no block at either level (NoSuchPublicAccessBlockConfiguration), nothing is blocked', () => {
    expect(effectivePublicAccessBlock(known(null), known(null))).toEqual({ value: { effective: NO_FLAGS, bucket: null, account: null } });
  });

  it('a level with all four flags decides even when the other is unknown, and the unknown one is recorded', () => {
    const r = effectivePublicAccessBlock(known(ALL), denied('s3control:GetPublicAccessBlock'));
    expect(r).toEqual({ value: { effective: ALL_FLAGS, bucket: ALL_FLAGS, unknown: { account: 's3control:GetPublicAccessBlock: AccessDenied' } } });
    const other = effectivePublicAccessBlock(denied('s3:GetBucketPublicAccessBlock'), known(ALL));
    expect(other).toEqual({ value: { effective: ALL_FLAGS, account: ALL_FLAGS, unknown: { bucket: 's3:GetBucketPublicAccessBlock: AccessDenied' } } });
  });

  it('three flags out of four do not decide alone: an unknown other level makes the answer unknown, with its reason', () => {
    const three = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true };
    expect(effectivePublicAccessBlock(known(three), denied('account'))).toEqual({ reason: 'public access block unknown: account: AccessDenied' });
    expect(effectivePublicAccessBlock(denied('bucket'), known(three))).toEqual({ reason: 'public access block unknown: bucket: AccessDenied' });
    expect(effectivePublicAccessBlock(denied('bucket'), known(null))).toEqual({ reason: 'public access block unknown: bucket: AccessDenied' });
  });

  it('both levels unknown names the bucket first', () => {
    expect(effectivePublicAccessBlock(denied('bucket'), denied('account'))).toEqual({ reason: 'public access block unknown: bucket: AccessDenied' });
  });

  it('records no `unknown` when both levels were read', () => {
    expect(effectivePublicAccessBlock(known(ALL), known(ALL)).value).not.toHaveProperty('unknown');
  });
});

describe('bucketExposure', () => {
  const block = (flags: Partial<typeof NO_FLAGS>): Known<PublicAccessBlockFacts> => known({ effective: { ...NO_FLAGS, ...flags } });
  const ACLS = 'public ACLs are not ignored (IgnorePublicAcls is off at bucket and account level)';
  const POLICY = 'the bucket policy is public (GetBucketPolicyStatus IsPublic) and RestrictPublicBuckets is off';

  it('is none when ACLs are ignored and public policies restricted, whatever the policy status', () => {
    expect(bucketExposure(block({ ignorePublicAcls: true, restrictPublicBuckets: true }), known(true))).toEqual({ value: [] });
    expect(bucketExposure(block({ ignorePublicAcls: true, restrictPublicBuckets: true }), unknownBecause('denied'))).toEqual({ value: [] });
  });

  it('lists each open door', () => {
    expect(bucketExposure(block({}), known(true))).toEqual({ value: [ACLS, POLICY] });
    expect(bucketExposure(block({ ignorePublicAcls: true }), known(true))).toEqual({ value: [POLICY] });
    expect(bucketExposure(block({ restrictPublicBuckets: true }), known(true))).toEqual({ value: [ACLS] });
    expect(bucketExposure(block({ ignorePublicAcls: true }), known(false))).toEqual({ value: [] });
  });

  it('an unknown policy status matters only when RestrictPublicBuckets is off', () => {
    expect(bucketExposure(block({ ignorePublicAcls: true }), unknownBecause('s3:GetBucketPolicyStatus: AccessDenied'))).toEqual({
      reason: 'bucket policy status unknown: s3:GetBucketPolicyStatus: AccessDenied',
    });
  });

  it('an unknown block is an unknown exposure, with the same reason', () => {
    expect(bucketExposure(unknownBecause('public access block unknown: x'), known(false))).toEqual({ reason: 'public access block unknown: x' });
  });
});
