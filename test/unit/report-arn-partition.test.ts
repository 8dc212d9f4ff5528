import { describe, expect, it } from 'vitest';
import { arnPartition } from '../../src/report/audit-common.ts';

describe('arnPartition', () => {
  it("is an ARN's second field, or aws where it has none, as split(':')[1] || 'aws' was", () => {
    const arns = ['arn:aws:s3:::bucket', 'arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t', 'arn:aws-us-gov:iam::1:role/r', 'arn::s3:::b', 'arn:aws', 'arn', '', ':', 'a:b', undefined];
    for (const arn of arns) expect(arnPartition(arn)).toBe(arn?.split(':')[1] || 'aws');
  });
});
