/**
 * OCSF 1.1.0 Compliance Finding (class_uid 2003, category "Findings"), one JSON object per line,
 * one line per verdict, with the cloud profile.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Severity, Verdict, VerdictStatus } from '../contracts/verdict.ts';
import { sha256Hex } from '../shared/hash.ts';
import { frameworkRequirements, ruleIndex, verdictKey } from './audit-common.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { compactJsonWith } from './canonical.ts';
import { EvidenceTexts } from './evidence-texts.ts';
import type { Formatter, RenderOptions } from './types.ts';

export const OCSF_VERSION = '1.1.0';
const CLASS_UID = 2003;
const CATEGORY_UID = 2;
const ACTIVITY_CREATE = 1;

export const OCSF_SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};

/** compliance.status_id: 1 Pass, 2 Warning ("no result due to missing information"), 3 Fail, 99 Other. */
export const OCSF_COMPLIANCE_STATUS: Record<VerdictStatus, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  ERROR: { id: 2, name: 'Warning' },
  FAIL: { id: 3, name: 'Fail' },
  NOT_APPLICABLE: { id: 99, name: 'Not Applicable' },
};

const RESOURCE_TYPE: Record<Verdict['resource']['type'], string> = {
  organization: 'AWS::Organizations::Organization',
  account: 'AWS::Organizations::Account',
  trail: 'AWS::CloudTrail::Trail',
  bucket: 'AWS::S3::Bucket',
};

/** A stable finding id: the same rule × resource in the same snapshot always gets the same uid. */
function findingUid(v: Verdict, result: ScanResult): string {
  return `trailproof-${sha256Hex(`${result.snapshot.collectedAt}\u0000${verdictKey(v)}`).slice(0, 32)}`;
}

function partitionOf(arn: string | undefined): string {
  return arn?.split(':')[1] || 'aws';
}

/** `evidence`: what unmapped.evidence holds (the verdict's evidence, or a stand-in whose text is put in later). */
export function ocsfFinding(v: Verdict, rule: RuleMeta | undefined, result: ScanResult, evidence: unknown = v.evidence ?? null): Record<string, unknown> {
  const severity = OCSF_SEVERITY[v.severity];
  const compliance = OCSF_COMPLIANCE_STATUS[v.status];
  const standards = rule ? Object.keys(rule.frameworks).sort(compareStrings) : [];
  const time = Date.parse(result.snapshot.collectedAt);
  const r = v.resource;
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    severity_id: severity.id,
    severity: severity.name,
    status_id: v.suppressed ? 3 : 1,
    status: v.suppressed ? 'Suppressed' : 'New',
    ...(v.suppressed ? { status_detail: `suppressed by ${v.suppressed.exceptionId} until ${v.suppressed.expires} (approved by ${v.suppressed.approver}): ${v.suppressed.reason}` } : {}),
    status_code: v.status,
    time,
    message: v.message,
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      product: { name: result.tool.name, vendor_name: result.tool.name, version: result.tool.version, uid: result.tool.name },
      ...(result.snapshot.sha256 ? { correlation_uid: `snapshot-sha256:${result.snapshot.sha256}` } : {}),
    },
    finding_info: {
      uid: findingUid(v, result),
      title: rule?.title ?? v.ruleId,
      desc: rule?.description ?? v.message,
      types: ['Compliance'],
      created_time: time,
      product_uid: result.tool.name,
    },
    compliance: {
      control: v.ruleId,
      requirements: frameworkRequirements(rule),
      standards,
      status: compliance.name,
      status_id: compliance.id,
      status_code: v.status,
      status_detail: v.message,
    },
    ...(rule?.remediation ? { remediation: { desc: rule.remediation, ...(rule.helpUri ? { references: [rule.helpUri] } : {}) } } : {}),
    resources: [
      {
        uid: r.id,
        ...(r.name ? { name: r.name } : {}),
        type: RESOURCE_TYPE[r.type],
        ...(r.region ? { region: r.region } : {}),
        cloud_partition: partitionOf(r.arn),
        ...(r.ouPath ? { labels: [`ou:${r.ouPath}`] } : {}),
      },
    ],
    cloud: {
      provider: 'AWS',
      account: { uid: r.accountId, type: 'AWS Account', type_id: 10 },
      ...(r.region ? { region: r.region } : {}),
      ...(result.snapshot.organizationId ? { org: { uid: result.snapshot.organizationId } } : {}),
    },
    unmapped: { evidence, rule_id: v.ruleId, rule_sha256: rule?.sha256 ?? null },
  };
}

export function renderOcsf(result: ScanResult, options: RenderOptions = {}): string {
  return [...ocsfLines(result, options)].join('');
}

/** One finding per line, one verdict at a time; the evidence's text is the one the other formats share. */
function* ocsfLines(input: ScanResult, options: RenderOptions): Generator<string> {
  const result = canonicalOrder(input);
  const rules = ruleIndex(result);
  const texts = options.evidenceTexts ?? new EvidenceTexts();
  for (const v of result.verdicts) {
    const rule = rules.get(v.ruleId);
    const evidence = v.evidence ?? null;
    yield `${compactJsonWith((member) => ocsfFinding(v, rule, result, member), evidence, texts.compact(evidence))}\n`;
  }
}

export const ocsfFormatter: Formatter = {
  name: 'ocsf',
  fileName: 'trailproof.ocsf.jsonl',
  description: 'OCSF 1.1 Compliance Finding (class 2003), one JSON line per verdict',
  cost: 6.0,
  render: (result, options) => renderOcsf(result, options),
  renderChunks: (result, options) => ocsfLines(result, options),
};
