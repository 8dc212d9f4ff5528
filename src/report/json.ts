/**
 * The canonical JSON report (trailproof.json): every field of the ScanResult, in a fixed order,
 * validated by the published schemas/report-v1.schema.json. `report diff/merge` and baselines read
 * it back with parseJsonReport.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FrameworkAssessment } from '../contracts/frameworks.ts';
import type { ScanResult, VerdictList } from '../contracts/result.ts';
import type { RuleMeta, Verdict } from '../contracts/verdict.ts';
import { located, UserError } from '../shared/errors.ts';
import { describeJsonError } from '../shared/json-syntax.ts';
import { canonicalOrder } from '../contracts/order.ts';
import { evidenceValue, LazyList, orderedKeys, SharedTexts, sharedMemberText, sortKeysDeep, stableJson, stableJsonChunks } from './canonical.ts';
import { JsonTemplates, ShapeKeys, type TemplateValue } from './json-template.ts';
import { PrettyEvidenceTexts } from './evidence-texts.ts';
import type { Formatter } from './types.ts';

export const REPORT_VERSION = 1;
export const REPORT_SCHEMA_URL = new URL('../../schemas/report-v1.schema.json', import.meta.url);
/** The schema's $id; written as "$schema" so editors can validate and complete a report. */
export const REPORT_SCHEMA_ID = 'https://trailproof.dev/schemas/report-v1.schema.json';

function verdictJson(v: Verdict): Record<string, unknown> {
  return verdictFields(v, evidenceValue(v.evidence));
}

/** The members of a verdict, its resource and its suppression, in the order the report writes them. */
const VERDICT_ORDER = ['ruleId', 'status', 'severity', 'message', 'evidence', 'resource', 'suppressed'] as const;
const RESOURCE_ORDER = ['type', 'id', 'accountId', 'region', 'arn', 'name', 'ouPath'] as const;
const SUPPRESSED_ORDER = ['reason', 'approver', 'expires', 'exceptionId'] as const;

function verdictFields(v: Verdict, evidence: unknown): Record<string, unknown> {
  return orderedKeys(
    {
      ...v,
      // A verdict always says what its proof was; "no proof" is an explicit null, not a missing key.
      evidence,
      resource: orderedKeys(v.resource, [...RESOURCE_ORDER]),
      suppressed: v.suppressed && orderedKeys(v.suppressed, [...SUPPRESSED_ORDER]),
    },
    [...VERDICT_ORDER],
  );
}

/**
 * verdictJson's text, with the evidence of verdicts reused across accounts rendered once, from
 * the template of its shape (json-template.ts); a verdict with members verdictFields does not
 * name, or members that are not text, is rendered whole.
 */
function verdictTexts(evidence: PrettyEvidenceTexts): (v: Verdict, indent: string) => string {
  const shared = new SharedTexts(evidenceValue);
  const templates = new JsonTemplates();
  const shapes = new ShapeKeys();
  return (v, indent) => {
    const values = templateValues(v, evidence, indent);
    if (!values) return sharedMemberText((e) => verdictFields(v, e), v.evidence, indent, shared);
    const shape = shapes.of([v.ruleId, v.status, v.severity, v.resource.type, v.suppressed ? '1' : '0']);
    return templates.render(shape, values, (marked) => templateVerdict(v, marked), indent);
  };
}

const VERDICT_KEYS: ReadonlySet<string> = new Set(VERDICT_ORDER);

/**
 * What verdictFields writes of a verdict besides its shape, in templateVerdict's order: the
 * message, the evidence's text (a member of an item nested `indent` deep), the resource's and
 * the suppression's texts; undefined when the verdict holds anything else.
 */
