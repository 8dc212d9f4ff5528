/**
 * AWS Security Finding Format (ASFF) for Security Hub's BatchImportFindings: a JSON array of
 * findings, one per verdict. BatchImportFindings takes at most 100 findings per call, so an
 * importer sends the array in chunks.
 *
 * ProductArn uses the custom-integration form arn:aws:securityhub:<region>:<account>:product/<account>/default
 * with the finding's own account, so each finding is importable by the account it is about.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Severity, Verdict, VerdictStatus } from '../contracts/verdict.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { sha256Hex } from '../shared/hash.ts';
import { LazyList, stableJsonChunks } from './canonical.ts';
import { frameworkRequirements, oncePerKey, oneLine, ruleIndex, truncate } from './audit-common.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import type { Formatter, RenderOptions } from './types.ts';

/** Length limits from the AwsSecurityFinding API reference. */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  relatedRequirements: 32,
  productFieldKey: 128,
  productFieldValue: 2048,
} as const;

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

/** ERROR means "information is missing", which is what Security Hub's WARNING says. */
const COMPLIANCE_STATUS: Record<VerdictStatus, string> = {
  PASS: 'PASSED',
  FAIL: 'FAILED',
  ERROR: 'WARNING',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

const RESOURCE_TYPE: Record<Verdict['resource']['type'], string> = {
  organization: 'Other',
  account: 'AwsAccount',
  trail: 'AwsCloudTrailTrail',
  bucket: 'AwsS3Bucket',
};

/** Keeps an id within its limit while unique: a cut id gets a hash of the whole id appended. */
function boundedId(id: string, max: number): string {
  if (id.length <= max) return id;
  const hash = sha256Hex(id).slice(0, 16);
  return `${id.slice(0, max - hash.length - 1)}/${hash}`;
}

/** Region for ProductArn and findings without their own: the caller's choice, else us-east-1 if scanned, else the first region. */
export function asffRegion(result: ScanResult, options: RenderOptions): string {
  if (options.asffRegion) return options.asffRegion;
  const regions = [...result.scope.regions].sort(compareStrings);
  return regions.includes('us-east-1') ? 'us-east-1' : (regions[0] ?? 'us-east-1');
}

function partitionOf(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

function resourceId(v: Verdict): string {
  if (v.resource.type === 'account') return `AWS::::Account:${v.resource.accountId}`;
  return v.resource.arn ?? v.resource.id;
}

function workflowStatus(v: Verdict): string {
  if (v.suppressed) return 'SUPPRESSED';
  return v.status === 'PASS' || v.status === 'NOT_APPLICABLE' ? 'RESOLVED' : 'NEW';
}

function productFields(v: Verdict, rule: RuleMeta | undefined, result: ScanResult, evidenceJson: string): Record<string, string> {
  const fields: Record<string, string> = {
    'trailproof/RuleId': v.ruleId,
    'trailproof/Status': v.status,
    'trailproof/ResourceId': v.resource.id,
    'trailproof/SnapshotCollectedAt': result.snapshot.collectedAt,
    'trailproof/Evidence': evidenceJson,
  };
  if (v.resource.ouPath) fields['trailproof/OuPath'] = v.resource.ouPath;
  if (result.snapshot.sha256) fields['trailproof/SnapshotSha256'] = result.snapshot.sha256;
  if (rule) fields['trailproof/RuleSha256'] = rule.sha256;
  if (v.suppressed) {
    fields['trailproof/ExceptionId'] = v.suppressed.exceptionId;
    fields['trailproof/ExceptionApprover'] = v.suppressed.approver;
    fields['trailproof/ExceptionExpires'] = v.suppressed.expires;
    fields['trailproof/ExceptionReason'] = v.suppressed.reason;
  }
  return Object.fromEntries(
    Object.entries(fields).map(([k, value]) => [truncate(k, ASFF_LIMITS.productFieldKey), truncate(value, ASFF_LIMITS.productFieldValue)]),
  );
}

/** What every finding of a rule shares: made once per rule when a whole report is rendered. */
export interface AsffRuleParts {
  title: string;
  requirements: string[];
  remediation?: { Recommendation: { Text: string; Url?: string } };
}

export function asffRuleParts(ruleId: string, rule: RuleMeta | undefined): AsffRuleParts {
  const recommendation = rule?.remediation ? oneLine(rule.remediation) : '';
  return {
    title: truncate(oneLine(rule ? `${rule.title} (${ruleId})` : ruleId), ASFF_LIMITS.title),
    requirements: frameworkRequirements(rule).slice(0, ASFF_LIMITS.relatedRequirements),
    ...(recommendation ? { remediation: { Recommendation: { Text: truncate(recommendation, ASFF_LIMITS.recommendationText), ...(rule?.helpUri ? { Url: rule.helpUri } : {}) } } } : {}),
  };
}

const evidenceField = (evidence: unknown) => truncate(JSON.stringify(evidence ?? null), ASFF_LIMITS.productFieldValue);

export function asffFinding(
  v: Verdict,
  rule: RuleMeta | undefined,
  result: ScanResult,
  region: string,
  parts: AsffRuleParts = asffRuleParts(v.ruleId, rule),
  evidenceJson: string = evidenceField(v.evidence),
): Record<string, unknown> {
  const account = v.resource.accountId;
  const requirements = parts.requirements;
  return {
    SchemaVersion: '2018-10-08',
    Id: boundedId(`trailproof/${v.ruleId}/${v.resource.id}`, ASFF_LIMITS.id),
    ProductArn: `arn:${partitionOf(v.resource.arn)}:securityhub:${region}:${account}:product/${account}/default`,
    ProductName: 'trailproof',
    CompanyName: 'trailproof',
    GeneratorId: boundedId(`trailproof/${v.ruleId}`, ASFF_LIMITS.generatorId),
    AwsAccountId: account,
    Region: v.resource.region ?? region,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: result.snapshot.collectedAt,
    UpdatedAt: result.snapshot.collectedAt,
    Severity: { Label: SEVERITY_LABEL[v.severity], Original: v.severity },
    Title: parts.title,
    Description: truncate(v.message.trim() || `${v.status} ${v.ruleId}`, ASFF_LIMITS.description),
    ...(parts.remediation ? { Remediation: parts.remediation } : {}),
    ProductFields: productFields(v, rule, result, evidenceJson),
    Resources: [
      {
        Type: RESOURCE_TYPE[v.resource.type],
        Id: resourceId(v),
        Partition: partitionOf(v.resource.arn),
        ...(v.resource.region ? { Region: v.resource.region } : {}),
      },
    ],
    Compliance: {
      Status: COMPLIANCE_STATUS[v.status],
      ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}),
    },
    Workflow: { Status: workflowStatus(v) },
    RecordState: 'ACTIVE',
  };
}

export function renderAsff(result: ScanResult, options: RenderOptions = {}): string {
  return [...asffChunks(result, options)].join('');
}

/** The findings array (JSON.stringify's 2-space form), one finding at a time. */
function asffChunks(input: ScanResult, options: RenderOptions): Iterable<string> {
  const result = canonicalOrder(input);
  const rules = ruleIndex(result);
  const region = asffRegion(result, options);
  const partsOf = oncePerKey((ruleId: string) => asffRuleParts(ruleId, rules.get(ruleId)));
  const texts = options.evidenceTexts ?? new EvidenceTexts();
  return stableJsonChunks(
    new LazyList(result.verdicts, (v) => asffFinding(v, rules.get(v.ruleId), result, region, partsOf(v.ruleId), truncate(texts.compact(v.evidence), ASFF_LIMITS.productFieldValue))),
  );
}

export const asffFormatter: Formatter = {
  name: 'asff',
  fileName: 'trailproof.asff.json',
  description: 'AWS Security Finding Format (Security Hub BatchImportFindings), one finding per verdict',
  cost: 5.6,
  render: (result, options) => renderAsff(result, options),
  renderChunks: (result, options) => asffChunks(result, options),
};
