/** A public access block level that could not be read is reported under `unknown` only, never as a level. */
import { describe, expect, it } from 'vitest';
import { effectivePublicAccessBlock } from '../../src/model/public-access.ts';
import { known, unknownBecause } from '../../src/model/known.ts';

const ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

describe('an unknown public access block level', () => {
  it('has no entry of its own beside the level that decided', () => {
    const accountUnknown = effectivePublicAccessBlock(known(ALL), unknownBecause('s3control:GetPublicAccessBlock was not read')).value!;
    expect(accountUnknown).not.toHaveProperty('account');
    expect(accountUnknown.unknown).toEqual({ account: 's3control:GetPublicAccessBlock was not read' });
    const bucketUnknown = effectivePublicAccessBlock(unknownBecause('s3:GetPublicAccessBlock was not read'), known(ALL)).value!;
    expect(bucketUnknown).not.toHaveProperty('bucket');
    expect(bucketUnknown.unknown).toEqual({ bucket: 's3:GetPublicAccessBlock was not read' });
  });
});
