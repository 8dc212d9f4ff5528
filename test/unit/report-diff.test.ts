import { describe, expect, it } from 'vitest';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../../src/report/diff.ts';
import { PII_BUCKET_ARN, PROD_ACCOUNT, PROD_TRAIL_ARN, SANDBOX_ACCOUNT, sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

const keys = (list: { ruleId: string; resourceId: string }[]) => list.map((e) => `${e.ruleId} ${e.resourceId}`);

describe('report diff', () => {
  const old = sampleResult();

  it('finds nothing new or fixed between a report and itself', () => {
    const d = diffReports(old, sampleResult());
    expect(d.new).toEqual([]);
    expect(d.fixed).toEqual([]);
    expect(d.unresolved).toEqual([]);
    // unsuppressed FAILs only: the suppressed sandbox FAIL is not a failure.
    expect(d.unchanged).toHaveLength(old.summary.counts.FAIL - old.summary.counts.suppressed);
    expect(keys(d.unchanged)).not.toContain(`cloudtrail-log-file-validation ${SANDBOX_ACCOUNT}`);
  });

  it('classifies new, fixed, unchanged and not-shown-fixed failures by rule id + resource id', () => {
    let now = withVerdict(old, (v) => v.ruleId === 'trail-bucket-retention' && v.status === 'PASS', { status: 'FAIL', message: 'kept 30 days' });
    now = withVerdict(now, (v) => v.ruleId === 's3-pii-data-events', { status: 'PASS' });
    now = withVerdict(now, (v) => v.ruleId === 'trail-kms-encryption' && v.resource.id === PROD_TRAIL_ARN, { status: 'ERROR' });
    now = sampleResult({ ...now, verdicts: [...now.verdicts].filter((v) => v.ruleId !== 'organization-trail-exists') });
    const d = diffReports(old, now);
    expect(keys(d.new)).toEqual(['trail-bucket-retention arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail']);
    expect(d.new[0]!.message).toBe('kept 30 days');
    expect(keys(d.fixed)).toEqual([`s3-pii-data-events ${PII_BUCKET_ARN}`]);
    expect(keys(d.unchanged)).toEqual([`cloudtrail-log-file-validation ${PROD_ACCOUNT}`]);
    // An ERROR or a verdict gone missing is not proof of a fix.
    expect(d.unresolved.map((e) => [e.ruleId, e.newStatus])).toEqual([
      ['organization-trail-exists', 'MISSING'],
      ['trail-kms-encryption', 'ERROR'],
    ]);
  });

  it('counts an exception that expired as a new failure, and a fresh suppression as not fixed', () => {
    const expired = withVerdict(old, (v) => v.resource.id === SANDBOX_ACCOUNT && v.ruleId === 'cloudtrail-log-file-validation', { suppressed: undefined });
    expect(keys(diffReports(old, expired).new)).toEqual([`cloudtrail-log-file-validation ${SANDBOX_ACCOUNT}`]);
    const suppressedNow = withVerdict(old, (v) => v.ruleId === 's3-pii-data-events', { suppressed: { reason: 'r', approver: 'a', expires: '2099-01-01', exceptionId: 'exceptions[3]' } });
    expect(diffReports(old, suppressedNow).unresolved.map((e) => e.newStatus)).toEqual(['SUPPRESSED']);
  });

  it('is independent of verdict order and renders text and markdown deterministically', () => {
    const now = withVerdict(old, (v) => v.ruleId === 's3-pii-data-events', { status: 'PASS' });
    const a = diffReports(old, now);
    const b = diffReports(shuffledResult(old), shuffledResult(now));
    expect(b).toEqual(a);
    const text = renderDiffText(a);
    expect(text).toContain('0 new, 1 fixed, 3 unchanged failures');
    expect(text).toMatch(/Fixed \(1\):\n  high +s3-pii-data-events/);
    const md = renderDiffMarkdown(a);
    expect(md).toContain('### Fixed (1)');
    expect(md).toContain('| high | s3-pii-data-events |');
    expect(renderDiffMarkdown(b)).toBe(md);
  });

  it('escapes messages in the markdown rendering', () => {
    const now = withVerdict(old, (v) => v.ruleId === 'trail-bucket-retention' && v.status === 'PASS', { status: 'FAIL', message: '<img src=x onerror=alert(1)> | x' });
    const md = renderDiffMarkdown(diffReports(old, now));
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt; \\| x');
  });
});