function templateValues(v: Verdict, evidence: PrettyEvidenceTexts, indent: string): (TemplateValue | undefined)[] | undefined {
  for (const key in v) if (!VERDICT_KEYS.has(key)) return undefined;
  if (!onlyTexts(v.resource, RESOURCE_ORDER) || (v.suppressed && !onlyTexts(v.suppressed, SUPPRESSED_ORDER)) || typeof v.message !== 'string') return undefined;
  const r = v.resource;
  const s = v.suppressed;
  return [v.message, { json: evidence.text(v, `${indent}  `) }, r.id, r.accountId, r.region, r.arn, r.name, r.ouPath, s?.reason, s?.approver, s?.expires, s?.exceptionId];
}

/** Its members are these keys only, each a string or undefined. */
function onlyTexts(value: object, keys: readonly string[]): boolean {
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!keys.includes(key)) return false;
    const member = record[key];
    if (member !== undefined && typeof member !== 'string') return false;
  }
  return true;
}

/** verdictFields of `v`'s shape holding `values` (templateValues, or a template's markers). */
function templateVerdict(v: Verdict, values: readonly (string | undefined)[]): Record<string, unknown> {
  const [message, evidence, id, accountId, region, arn, name, ouPath, reason, approver, expires, exceptionId] = values;
  const resource = { type: v.resource.type, id, accountId, region, arn, name, ouPath };
  const suppressed = v.suppressed && { reason, approver, expires, exceptionId };
  // Member by member, not spread: spreading reads a spooled verdict's evidence, parsing it.
  return verdictFields({ ruleId: v.ruleId, status: v.status, severity: v.severity, message, resource, suppressed } as Verdict, evidence);
}

function ruleJson(r: RuleMeta): Record<string, unknown> {
  return orderedKeys(
    { ...r, frameworks: sortKeysDeep(r.frameworks) as RuleMeta['frameworks'], params: sortKeysDeep(r.params) as RuleMeta['params'] },
    ['id', 'title', 'description', 'rationale', 'severity', 'resource', 'remediation', 'frameworks', 'tags', 'helpUri', 'params', 'source', 'sha256'],
  );
}

/** The report as a plain object in canonical order (before serialisation). */
export function jsonReportObject(input: ScanResult): Record<string, unknown> {
  return reportObject(input, (items, convert) => Array.from(items, convert));
}

type ListOf = (items: VerdictList, convert: (item: Verdict) => Record<string, unknown>) => unknown;

/** `listOf` decides whether the verdicts are converted now or while they are serialised. */
function reportObject(input: ScanResult, listOf: ListOf): Record<string, unknown> {
  const result = canonicalOrder(input);
  return orderedKeys(
    {
      $schema: REPORT_SCHEMA_ID,
      reportVersion: REPORT_VERSION,
      ...result,
      tool: orderedKeys(result.tool, ['name', 'version']),
      rulePack: orderedKeys(result.rulePack, ['version', 'sha256']),
      snapshot: orderedKeys(result.snapshot, ['collectedAt', 'source', 'sha256', 'organizationId', 'managementAccountId']),
      scope: orderedKeys(
        { ...result.scope, skipped: result.scope.skipped.map((s) => orderedKeys(s, ['accountId', 'reason'])) },
        ['regions', 'accountIds', 'skipped', 'shard'],
      ),
      accounts: result.accounts.map((a) => orderedKeys(a, ['id', 'name', 'ouPath', 'status'])),
      rules: result.rules.map(ruleJson),
      verdicts: listOf(result.verdicts, verdictJson),
      errors: result.errors.map((e) => orderedKeys(e, ['operation', 'code', 'message', 'accountId', 'region'])),
      exceptionNotes: result.exceptionNotes.map((n) => orderedKeys(n, ['exceptionId', 'rule', 'resource', 'kind', 'expires'])),
      summary: orderedKeys(
        { ...result.summary, counts: orderedKeys(result.summary.counts, ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'suppressed']) },
        ['counts', 'gatingFailures', 'partial', 'exitCode'],
      ),
      frameworks: result.frameworks?.map(frameworkJson),
    },
    ['$schema', 'reportVersion', 'tool', 'rulePack', 'snapshot', 'scope', 'accounts', 'rules', 'verdicts', 'errors', 'exceptionNotes', 'summary', 'failOn', 'frameworks'],
  );
}

