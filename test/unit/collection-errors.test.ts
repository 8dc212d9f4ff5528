/**
 * Every collection error recorded anywhere in a snapshot fragment is found (reports list them all
 * and a partial scan's exit code depends on them), and nothing that merely looks like one is.
 */
import { describe, expect, it } from 'vitest';
import { collectErrors } from '../../src/model/errors.ts';

const denied = (operation: string, extra: object = {}) => ({ operation, code: 'AccessDenied', message: 'no', ...extra });

describe('collectErrors', () => {
  it('finds errors at any depth: in objects, in arrays, in arrays of arrays', () => {
    const fragment = {
      access: { error: denied('sts:AssumeRole', { accountId: '111111111111' }) },
      regions: [
        { region: 'us-east-1', trails: { error: denied('cloudtrail:DescribeTrails', { region: 'us-east-1' }) } },
        { region: 'eu-west-1', trails: { value: [] }, nested: [[{ status: { error: denied('cloudtrail:GetTrailStatus') } }]] },
      ],
    };
    expect(collectErrors(fragment).map((e) => e.operation)).toEqual(['sts:AssumeRole', 'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus']);
  });

  it('returns the error records themselves, with every field', () => {
    const error = denied('s3:GetBucketPolicy', { accountId: '222222222222', region: 'eu-west-1' });
    expect(collectErrors({ bucket: { policy: { error } } })).toEqual([error]);
  });

  it('a top-level array of records is walked', () => {
    expect(collectErrors([{ error: denied('a:B') }, { error: denied('c:D') }]).map((e) => e.operation)).toEqual(['a:B', 'c:D']);
  });

  it('ignores `error` fields that are not error records (no operation or code string)', () => {
    const fragment = {
      a: { error: 'AccessDenied' },
      b: { error: { operation: 'x:Y' } },
      c: { error: { code: 'AccessDenied' } },
      d: { error: { operation: 1, code: 'AccessDenied' } },
      e: { error: { operation: 'x:Y', code: 2 } },
      f: { error: null },
    };
    expect(collectErrors(fragment)).toEqual([]);
  });

  it('does not walk into an error record (its fields are not further errors)', () => {
    const error = { ...denied('x:Y'), error: denied('inner:Z') };
    expect(collectErrors({ error }).map((e) => e.operation)).toEqual(['x:Y']);
  });

  it('finds nothing in scalars, null or an empty fragment', () => {
    for (const fragment of [null, undefined, 0, 'error', true, {}, []]) expect(collectErrors(fragment)).toEqual([]);
  });
});
