import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, renderJUnit, stripInvalidXmlChars } from '../../src/report/junit.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { PROD_ACCOUNT, PROD_TRAIL_ARN, SANDBOX_ACCOUNT, sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name), parseAttributeValue: false, trimValues: false, htmlEntities: true });

/** XML 1.0 `Char` production, checked code point by code point (fast-xml-parser does not check it). */
function firstInvalidXmlChar(xml: string): number | undefined {
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) return c;
  }
  return undefined;
}

/** Strict well-formedness first (throws with the line on error), then the tree. */
function parse(xml: string): Json {
  const bad = firstInvalidXmlChar(xml);
  if (bad !== undefined) throw new Error(`character U+${bad.toString(16)} is not allowed in XML 1.0`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid.err)}`);
  return parser.parse(xml);
}

function junit(result: ScanResult = sampleResult()): Json {
  return parse(renderJUnit(result)).testsuites;
}

const suite = (doc: Json, name: string): Json => doc.testsuite.find((s: Json) => s.name === name);
const testcase = (doc: Json, rule: string, namePrefix: string): Json => suite(doc, rule).testcase.find((c: Json) => c.name.startsWith(namePrefix));

describe('JUnit XML', () => {
  it('is well-formed XML with one suite per rule and one case per verdict', () => {
    const result = sampleResult();
    const doc = junit(result);
    expect(doc.testsuite.map((s: Json) => s.name)).toEqual([...result.rules.map((r) => r.id)].sort());
    const cases = doc.testsuite.flatMap((s: Json) => s.testcase ?? []);
    expect(cases).toHaveLength(result.verdicts.length);
    for (const s of doc.testsuite) for (const c of s.testcase ?? []) expect(c.classname).toBe(s.name);
  });

  it('gives every case a unique name within its suite (resource id + name)', () => {
    for (const s of junit().testsuite) {
      const names = (s.testcase ?? []).map((c: Json) => c.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(testcase(junit(), 'trail-kms-encryption', PROD_TRAIL_ARN).name).toBe(`${PROD_TRAIL_ARN} (prod-app_trail.v2)`);
  });

  it('keeps names unique even if two verdicts share a resource label', () => {
    const base = sampleResult();
    const v = [...base.verdicts].find((x) => x.ruleId === 'trail-kms-encryption')!;
    const doc = junit(sampleResult({ verdicts: [...base.verdicts, { ...v, message: 'second' }] }));
    const names = suite(doc, 'trail-kms-encryption').testcase.map((c: Json) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('maps FAIL → failure, ERROR → error, N/A and suppressed → skipped with the reason', () => {
    const doc = junit();
    const fail = testcase(doc, 'cloudtrail-log-file-validation', PROD_ACCOUNT);
    expect(fail.failure.message).toContain('log file validation is off');
    expect(fail.failure.type).toBe('FAIL medium');
    expect(fail.failure['#text']).toContain('"validation": false');
    const error = testcase(doc, 'cloudtrail-multi-region-management-events', PROD_ACCOUNT);
    expect(error.error.message).toContain('AccessDeniedException');
    const suppressed = testcase(doc, 'cloudtrail-log-file-validation', SANDBOX_ACCOUNT);
    expect(suppressed.skipped.message).toContain('Sandbox trail is scheduled for removal');
    expect(suppressed.skipped.message).toContain('security-lead@example.com');
    expect(suppressed.failure).toBeUndefined();
    const na = testcase(doc, 'trail-bucket-retention', PROD_TRAIL_ARN);
    expect(na.skipped.message).toContain('outside the organization');
    const pass = testcase(doc, 'trail-kms-encryption', 'arn:aws:cloudtrail:us-east-1');
    expect(pass.failure ?? pass.error ?? pass.skipped).toBeUndefined();
  });

  it('puts counts on every suite and on the root that add up', () => {
    const result = sampleResult();
    const doc = junit(result);
    const sum = (k: string) => doc.testsuite.reduce((n: number, s: Json) => n + Number(s[k]), 0);
    for (const s of doc.testsuite) {
      const cases: Json[] = s.testcase ?? [];
      expect(Number(s.tests)).toBe(cases.length);
      expect(Number(s.failures)).toBe(cases.filter((c) => c.failure).length);
      expect(Number(s.errors)).toBe(cases.filter((c) => c.error).length);
      expect(Number(s.skipped)).toBe(cases.filter((c) => c.skipped).length);
    }
    for (const k of ['tests', 'failures', 'errors', 'skipped']) expect(Number(doc[k])).toBe(sum(k));
    expect(Number(doc.failures)).toBe(result.summary.counts.FAIL - result.summary.counts.suppressed);
    expect(Number(doc.errors)).toBe(result.summary.counts.ERROR);
  });

  it('stays valid XML when messages hold control characters and markup', () => {
    const nasty = 'bad\u0000\u0001\u0008\u000B\u000C\u001F\uFFFE\uD800 <b>&"quoted"</b> \'x\' ]]> end\ttab\nline';
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', { message: nasty, evidence: { k: nasty } });
    const xml = renderJUnit(result);
    expect(firstInvalidXmlChar(nasty)).toBe(0);
    const doc = parse(xml);
    const fail = testcase(doc.testsuites, 'trail-kms-encryption', PROD_TRAIL_ARN);
    expect(fail.failure.message).toBe('bad <b>&"quoted"</b> \'x\' ]]> end\ttab\nline');
  });

  it("escapes a case's detail part by part exactly as the whole detail escaped at once", () => {
    // Lone surrogates at each part's edges: the parts are joined with line breaks, so escaping them
    // apart must drop the same characters as escaping the joined text.
    const edgy = '\uDC00<&>"\'\u0000 \uD83D\uDE00 \uD800';
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', { message: edgy, evidence: { [edgy]: [edgy, 1, null] } });
    const v = [...result.verdicts].find((x) => x.ruleId === 'trail-kms-encryption' && x.status === 'FAIL')!;
    const rule = result.rules.find((r) => r.id === v.ruleId)!;
    const parts = [v.message, '', `resource: ${v.resource.id}`, `account: ${v.resource.accountId}`];
    if (v.resource.region) parts.push(`region: ${v.resource.region}`);
    parts.push('', 'evidence:', JSON.stringify(v.evidence, null, 2));
    if (rule.remediation) parts.push('', 'remediation:', rule.remediation.trimEnd());
    const whole = escapeXmlText(parts.join('\n'));
    expect(renderJUnit(result)).toContain(`>${whole}</failure>`);
  });

  it("prints each evidence object's pretty JSON once, however many cases share it", () => {
    let printed = 0;
    const evidence = { validation: false, toJSON: () => (printed++, { validation: false }) };
    const result = sampleResult();
    const shared = [...result.verdicts].filter((v) => v.status === 'FAIL' || v.status === 'ERROR');
    for (const v of shared) v.evidence = evidence;
    const cases = shared.length;
    expect(cases).toBeGreaterThan(2);
    const xml = renderJUnit(result);
    expect(xml.split('\n  &quot;validation&quot;: false\n').length - 1).toBe(cases);
    expect(printed).toBe(1);
  });

  it('strips exactly the characters XML 1.0 forbids', () => {
    expect(stripInvalidXmlChars('a\u0000b\tc\nd\re\uD83D\uDE00f\uDC00')).toBe('ab\tc\nd\re\uD83D\uDE00f');
    expect(escapeXmlAttr('<&>"\'\n')).toBe('&lt;&amp;&gt;&quot;&apos;&#10;');
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderJUnit(sampleResult());
    expect(renderJUnit(sampleResult())).toBe(once);
    expect(renderJUnit(shuffledResult())).toBe(once);
  });
});
