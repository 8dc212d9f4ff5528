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
import { arnPartition, frameworkRequirements, oncePerKey, oneLine, ruleIndex, truncate } from './audit-common.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import { escapedString, JsonTemplates, plainValue, ShapeKeys, type TemplateValue } from './json-template.ts';
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


function resourceId(v: Verdict): string {
  if (v.resource.type === 'account') return `AWS::::Account:${v.resource.accountId}`;
  return v.resource.arn ?? v.resource.id;
}

function workflowStatus(v: Verdict): string {
  if (v.suppressed) return 'SUPPRESSED';
  return v.status === 'PASS' || v.status === 'NOT_APPLICABLE' ? 'RESOLVED' : 'NEW';
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

/**
 * What a finding says of its verdict besides its rule, status, severity and resource type, in the
 * order asffFinding takes them, each cut to its limit: a template's values (json-template.ts),
 * undefined where a member is left out. `evidenceField` is the evidence's ProductFields value,
 * already cut and escaped (evidenceField).
 */
function findingValues(v: Verdict, region: string, evidenceField: TemplateValue): (TemplateValue | undefined)[] {
  const r = v.resource;
  const s = v.suppressed;
  const field = (value: string) => truncate(value, ASFF_LIMITS.productFieldValue);
  const partition = arnPartition(r.arn);
  return [
    boundedId(`trailproof/${v.ruleId}/${r.id}`, ASFF_LIMITS.id),
    `arn:${partition}:securityhub:${region}:${r.accountId}:product/${r.accountId}/default`,
    r.accountId,
    r.region ?? region,
    truncate(v.message.trim() || `${v.status} ${v.ruleId}`, ASFF_LIMITS.description),
    field(r.id),
    evidenceField,
    r.ouPath ? field(r.ouPath) : undefined,
    s ? field(s.exceptionId) : undefined,
    s ? field(s.approver) : undefined,
    s ? field(s.expires) : undefined,
    s ? field(s.reason) : undefined,
    resourceId(v),
    partition,
    r.region || undefined,
  ];
}

/**
 * A finding of `v`'s rule, status, severity and resource type, holding `values` (findingValues,
 * or the markers of a template): nothing else of the verdict is read, so every finding of the
 * same shape is the same text around its values.
 */
function asffFinding(v: Verdict, rule: RuleMeta | undefined, result: ScanResult, parts: AsffRuleParts, values: readonly (string | undefined)[]): Record<string, unknown> {
  const [id, productArn, account, findingRegion, description, resourceIdField, evidence, ouPath, exceptionId, approver, expires, reason, resource, partition, resourceRegion] = values;
  const requirements = parts.requirements;
  const field = (value: string) => truncate(value, ASFF_LIMITS.productFieldValue);
  const key = (name: string) => truncate(name, ASFF_LIMITS.productFieldKey);
  const productFields: Record<string, string | undefined> = {
    [key('trailproof/RuleId')]: field(v.ruleId),
    [key('trailproof/Status')]: field(v.status),
    [key('trailproof/ResourceId')]: resourceIdField,
    [key('trailproof/SnapshotCollectedAt')]: field(result.snapshot.collectedAt),
    [key('trailproof/Evidence')]: evidence,
  };
  if (ouPath !== undefined) productFields[key('trailproof/OuPath')] = ouPath;
  if (result.snapshot.sha256) productFields[key('trailproof/SnapshotSha256')] = field(result.snapshot.sha256);
  if (rule) productFields[key('trailproof/RuleSha256')] = field(rule.sha256);
  if (v.suppressed) {
    productFields[key('trailproof/ExceptionId')] = exceptionId;
    productFields[key('trailproof/ExceptionApprover')] = approver;
    productFields[key('trailproof/ExceptionExpires')] = expires;
    productFields[key('trailproof/ExceptionReason')] = reason;
  }
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: productArn,
    ProductName: 'trailproof',
    CompanyName: 'trailproof',
    GeneratorId: boundedId(`trailproof/${v.ruleId}`, ASFF_LIMITS.generatorId),
    AwsAccountId: account,
    Region: findingRegion,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: result.snapshot.collectedAt,
    UpdatedAt: result.snapshot.collectedAt,
    Severity: { Label: SEVERITY_LABEL[v.severity], Original: v.severity },
    Title: parts.title,
    Description: description,
    ...(parts.remediation ? { Remediation: parts.remediation } : {}),
    ProductFields: productFields,
    Resources: [
      {
        Type: RESOURCE_TYPE[v.resource.type],
        Id: resource,
        Partition: partition,
        ...(resourceRegion !== undefined ? { Region: resourceRegion } : {}),
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

/** The findings array (JSON.stringify's 2-space form), one finding at a time, each from its shape's template. */
function asffChunks(input: ScanResult, options: RenderOptions): Iterable<string> {
  const result = canonicalOrder(input);
  const rules = ruleIndex(result);
  const region = asffRegion(result, options);
  const partsOf = oncePerKey((ruleId: string) => asffRuleParts(ruleId, rules.get(ruleId)));
  const texts = options.evidenceTexts ?? EvidenceTexts.of(result.verdicts);
  const templates = new JsonTemplates();
  // The evidence's ProductFields value is a JSON text inside a JSON string: every quote in it is
  // escaped. Made once per evidence object or unread place in a spool, as its JSON text is.
  const evidenceField = texts.perVerdict((compact) => ({ escaped: escapedString(truncate(compact, ASFF_LIMITS.productFieldValue)) }));
  const values = (v: Verdict) => findingValues(v, region, evidenceField(v));
  const build = (v: Verdict) => (marked: readonly (string | undefined)[]) => asffFinding(v, rules.get(v.ruleId), result, partsOf(v.ruleId), marked);
  // The shape: what asffFinding reads of the verdict besides its values.
  const shapes = new ShapeKeys();
  const shape = (v: Verdict) => shapes.of([v.ruleId, v.status, v.severity, v.resource.type]);
  return stableJsonChunks(
    new LazyList(
      result.verdicts,
      (v) => build(v)(values(v).map(plainValue)),
      (v, indent) => templates.pieces(shape(v), values(v), build(v), indent),
    ),
  );
}

export const asffFormatter: Formatter = {
  name: 'asff',
  fileName: 'trailproof.asff.json',
  description: 'AWS Security Finding Format (Security Hub BatchImportFindings), one finding per verdict',
  // writeReports of this format alone at 10,000 accounts: 1.94 / 1.96 s CPU (min / median of 3; types.ts).
  cost: 1.9,
  render: (result, options) => renderAsff(result, options),
  renderChunks: (result, options) => asffChunks(result, options),
};
