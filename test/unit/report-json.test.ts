import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { jsonFormatter, parseJsonReport, REPORT_SCHEMA_ID, REPORT_SCHEMA_URL, renderJsonReport } from '../../src/report/json.ts';
import { UserError } from '../../src/shared/errors.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

/** The published schema, compiled independently of the code under test. */
function publishedSchemaValidator() {
  const schema = JSON.parse(readFileSync(REPORT_SCHEMA_URL, 'utf8'));
  expect(schema.$id).toBe(REPORT_SCHEMA_ID);
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

const parse = (result: ScanResult = sampleResult()) => JSON.parse(renderJsonReport(result));

function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('JSON report', () => {
  it('validates against the published schema, also with every optional field set', () => {
    const validate = publishedSchemaValidator();
    const full = sampleResult({ scope: { ...sampleResult().scope, shard: '1/3' } });
    for (const report of [parse(), parse(full)]) {
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
    const broken = parse();
    broken.verdicts[0].status = 'MAYBE';
    expect(validate(broken)).toBe(false);
  });

  it('has the documented top-level fields, in order', () => {
    expect(Object.keys(parse())).toEqual([
      '$schema', 'reportVersion', 'tool', 'rulePack', 'snapshot', 'scope', 'accounts', 'rules', 'verdicts', 'errors', 'exceptionNotes', 'summary', 'failOn',
    ]);
    expect(parse().reportVersion).toBe(1);
    expect(Object.keys(parse().verdicts[0])).toEqual(['ruleId', 'status', 'severity', 'message', 'evidence', 'resource']);
    const suppressed = [...parse().verdicts].find((v: { suppressed?: unknown }) => v.suppressed);
    expect(Object.keys(suppressed)).toEqual(['ruleId', 'status', 'severity', 'message', 'evidence', 'resource', 'suppressed']);
    expect(Object.keys(suppressed.resource)).toEqual(['type', 'id', 'accountId', 'arn', 'name', 'ouPath']);
  });

  it('is byte-identical for the same result, whatever the input order, with 2-space indent and a final newline', () => {
    const text = renderJsonReport(sampleResult());
    expect(renderJsonReport(sampleResult())).toBe(text);
    expect(renderJsonReport(shuffledResult())).toBe(text);
    expect(text.startsWith('{\n  "$schema": ')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(jsonFormatter.render(sampleResult(), {})).toBe(text);
  });

  it('sorts verdicts by rule and resource, rules by id, errors by account, region, operation, code', () => {
    const report = parse(shuffledResult());
    const verdictKeys = [...report.verdicts].map((v: { ruleId: string; resource: { id: string } }) => [v.ruleId, v.resource.id]);
    expect(verdictKeys).toEqual([...verdictKeys].sort((a, b) => (a.join('\n') < b.join('\n') ? -1 : 1)));
    expect(report.rules.map((r: { id: string }) => r.id)).toEqual(sampleResult().rules.map((r) => r.id).sort());
    expect(report.errors.map((e: { operation: string }) => e.operation)).toEqual([
      'organizations:ListTagsForResource', // no account sorts first
      'cloudtrail:GetTrailStatus', // 333333333333
      'sts:AssumeRole', // 555555555555
    ]);
  });

  it('writes evidence with sorted keys, and null when a verdict has none', () => {
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { evidence: { write: false, bucket: 'b', read: { z: 1, a: 2 } } });
    const pii = parse(result).verdicts.find((v: { ruleId: string }) => v.ruleId === 's3-pii-data-events');
    expect(JSON.stringify(pii.evidence)).toBe('{"bucket":"b","read":{"a":2,"z":1},"write":false}');
    const none = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { evidence: undefined });
    expect(parse(none).verdicts.find((v: { ruleId: string }) => v.ruleId === 's3-pii-data-events').evidence).toBeNull();
  });

  it('keeps a field added to a contract later, after the known ones', () => {
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { durationMs: 4 } as object);
    const pii = parse(result).verdicts.find((v: { ruleId: string }) => v.ruleId === 's3-pii-data-events');
    expect(Object.keys(pii).at(-1)).toBe('durationMs');
  });
});

describe('parseJsonReport', () => {
  it('reads a report back to the same result, which renders to the same bytes', () => {
    const text = renderJsonReport(shuffledResult());
    const back = parseJsonReport(text, 'trailproof.json');
    expect(back).not.toHaveProperty('$schema');
    expect(back).not.toHaveProperty('reportVersion');
    expect(back.verdicts).toHaveLength(sampleResult().verdicts.length);
    expect(back.summary).toEqual(sampleResult().summary);
    expect(renderJsonReport(back)).toBe(text);
  });

  it('refuses invalid JSON, naming the file', () => {
    expect(userErrorOf(() => parseJsonReport('{"reportVersion": 1,', 'base.json')).message).toBe(
      'base.json:1:21: not a trailproof JSON report: invalid JSON: expected a property name in double quotes',
    );
    // A hand-edited baseline: the line and column of the mistake, not a snippet of the text.
    const edited = renderJsonReport(sampleResult()).replace('"status": "FAIL"', '"status": "FAIL",,');
    const before = edited.slice(0, edited.indexOf(',,'));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n') + 1;
    expect(userErrorOf(() => parseJsonReport(edited, 'base.json')).message).toBe(
      `base.json:${line}:${column}: not a trailproof JSON report: invalid JSON: expected a property name in double quotes`,
    );
    expect(userErrorOf(() => parseJsonReport('[]', 'base.json')).message).toMatch(/^base\.json: .*must be an object/);
  });

  it('refuses another report version', () => {
    const report = parse();
    report.reportVersion = 2;
    expect(userErrorOf(() => parseJsonReport(JSON.stringify(report), 'old.json')).message).toBe('old.json: $.reportVersion is 2; this trailproof reads version 1');
    delete report.reportVersion;
    expect(userErrorOf(() => parseJsonReport(JSON.stringify(report), 'old.json')).message).toMatch(/reportVersion is missing/);
  });

  it('names the JSON path of each schema problem', () => {
    const report = parse();
    delete report.verdicts[2].resource.id;
    report.errors[1].code = 7;
    report.failOn = 'severe';
    const message = userErrorOf(() => parseJsonReport(JSON.stringify(report), 'reports/trailproof.json')).message;
    expect(message.split('\n')[0]).toBe('reports/trailproof.json: invalid trailproof report:');
    expect(message).toContain('$.verdicts[2].resource.id: missing required field');
    expect(message).toContain('$.errors[1].code: must be string');
    expect(message).toContain('$.failOn: expected one of "critical", "high", "medium", "low", "info"');
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('accepts a field it does not know (reports may gain fields within version 1)', () => {
    const report = parse();
    report.verdicts[0].resource.partition = 'aws';
    expect([...parseJsonReport(JSON.stringify(report), 'r.json').verdicts][0]!.resource.accountId).toBe(report.verdicts[0].resource.accountId);
  });
});
