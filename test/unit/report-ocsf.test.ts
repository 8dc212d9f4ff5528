import { describe, expect, it } from 'vitest';
import { renderOcsf } from '../../src/report/ocsf.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { ORG_ID, PROD_ACCOUNT, PROD_TRAIL_ARN, SANDBOX_ACCOUNT, sampleResult, shuffledResult } from '../fixtures/results/sample-result.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function lines(result: ScanResult = sampleResult()): Json[] {
  const text = renderOcsf(result);
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l));
}
const find = (all: Json[], rule: string, resource: string): Json =>
  all.find((f) => f.compliance.control === rule && f.resources[0].uid === resource);

describe('OCSF Compliance Finding', () => {
  it('writes one JSON line per verdict', () => {
    const result = sampleResult();
    expect(lines(result)).toHaveLength(result.verdicts.length);
  });

  it('carries the required Compliance Finding fields on every line', () => {
    const collectedMs = Date.parse(sampleResult().snapshot.collectedAt);
    for (const f of lines()) {
      expect(f).toMatchObject({ activity_id: 1, category_uid: 2, class_uid: 2003, type_uid: 200301, time: collectedMs });
      expect([1, 2, 3, 4, 5]).toContain(f.severity_id);
      expect([1, 3]).toContain(f.status_id);
      expect(f.metadata).toMatchObject({ version: '1.1.0', product: { name: 'trailproof', vendor_name: 'trailproof', version: '0.1.0' } });
      expect(f.finding_info.uid).toMatch(/^trailproof-[0-9a-f]{32}$/);
      expect(typeof f.finding_info.title).toBe('string');
      expect(Array.isArray(f.compliance.standards)).toBe(true);
      expect([1, 2, 3, 99]).toContain(f.compliance.status_id);
      expect(f.cloud.provider).toBe('AWS');
      expect(f.cloud.account.uid).toMatch(/^\d{12}$/);
      expect(f.resources).toHaveLength(1);
      expect(typeof f.message).toBe('string');
    }
  });

  it('maps statuses and severities', () => {
    const all = lines();
    const fail = find(all, 'cloudtrail-log-file-validation', PROD_ACCOUNT);
    expect(fail.compliance).toMatchObject({ status: 'Fail', status_id: 3 });
    expect(fail.compliance.requirements).toContain('nist-800-53-r5 AU-9');
    expect(fail.compliance.standards).toEqual(['aws-securityhub', 'cis-aws-foundations-v3.0.0', 'nist-800-53-r5']);
    expect(fail).toMatchObject({ severity_id: 3, severity: 'Medium', status_id: 1 });
    expect(find(all, 'cloudtrail-multi-region-management-events', PROD_ACCOUNT)).toMatchObject({ severity_id: 5, compliance: { status_id: 2, status: 'Warning' } });
    expect(find(all, 'trail-bucket-retention', PROD_TRAIL_ARN).compliance).toMatchObject({ status_id: 99 });
    const suppressed = find(all, 'cloudtrail-log-file-validation', SANDBOX_ACCOUNT);
    expect(suppressed).toMatchObject({ status_id: 3, status: 'Suppressed' });
    expect(suppressed.status_detail).toContain('security-lead@example.com');
    const trail = find(all, 'trail-kms-encryption', PROD_TRAIL_ARN);
    expect(trail.resources[0]).toMatchObject({ type: 'AWS::CloudTrail::Trail', region: 'eu-west-1', name: 'prod-app_trail.v2' });
    expect(trail.cloud).toMatchObject({ account: { uid: PROD_ACCOUNT }, org: { uid: ORG_ID } });
    expect(trail.unmapped.evidence).toEqual({ kmsKeyId: null });
  });

  it('gives each rule × resource its own stable finding uid', () => {
    const uids = lines().map((f) => f.finding_info.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(lines().map((f) => f.finding_info.uid)).toEqual(uids);
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderOcsf(sampleResult());
    expect(renderOcsf(sampleResult())).toBe(once);
    expect(renderOcsf(shuffledResult())).toBe(once);
  });
});
