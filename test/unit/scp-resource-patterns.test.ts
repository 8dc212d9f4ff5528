/**
 * SCP Resource patterns: ARNs compare case-sensitively (as IAM does), and only a pattern whose
 * region, account and resource id are all wildcards covers every resource of the action's service.
 */
import { describe, expect, it } from 'vitest';
import { actionMatches, resourceMatches, resourcePatternCoversAll } from '../../src/model/scp-match.ts';

describe('resourceMatches', () => {
  it('compares ARNs case-sensitively, unlike actions', () => {
    expect(resourceMatches('arn:aws:s3:::Audit-Logs/*', 'arn:aws:s3:::audit-logs/x')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::audit-logs/*', 'arn:aws:s3:::audit-logs/x')).toBe(true);
    expect(actionMatches('CloudTrail:stop*', 'cloudtrail:StopLogging')).toBe(true);
  });
});

describe('resourcePatternCoversAll', () => {
  it.each([
    ['arn:aws:cloudtrail:*:*', 'too few ARN parts'],
    ['xarn:aws:cloudtrail:*:*:trail/*', 'not an ARN'],
    ['arn:aws:cloudtrail:*:*:*:', 'a resource id with a trailing segment'],
    ['arn:aws:cloudtrail:*:*:1trail/*', 'a resource type that is not a word'],
    ['arn:aws:cloudtrail:*:*:trail/*x', 'names ending in x only'],
    ['arn:aws:cloudtrail:*:*:trail/*/x', 'a path under each trail'],
  ])('%s does not cover every trail (%s)', (pattern) => {
    expect(resourcePatternCoversAll(pattern, 'cloudtrail')).toBe(false);
  });

  it('an ARN whose resource part is a wildcard covers all', () => {
    expect(resourcePatternCoversAll('arn:aws:cloudtrail:*:*:*', 'cloudtrail')).toBe(true);
    expect(resourcePatternCoversAll('arn:aws:*:*:*:*', 'cloudtrail')).toBe(true);
  });
});
