/**
 * OCSF 1.1.0 Compliance Finding (class_uid 2003, category "Findings"), one JSON object per line,
 * one line per verdict, with the cloud profile.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Severity, Verdict, VerdictStatus } from '../contracts/verdict.ts';
import { sha256Hex } from '../shared/hash.ts';
import { arnPartition, frameworkRequirements, ruleIndex, verdictKey } from './audit-common.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { JsonTemplates, ShapeKeys, type TemplateValue } from './json-template.ts';
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


/**
 * What a finding says of its verdict besides its rule and statuses, in the order ocsfFinding
 * takes them: a template's values (json-template.ts), undefined where a member is left out.
 */
function findingValues(v: Verdict, result: ScanResult, evidenceJson: string): (TemplateValue | undefined)[] {
  const r = v.resource;
  const s = v.suppressed;
  return [
    s ? `suppressed by ${s.exceptionId} until ${s.expires} (approved by ${s.approver}): ${s.reason}` : undefined,
    v.message,
    findingUid(v, result),
    r.id,
    r.name || undefined,
    r.region || undefined,
    arnPartition(r.arn),
    r.ouPath || undefined,
    r.accountId,
    { json: evidenceJson },
  ];
}

/**
 * A finding of `v`'s rule, status and severity, holding `values` (findingValues, or the markers
 * of a template): nothing else of the verdict is read, so every finding of the same shape is the
 * same text around its values.
 */
function ocsfFinding(v: Verdict, rule: RuleMeta | undefined, result: ScanResult, values: readonly unknown[]): Record<string, unknown> {
  const [statusDetail, message, uid, resourceId, name, region, partition, ouPath, account, evidence] = values;
  const severity = OCSF_SEVERITY[v.severity];
  const compliance = OCSF_COMPLIANCE_STATUS[v.status];
  const standards = rule ? Object.keys(rule.frameworks).sort(compareStrings) : [];
  const time = Date.parse(result.snapshot.collectedAt);
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
    ...(statusDetail !== undefined ? { status_detail: statusDetail } : {}),
    status_code: v.status,
    time,
    message,
    metadata: {
      version: OCSF_VERSION,
      profiles: ['cloud'],
      product: { name: result.tool.name, vendor_name: result.tool.name, version: result.tool.version, uid: result.tool.name },
      ...(result.snapshot.sha256 ? { correlation_uid: `snapshot-sha256:${result.snapshot.sha256}` } : {}),
    },
    finding_info: {
      uid,
      title: rule?.title ?? v.ruleId,
      desc: rule?.description ?? message,
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
      status_detail: message,
    },
    ...(rule?.remediation ? { remediation: { desc: rule.remediation, ...(rule.helpUri ? { references: [rule.helpUri] } : {}) } } : {}),
    resources: [
      {
        uid: resourceId,
        ...(name !== undefined ? { name } : {}),
        type: RESOURCE_TYPE[v.resource.type],
        ...(region !== undefined ? { region } : {}),
        cloud_partition: partition,
        ...(ouPath !== undefined ? { labels: [`ou:${ouPath as string}`] } : {}),
      },
    ],
    cloud: {
      provider: 'AWS',
      account: { uid: account, type: 'AWS Account', type_id: 10 },
      ...(region !== undefined ? { region } : {}),
      ...(result.snapshot.organizationId ? { org: { uid: result.snapshot.organizationId } } : {}),
    },
    unmapped: { evidence, rule_id: v.ruleId, rule_sha256: rule?.sha256 ?? null },
  };
}

export function renderOcsf(result: ScanResult, options: RenderOptions = {}): string {
  return [...ocsfLines(result, options)].join('');
}

/**
 * One finding per line, one verdict at a time, each from its shape's template: a rule's texts
 * are serialised once per shape, and the evidence's text is the one the other formats share.
 */
function* ocsfLines(input: ScanResult, options: RenderOptions): Generator<string> {
  const result = canonicalOrder(input);
  const rules = ruleIndex(result);
  const texts = options.evidenceTexts ?? EvidenceTexts.of(result.verdicts);
  const templates = new JsonTemplates();
  const shapes = new ShapeKeys();
  const evidenceJson = texts.perVerdict((compact) => compact);
  for (const v of result.verdicts) {
    const rule = rules.get(v.ruleId);
    // The shape: what ocsfFinding reads of the verdict besides its values.
    const shape = shapes.of([v.ruleId, v.status, v.severity, v.resource.type]);
    const line = templates.pieces(shape, findingValues(v, result, evidenceJson(v)), (values) => ocsfFinding(v, rule, result, values));
    if (typeof line === 'string') yield `${line}\n`;
    else {
      for (let i = 0; i < line.length - 1; i++) yield line[i]!;
      yield `${line[line.length - 1]!}\n`;
    }
  }
}

export const ocsfFormatter: Formatter = {
  name: 'ocsf',
  fileName: 'trailproof.ocsf.jsonl',
  description: 'OCSF 1.1 Compliance Finding (class 2003), one JSON line per verdict',
  // writeReports of this format alone at 10,000 accounts: 1.70 / 1.90 s CPU (min / median of 3; types.ts).
  cost: 1.7,
  render: (result, options) => renderOcsf(result, options),
  renderChunks: (result, options) => ocsfLines(result, options),
};