function frameworkJson(f: FrameworkAssessment): Record<string, unknown> {
  return orderedKeys(
    {
      ...f,
      controls: f.controls.map((c) =>
        orderedKeys({ ...c, counts: orderedKeys(c.counts, ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE', 'suppressed']) }, [
          'controlId', 'title', 'status', 'notAssessedReason', 'manualCheck', 'rules', 'failingAccounts', 'erroredAccounts', 'counts',
        ]),
      ),
      summary: orderedKeys(f.summary, ['satisfied', 'notSatisfied', 'notAssessed']),
    },
    ['id', 'title', 'version', 'controls', 'summary'],
  );
}

export function renderJsonReport(result: ScanResult): string {
  return stableJson(jsonReportObject(result));
}

/** renderJsonReport's bytes in pieces, one verdict at a time, for writing a large report. */
export function jsonReportChunks(result: ScanResult): Iterable<string> {
  return stableJsonChunks(reportObject(result, (items, convert) => new LazyList(items, convert, verdictTexts(PrettyEvidenceTexts.of(items)))));
}

export const jsonFormatter: Formatter = {
  name: 'json',
  fileName: 'trailproof.json',
  description: 'Canonical JSON report (schemas/report-v1.schema.json); input of report diff/merge and baselines',
  // writeReports of this format alone at 10,000 accounts: 1.72 / 1.91 s CPU (min / median of 3; types.ts).
  cost: 1.7,
  render: (result) => renderJsonReport(result),
  renderChunks: (result) => jsonReportChunks(result),
};

let compiled: ValidateFunction | undefined;

/** The compiled report schema (compiled once, on first use). */
export function reportValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_URL, 'utf8')) as object);
  }
  return compiled;
}

/** "$.verdicts[3].resource" from "/verdicts/3/resource". */
function jsonPath(pointer: string, extra?: string): string {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  return `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `${jsonPath(e.instancePath, (e.params as { missingProperty: string }).missingProperty)}: missing required field`;
    case 'enum':
      return `${jsonPath(e.instancePath)}: expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${jsonPath(e.instancePath)}: ${e.message ?? e.keyword}`;
  }
}

/** Reads and checks a trailproof.json file (a baseline, a report to render, diff or merge). */
export function readJsonReport(file: string): ScanResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read: ${code ?? String(err)}`);
  }
  return parseJsonReport(text, file);
}

/**
 * Reads a trailproof.json back into a ScanResult. Fails with a UserError naming the file and the
 * JSON path of each problem, so a hand-edited or truncated baseline is refused, never half-used.
 */
export function parseJsonReport(text: string, file: string): ScanResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { line, column, reason } = describeJsonError(text, err as Error);
    throw new UserError(located(file, line, column, `not a trailproof JSON report: invalid JSON: ${reason}`));
  }
  return checkJsonReport(value, file);
}

/** A parsed report checked against the report schema; its problems name the JSON path. */
export function checkJsonReport(value: unknown, file: string): ScanResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${file}: not a trailproof JSON report: $ must be an object`);
  }
  const version = (value as { reportVersion?: unknown }).reportVersion;
  if (version !== REPORT_VERSION) {
    throw new UserError(
      version === undefined
        ? `${file}: not a trailproof JSON report: $.reportVersion is missing`
        : `${file}: $.reportVersion is ${JSON.stringify(version)}; this trailproof reads version ${REPORT_VERSION}`,
    );
  }
  const validate = reportValidator();
  if (!validate(value)) {
    const problems = [...new Set((validate.errors ?? []).map(describe))];
    throw new UserError(`${file}: invalid trailproof report:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const { $schema: _schema, reportVersion: _version, ...result } = value as Record<string, unknown>;
  return result as unknown as ScanResult;
}
