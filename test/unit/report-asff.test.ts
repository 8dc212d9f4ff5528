import { describe, expect, it } from 'vitest';
import { ASFF_LIMITS, renderAsff } from '../../src/report/asff.ts';
import type { RenderOptions } from '../../src/report/types.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { MANAGEMENT_ACCOUNT, PII_BUCKET_ARN, PROD_ACCOUNT, PROD_TRAIL_ARN, SANDBOX_ACCOUNT, sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const REQUIRED = ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'Types', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources'];

function asff(result: ScanResult = sampleResult(), options: RenderOptions = {}): Json[] {
  return JSON.parse(renderAsff(result, options));
}
const find = (all: Json[], rule: string, resourceId: string): Json =>
  all.find((f) => f.ProductFields['trailproof/RuleId'] === rule && f.ProductFields['trailproof/ResourceId'] === resourceId);

describe('ASFF', () => {
  it('is an array with one finding per verdict, each with the required attributes', () => {
    const result = sampleResult();
    const all = asff(result);
    expect(all).toHaveLength(result.verdicts.length);
    for (const f of all) {
      for (const k of REQUIRED) expect(f, k).toHaveProperty(k);
      expect(f.SchemaVersion).toBe('2018-10-08');
      expect(f.AwsAccountId).toMatch(/^\d{12}$/);
      expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${f.AwsAccountId}:product/${f.AwsAccountId}/default`);
      expect(f.Types).toContain('Software and Configuration Checks/Industry and Regulatory Standards');
      expect(f.CreatedAt).toBe(result.snapshot.collectedAt);
      expect(f.UpdatedAt).toBe(result.snapshot.collectedAt);
      expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']).toContain(f.Severity.Label);
      expect(f.Description.length).toBeGreaterThan(0);
      expect(f.Resources[0].Id).toBeTruthy();
      expect(f.RecordState).toBe('ACTIVE');
    }
    expect(new Set(all.map((f) => f.Id)).size).toBe(all.length);
  });

  it('maps PASS/FAIL/ERROR/N/A to PASSED/FAILED/WARNING/NOT_AVAILABLE and suppression to the workflow', () => {
    const all = asff();
    expect(find(all, 'cloudtrail-log-file-validation', PROD_ACCOUNT)).toMatchObject({ Compliance: { Status: 'FAILED' }, Workflow: { Status: 'NEW' }, Severity: { Label: 'MEDIUM' } });
    expect(find(all, 'cloudtrail-log-file-validation', MANAGEMENT_ACCOUNT)).toMatchObject({ Compliance: { Status: 'PASSED' }, Workflow: { Status: 'RESOLVED' } });
    expect(find(all, 'cloudtrail-multi-region-management-events', PROD_ACCOUNT).Compliance.Status).toBe('WARNING');
    expect(find(all, 'trail-bucket-retention', PROD_TRAIL_ARN).Compliance.Status).toBe('NOT_AVAILABLE');
    const suppressed = find(all, 'cloudtrail-log-file-validation', SANDBOX_ACCOUNT);
    expect(suppressed.Workflow.Status).toBe('SUPPRESSED');
    expect(suppressed.ProductFields['trailproof/ExceptionApprover']).toBe('security-lead@example.com');
    expect(find(all, 'cloudtrail-log-file-validation', PROD_ACCOUNT).Compliance.RelatedRequirements).toContain('nist-800-53-r5 AU-9');
  });

  it('describes resources the Security Hub way', () => {
    const all = asff();
    expect(find(all, 'cloudtrail-log-file-validation', PROD_ACCOUNT).Resources[0]).toEqual({ Type: 'AwsAccount', Id: `AWS::::Account:${PROD_ACCOUNT}`, Partition: 'aws' });
    expect(find(all, 'trail-kms-encryption', PROD_TRAIL_ARN).Resources[0]).toEqual({ Type: 'AwsCloudTrailTrail', Id: PROD_TRAIL_ARN, Partition: 'aws', Region: 'eu-west-1' });
    expect(find(all, 's3-pii-data-events', PII_BUCKET_ARN).Resources[0].Type).toBe('AwsS3Bucket');
  });

  it('uses the requested Security Hub region', () => {
    const f = asff(sampleResult(), { asffRegion: 'eu-central-1' })[0];
    expect(f.ProductArn).toMatch(/^arn:aws:securityhub:eu-central-1:/);
  });

  it('respects the length limits', () => {
    const long = 'x'.repeat(5000);
    let result = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { message: long, evidence: { blob: long }, resource: { ...[...sampleResult().verdicts].find((v) => v.ruleId === 's3-pii-data-events')!.resource, id: `arn:aws:s3:::${long}` } });
    result = sampleResult({ ...result, rules: result.rules.map((r) => ({ ...r, title: long, remediation: long, frameworks: { big: Array.from({ length: 40 }, (_, i) => `R${i}`) } })) });
    for (const f of asff(result)) {
      expect(f.Title.length).toBeLessThanOrEqual(ASFF_LIMITS.title);
      expect(f.Description.length).toBeLessThanOrEqual(ASFF_LIMITS.description);
      expect(f.Id.length).toBeLessThanOrEqual(ASFF_LIMITS.id);
      expect(f.GeneratorId.length).toBeLessThanOrEqual(ASFF_LIMITS.generatorId);
      expect(f.Remediation.Recommendation.Text.length).toBeLessThanOrEqual(ASFF_LIMITS.recommendationText);
      expect(f.Compliance.RelatedRequirements.length).toBeLessThanOrEqual(ASFF_LIMITS.relatedRequirements);
      for (const [k, v] of Object.entries(f.ProductFields)) {
        expect(k.length).toBeLessThanOrEqual(ASFF_LIMITS.productFieldKey);
        expect((v as string).length).toBeLessThanOrEqual(ASFF_LIMITS.productFieldValue);
      }
    }
    const ids = asff(result).map((f) => f.Id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderAsff(sampleResult());
    expect(renderAsff(sampleResult())).toBe(once);
    expect(renderAsff(shuffledResult())).toBe(once);
  });
});
