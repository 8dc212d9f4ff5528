/**
 * JUnit XML for GitLab and Jenkins: one <testsuite> per rule, one <testcase> per rule × resource.
 * FAIL → <failure>, ERROR → <error>, NOT_APPLICABLE and suppressed FAIL → <skipped> with the reason.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { RuleMeta, Verdict } from '../contracts/verdict.ts';
import { canonicalOrder, compareStrings } from '../contracts/order.ts';
import { prettyJson, resourceLabel, ruleIndex } from './audit-common.ts';
import { outlinesOf } from './list-views.ts';
import type { VerdictOutline } from '../evaluate/verdict-outline.ts';
import type { Formatter, RenderOptions } from './types.ts';
import { prettyJsonText } from './compact-json.ts';
import { EvidenceTexts, evidenceTextOf } from './evidence-texts.ts';
import type { FrameworkAssessment } from '../contracts/frameworks.ts';
import { controlBasis, controlStatusText, frameworkName, frameworkSummaryText } from './frameworks.ts';

/** Characters XML 1.0 forbids anywhere (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** Anything escapeXmlText changes; most values (rule ids, resource ids, PASS cases) hold none, and are returned after one scan. */
const XML_TEXT_SPECIAL = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const XML_ATTR_SPECIAL = /[&<>"'\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const XML_TEXT_ENTITIES = /[&<>"']/g;
const XML_ATTR_ENTITIES = /[&<>"'\t\n\r]/g;
const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const xmlEntity = (c: string) => XML_ENTITY[c]!;

export function escapeXmlText(text: string): string {
  return XML_TEXT_SPECIAL.test(text) ? stripInvalidXmlChars(text).replace(XML_TEXT_ENTITIES, xmlEntity) : text;
}

/** Attribute values also keep tab and line breaks, which parsers would otherwise normalise to spaces. */
export function escapeXmlAttr(text: string): string {
  return XML_ATTR_SPECIAL.test(text) ? stripInvalidXmlChars(text).replace(XML_ATTR_ENTITIES, xmlEntity) : text;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}

/**
 * Each case's name: resource id + name, made unique within the suite should two resources share
 * both. A label goes into the suite's set once (one lookup, not a get and a set per case: at
 * 10,000 accounts ~0.1 s of writing JUnit for 150,195 cases); only a repeated one is counted.
 */
function caseNamer(): (verdict: Verdict) => string {
  const seen = new Set<string>();
  const repeats = new Map<string, number>();
  return (verdict) => {
    const base = resourceLabel(verdict);
    const before = seen.size;
    if (seen.add(base).size !== before) return base;
    const n = (repeats.get(base) ?? 1) + 1;
    repeats.set(base, n);
    return `${base} #${n}`;
  };
}

/**
 * A suite's test cases: the XML of what its verdicts share made once, not once per verdict. Text
 * escaping is by character (escapeXmlText drops what XML forbids, lone surrogates among them, and
 * replaces five characters), and the parts of a case's detail are joined with line breaks, which
 * it leaves alone: the detail's parts escaped apart and joined are the whole detail escaped. At
 * 10,000 accounts each of 150,195 cases built an attribute object (`attrs`), and every FAIL or
 * ERROR case escaped its rule's remediation and its evidence's pretty JSON (quotes: always the
 * slow path) once more.
 */
class SuiteCases {
  private readonly open: string;
  /** The detail's end: the rule's remediation, escaped (empty without one). */
  private readonly remediation: string;

  constructor(
    ruleId: string,
    rule: RuleMeta | undefined,
    private readonly indent: string,
    private readonly evidence: (verdict: Verdict) => string,
  ) {
    this.open = `${indent}<testcase classname="${escapeXmlAttr(ruleId)}" name="`;
    this.remediation = rule?.remediation ? `\n\nremediation:\n${escapeXmlText(rule.remediation.trimEnd())}` : '';
  }

  testcase(v: Verdict, name: string): string {
    const indent = this.indent;
    const open = `${this.open}${escapeXmlAttr(name)}" time="0"`;
    const inner = indent + '  ';
    switch (v.status) {
      case 'PASS':
        return `${open}/>`;
      case 'FAIL':
        if (v.suppressed) {
          const s = v.suppressed;
          const reason = `suppressed by ${s.exceptionId} until ${s.expires} (approved by ${s.approver}): ${s.reason}`;
          return `${open}>\n${inner}<skipped message="${escapeXmlAttr(reason)}"/>\n${inner}<system-out>${this.detail(v)}</system-out>\n${indent}</testcase>`;
        }
        return `${open}>\n${inner}<failure message="${escapeXmlAttr(v.message)}" type="${escapeXmlAttr(`FAIL ${v.severity}`)}">${this.detail(v)}</failure>\n${indent}</testcase>`;
      case 'ERROR':
        return `${open}>\n${inner}<error message="${escapeXmlAttr(v.message)}" type="ERROR">${this.detail(v)}</error>\n${indent}</testcase>`;
      case 'NOT_APPLICABLE':
        return `${open}>\n${inner}<skipped message="${escapeXmlAttr(`not applicable: ${v.message}`)}"/>\n${indent}</testcase>`;
    }
  }

  /** The case's detail, escaped: message, resource, account, region, evidence, remediation, a line each. */
  private detail(v: Verdict): string {
    const r = v.resource;
    const head = `${escapeXmlText(v.message ?? '')}\n\n${escapeXmlText(`resource: ${r.id}`)}\n${escapeXmlText(`account: ${r.accountId}`)}`;
    const region = r.region ? `\n${escapeXmlText(`region: ${r.region}`)}` : '';
    return `${head}${region}\n\nevidence:\n${this.evidence(v)}${this.remediation}`;
  }
}

/**
 * A verdict's evidence as the detail prints it (prettyJson), escaped: once per recent evidence
 * object or spool place (evidenceTextOf); evidence still unread in a spool is laid out from its
 * text (compact-json.ts prettyJsonText), not parsed, and parsed only where the printer declines.
 */
function escapedEvidence(texts: EvidenceTexts): (verdict: Verdict) => string {
  const fromValue = (value: unknown) => escapeXmlText(prettyJson(value));
  return evidenceTextOf(texts.compact, (compact) => escapeXmlText(prettyJsonText(compact) ?? prettyJson(JSON.parse(compact))), fromValue);
}

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

const emptySuite = (): SuiteCounts => ({ tests: 0, failures: 0, errors: 0, skipped: 0 });

function countInto(counts: SuiteCounts, v: VerdictOutline): void {
  counts.tests++;
  if (v.status === 'FAIL' && !v.suppressed) counts.failures++;
  else if (v.status === 'ERROR') counts.errors++;
  else if (v.status === 'NOT_APPLICABLE' || v.status === 'FAIL') counts.skipped++;
}

export function renderJUnit(result: ScanResult, options: RenderOptions = {}): string {
  return [...junitChunks(result, options)].join('');
}

/**
 * Two walks: the counts first (the <testsuites> element carries the totals; a spooled list's
 * outlines, list-views.ts outlinesOf, so its file is read once), then
 * the test cases, one suite per rule. Verdicts are in canonical order, so a rule's verdicts come
 * together, in the suites' order.
 */
function* junitChunks(input: ScanResult, options: RenderOptions): Generator<string> {
  const result = canonicalOrder(input);
  const evidence = escapedEvidence(options.evidenceTexts ?? EvidenceTexts.of(result.verdicts));
  const rules = ruleIndex(result);
  const suites = new Map<string, SuiteCounts & { severity?: string }>();
  for (const r of result.rules) suites.set(r.id, emptySuite());
  const total = emptySuite();
  for (const v of outlinesOf(result.verdicts)) {
    let counts = suites.get(v.ruleId);
    if (!counts) suites.set(v.ruleId, (counts = emptySuite()));
    counts.severity ??= v.severity;
    countInto(counts, v);
    countInto(total, v);
  }
  const frameworkSuites: string[] = [];
  for (const framework of result.frameworks ?? []) {
    const { suite, counts } = frameworkSuite(framework, result.snapshot.collectedAt);
    for (const k of Object.keys(total) as (keyof SuiteCounts)[]) total[k] += counts[k];
    frameworkSuites.push(suite);
  }
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites${attrs({ name: result.tool.name, ...total, time: '0', timestamp: result.snapshot.collectedAt })}>\n`;
  const verdicts = result.verdicts[Symbol.iterator]();
  let next = verdicts.next();
  for (const ruleId of [...suites.keys()].sort(compareStrings)) {
    const { severity, ...counts } = suites.get(ruleId)!;
    const rule = rules.get(ruleId);
    const props = [
      ['title', rule?.title ?? ''],
      ['severity', rule?.severity ?? severity ?? ''],
      ['resource', rule?.resource ?? ''],
      ['source', rule?.source ?? ''],
      ['sha256', rule?.sha256 ?? ''],
    ].filter(([, value]) => value !== '');
    yield `  <testsuite${attrs({ name: ruleId, ...counts, time: '0', timestamp: result.snapshot.collectedAt })}>\n`;
    if (props.length > 0) {
      yield ['    <properties>', ...props.map(([name, value]) => `      <property${attrs({ name: name!, value: value! })}/>`), '    </properties>\n'].join('\n');
    }
    const named = caseNamer();
    const cases = new SuiteCases(ruleId, rule, '    ', evidence);
    for (; !next.done && next.value.ruleId === ruleId; next = verdicts.next()) yield `${cases.testcase(next.value, named(next.value))}\n`;
    yield '  </testsuite>\n';
  }
  for (const suite of frameworkSuites) yield `${suite}\n`;
  yield '</testsuites>\n';
}

/**
 * A framework selected with --framework as one more suite, "framework:<pack id>": a test case per
 * control. Not satisfied → <failure>, not assessed for an ERROR → <error>, a manual control or one
 * with no verdicts → <skipped> with the reason.
 */
function frameworkSuite(framework: FrameworkAssessment, timestamp: string): { suite: string; counts: SuiteCounts } {
  const counts: SuiteCounts = { tests: framework.controls.length, failures: 0, errors: 0, skipped: 0 };
  const cases = framework.controls.map((c) => {
    const open = `    <testcase${attrs({ classname: `framework:${framework.id}`, name: `${c.controlId} ${c.title}`, time: '0' })}`;
    const basis = escapeXmlText(controlBasis(c));
    if (c.status === 'satisfied') return `${open}>\n      <system-out>${basis}</system-out>\n    </testcase>`;
    if (c.status === 'not-satisfied') {
      counts.failures++;
      return `${open}>\n      <failure${attrs({ message: controlStatusText(c), type: 'not-satisfied' })}>${basis}</failure>\n    </testcase>`;
    }
    if (c.notAssessedReason === 'error') {
      counts.errors++;
      return `${open}>\n      <error${attrs({ message: controlStatusText(c), type: 'not-assessed' })}>${basis}</error>\n    </testcase>`;
    }
    counts.skipped++;
    return `${open}>\n      <skipped${attrs({ message: `${controlStatusText(c)}: ${controlBasis(c)}` })}/>\n    </testcase>`;
  });
  const suite = [
    `  <testsuite${attrs({ name: `framework:${framework.id}`, ...counts, time: '0', timestamp })}>`,
    '    <properties>',
    `      <property${attrs({ name: 'title', value: frameworkName(framework) })}/>`,
    `      <property${attrs({ name: 'summary', value: frameworkSummaryText(framework) })}/>`,
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { suite, counts };
}

export const junitFormatter: Formatter = {
  name: 'junit',
  fileName: 'trailproof.junit.xml',
  description: 'JUnit XML (GitLab, Jenkins): a test suite per rule, a test case per rule × resource',
  // writeReports of this format alone at 10,000 accounts: 1.28 / 1.43 s CPU (min / median of 3; types.ts).
  cost: 1.3,
  render: (result, options) => renderJUnit(result, options),
  renderChunks: (result, options) => junitChunks(result, options),
};
