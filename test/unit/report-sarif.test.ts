import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/report/sarif.ts';
import { findingFingerprint } from '../../src/report/fingerprints.ts';
import { encodeSegment, resourceUri } from '../../src/report/locations.ts';
import { pascalCase, SECURITY_SEVERITY } from '../../src/report/sarif-rules.ts';
import type { RenderOptions } from '../../src/report/types.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import {
  ORG_ID,
  PII_BUCKET_ARN,
  PROD_ACCOUNT,
  PROD_TRAIL_ARN,
  SANDBOX_ACCOUNT,
  sampleResult,
  shuffledResult,
  withVerdict,
} from '../fixtures/results/sample-result.ts';

const SARIF_SCHEMA = fileURLToPath(new URL('../fixtures/standard-schemas/sarif-2.1.0.schema.json', import.meta.url));

// Loose typing on purpose: the tests read the SARIF as any consumer would, from parsed JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function sarif(result: ScanResult = sampleResult(), options: RenderOptions = {}): Json {
  return JSON.parse(renderSarif(result, options));
}
const run = (log: Json) => log.runs[0];
const resultsOf = (log: Json): Json[] => run(log).results;
const findResult = (log: Json, ruleId: string, resourceId: string): Json | undefined =>
  resultsOf(log).find((r: Json) => r.ruleId === ruleId && r.properties.resourceId === resourceId);

/** A result with every optional shape: suppressed kept, baseline states including absent. */
function everyShape(): Json {
  const baseline = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-bucket-retention' && v.status === 'PASS', { status: 'FAIL' });
  return sarif(sampleResult(), { sarifIncludeSuppressed: true, baseline });
}

function sarifValidator() {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8')));
}

/** GitHub code scanning's ingestion rules, checked on every result. Returns the problems found. */
function githubProblems(log: Json): string[] {
  const problems: string[] = [];
  if (log.runs.length !== 1) problems.push(`expected one run, got ${log.runs.length}`);
  const driver = run(log).tool.driver;
  const ruleIds: string[] = driver.rules.map((r: Json) => r.id);
  for (const rule of driver.rules) {
    const sev = Number(rule.properties?.['security-severity']);
    if (typeof rule.properties?.['security-severity'] !== 'string' || Number.isNaN(sev) || sev < 0 || sev > 10) problems.push(`${rule.id}: bad security-severity`);
    if (!rule.help?.text) problems.push(`${rule.id}: no help.text`);
    if ((rule.properties?.tags ?? []).length > 20) problems.push(`${rule.id}: more than 20 tags`);
  }
  const seen = new Set<string>();
  for (const [i, r] of resultsOf(log).entries()) {
    const where = `results[${i}]`;
    if (!ruleIds.includes(r.ruleId)) problems.push(`${where}: ruleId ${r.ruleId} not in driver.rules`);
    else if (driver.rules[r.ruleIndex]?.id !== r.ruleId) problems.push(`${where}: ruleIndex does not point at ${r.ruleId}`);
    if (!r.message?.text) problems.push(`${where}: no message.text`);
    const physical = r.locations?.[0]?.physicalLocation;
    const uri: string | undefined = physical?.artifactLocation?.uri;
    if (!uri) problems.push(`${where}: no location uri`);
    else {
      if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) problems.push(`${where}: uri ${uri} is not relative`);
      if (uri.includes('arn:') || uri.includes('arn%3A')) problems.push(`${where}: uri ${uri} is an ARN`);
      if (!/^[A-Za-z0-9._/%-]+$/.test(uri)) problems.push(`${where}: uri ${uri} is not URL-safe`);
    }
    if (!(physical?.region?.startLine >= 1)) problems.push(`${where}: region.startLine < 1`);
    const fp = r.partialFingerprints?.['trailproof/v1'];
    if (!fp) problems.push(`${where}: no partialFingerprints`);
    const identity = `${r.ruleId} ${r.properties?.resourceId}`;
    if (seen.has(fp)) problems.push(`${where}: fingerprint of ${identity} repeats`);
    seen.add(fp);
  }
  return problems;
}

describe('SARIF validity', () => {
  it('validates against the OASIS SARIF 2.1.0 schema, in its default and fullest shapes', () => {
    const validate = sarifValidator();
    for (const log of [sarif(), everyShape()]) {
      const ok = validate(log);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
    // The validator is not vacuous: a level SARIF does not define is refused.
    const broken = sarif();
    resultsOf(broken)[0].level = 'critical';
    expect(validate(broken)).toBe(false);
  });

  it('meets GitHub code scanning rules on every result', () => {
    for (const log of [sarif(), everyShape()]) {
      expect(resultsOf(log).length).toBeGreaterThan(3);
      expect(githubProblems(log)).toEqual([]);
    }
  });

  it('the GitHub check itself catches an ARN location and a repeated fingerprint', () => {
    const log = sarif();
    resultsOf(log)[0].locations[0].physicalLocation.artifactLocation.uri = PROD_TRAIL_ARN;
    resultsOf(log)[1].partialFingerprints = resultsOf(log)[2].partialFingerprints;
    const problems = githubProblems(log);
    expect(problems.some((p) => p.includes('is an ARN'))).toBe(true);
    expect(problems.some((p) => p.includes('repeats'))).toBe(true);
  });
});

describe('SARIF determinism', () => {
  it('renders the same result to identical bytes, whatever the input order', () => {
    const first = renderSarif(sampleResult());
    expect(renderSarif(sampleResult())).toBe(first);
    const shuffled = shuffledResult();
    expect([...shuffled.verdicts].map((v) => v.ruleId)).not.toEqual([...sampleResult().verdicts].map((v) => v.ruleId));
    expect(renderSarif(shuffled)).toBe(first);
    expect(first.endsWith('}\n')).toBe(true);
  });

  it('takes its time from the snapshot', () => {
    const result = sampleResult({ snapshot: { ...sampleResult().snapshot, collectedAt: '2024-01-02T03:04:05.000Z' } });
    expect(run(sarif(result)).invocations[0].startTimeUtc).toBe('2024-01-02T03:04:05.000Z');
  });

  it('fingerprints depend on rule and resource only, not on the message', () => {
    const before = findResult(sarif(), 's3-pii-data-events', PII_BUCKET_ARN);
    const changed = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { message: 'different words', evidence: { other: 1 } });
    const after = findResult(sarif(changed), 's3-pii-data-events', PII_BUCKET_ARN);
    expect(after.partialFingerprints).toEqual(before.partialFingerprints);
    expect(before.partialFingerprints['trailproof/v1']).toBe(findingFingerprint('s3-pii-data-events', { id: PII_BUCKET_ARN }));
    expect(findingFingerprint('a-b', { id: 'c' })).not.toBe(findingFingerprint('a', { id: 'b-c' }));
  });
});

describe('SARIF content', () => {
  it('has one result per unsuppressed FAIL and per ERROR, nothing for PASS or NOT_APPLICABLE', () => {
    const result = sampleResult();
    const expected = [...result.verdicts]
      .filter((v) => v.status === 'ERROR' || (v.status === 'FAIL' && !v.suppressed))
      .map((v) => `${v.ruleId} ${v.resource.id}`);
    expect(resultsOf(sarif(result)).map((r: Json) => `${r.ruleId} ${r.properties.resourceId}`)).toEqual(expected);
    expect(resultsOf(sarif(result)).every((r: Json) => ['FAIL', 'ERROR'].includes(r.properties.verdict))).toBe(true);
  });

  it('describes each rule for GitHub: name, descriptions, help, level and security-severity', () => {
    const result = sampleResult();
    const rules = run(sarif(result)).tool.driver.rules;
    expect(rules.map((r: Json) => r.id)).toEqual(result.rules.map((r) => r.id).sort());
    const lfv = rules.find((r: Json) => r.id === 'cloudtrail-log-file-validation');
    expect(lfv.name).toBe('CloudtrailLogFileValidation');
    expect(lfv.shortDescription.text).toBe('Every trail that records the account validates its log files');
    expect(lfv.fullDescription.text).toMatch(/integrity validation/);
    expect(lfv.defaultConfiguration.level).toBe('warning');
    expect(lfv.properties).toMatchObject({ 'security-severity': '5.5', precision: 'very-high' });
    expect(lfv.properties.tags).toEqual(['security', 'compliance', 'integrity', 'aws-securityhub/CloudTrail.4', 'cis-aws-foundations-v3.0.0/3.2', 'nist-800-53-r5/AU-9', 'nist-800-53-r5/SI-7']);
    expect(lfv.help.text).toContain('--enable-log-file-validation');
    expect(lfv.help.markdown).toContain('cis-aws-foundations-v3.0.0: 3.2');
    // "<trail>" in a remediation must survive markdown rendering: it sits in a code fence.
    expect(lfv.help.markdown).toMatch(/```\naws cloudtrail update-trail --name <trail> --enable-log-file-validation\n```/);
    const levels = Object.fromEntries(rules.map((r: Json) => [r.id, [r.defaultConfiguration.level, r.properties['security-severity']]]));
    expect(levels['cloudtrail-multi-region-management-events']).toEqual(['error', SECURITY_SEVERITY.critical]);
    expect(levels['organization-trail-exists']).toEqual(['error', '8.0']);
    expect(levels['trail-bucket-retention']).toEqual(['note', '3.0']);
    expect(levels['trail-kms-encryption']).toEqual(['note', '0.0']);
    expect(pascalCase('s3-pii-data-events')).toBe('S3PiiDataEvents');
  });

  it('gives a FAIL its level, location, logical location and properties', () => {
    const r = findResult(sarif(), 'trail-kms-encryption', PROD_TRAIL_ARN);
    expect(r.level).toBe('note');
    expect(r.ruleIndex).toBe(run(sarif()).tool.driver.rules.findIndex((x: Json) => x.id === 'trail-kms-encryption'));
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: `aws/${PROD_ACCOUNT}/eu-west-1/cloudtrail/prod-app_trail.v2`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 1 },
    });
    expect(r.locations[0].logicalLocations).toEqual([{ name: 'prod-app_trail.v2', fullyQualifiedName: PROD_TRAIL_ARN, kind: 'trail' }]);
    expect(r.properties).toMatchObject({ verdict: 'FAIL', accountId: PROD_ACCOUNT, ouPath: 'Root/Workloads/Prod', resourceType: 'trail', evidence: { kmsKeyId: null } });
    expect(r.baselineState).toBeUndefined();
    expect(r.suppressions).toBeUndefined();
    const org = findResult(sarif(), 'organization-trail-exists', ORG_ID);
    expect(org.level).toBe('error');
    expect(org.locations[0].physicalLocation.artifactLocation.uri).toBe(`aws/organization/${ORG_ID}`);
  });

  it('reports an ERROR verdict as a "Could not decide" warning', () => {
    const r = findResult(sarif(), 'cloudtrail-multi-region-management-events', PROD_ACCOUNT);
    expect(r.level).toBe('warning');
    expect(r.message.text).toBe('Could not decide: trail.isLogging is unknown: cloudtrail:GetTrailStatus AccessDeniedException: User is not authorized to perform cloudtrail:GetTrailStatus');
    expect(r.properties.verdict).toBe('ERROR');
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe(`aws/${PROD_ACCOUNT}/global/account`);
  });

  it('leaves suppressed FAILs out by default and keeps them, marked, on request', () => {
    expect(findResult(sarif(), 'cloudtrail-log-file-validation', SANDBOX_ACCOUNT)).toBeUndefined();
    const kept = findResult(sarif(sampleResult(), { sarifIncludeSuppressed: true }), 'cloudtrail-log-file-validation', SANDBOX_ACCOUNT);
    expect(kept.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Sandbox trail is scheduled for removal (approved by security-lead@example.com, expires 2099-12-31)',
        properties: { approver: 'security-lead@example.com', expires: '2099-12-31', exceptionId: 'exceptions[0]' },
      },
    ]);
  });

  it('turns collection errors into notifications of a successful, partial invocation', () => {
    const invocation = run(sarif()).invocations[0];
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.properties.partial).toBe(true);
    const notes = invocation.toolExecutionNotifications;
    expect(notes.map((n: Json) => n.message.text)).toEqual([
      'organizations:ListTagsForResource TooManyRequestsException: Rate exceeded',
      'cloudtrail:GetTrailStatus AccessDeniedException: User is not authorized to perform cloudtrail:GetTrailStatus',
      'sts:AssumeRole AccessDenied: Not authorized to perform sts:AssumeRole',
    ]);
    expect(notes.every((n: Json) => n.level === 'error')).toBe(true);
    expect(notes.map((n: Json) => n.locations[0].physicalLocation.artifactLocation.uri)).toEqual([
      `aws/organization/${ORG_ID}`,
      `aws/${PROD_ACCOUNT}/eu-west-1`,
      'aws/555555555555/global',
    ]);
    const complete = run(sarif(sampleResult({ errors: [], verdicts: [...sampleResult().verdicts].filter((v) => v.status !== 'ERROR') }))).invocations[0];
    expect(complete.toolExecutionNotifications).toEqual([]);
    expect(complete.properties.partial).toBe(false);
  });

  it('names a category per organization and per shard', () => {
    expect(run(sarif()).automationDetails.id).toBe(`trailproof/${ORG_ID}/`);
    const shard = sampleResult({ scope: { ...sampleResult().scope, shard: '2/4' } });
    expect(run(sarif(shard)).automationDetails.id).toBe(`trailproof/${ORG_ID}/shard-2-of-4/`);
  });
});

describe('SARIF baseline', () => {
  const isKms = (v: Verdict) => v.ruleId === 'trail-kms-encryption' && v.resource.id === PROD_TRAIL_ARN;
  const isPii = (v: Verdict) => v.ruleId === 's3-pii-data-events';
  const isMgmtError = (v: Verdict) => v.ruleId === 'cloudtrail-multi-region-management-events' && v.status === 'ERROR';

  it('marks new, unchanged, updated and absent findings by fingerprint', () => {
    // Baseline: the PII FAIL did not exist yet, the management-events ERROR was a FAIL,
    // and a retention FAIL has since been fixed.
    let baseline = withVerdict(sampleResult(), isPii, { status: 'PASS', message: 'was fine' });
    baseline = withVerdict(baseline, isMgmtError, { status: 'FAIL' });
    baseline = withVerdict(baseline, (v) => v.ruleId === 'trail-bucket-retention' && v.status === 'PASS', { status: 'FAIL', message: 'kept 30 days' });
    const log = sarif(sampleResult(), { baseline });
    const state = (ruleId: string, resourceId: string) => findResult(log, ruleId, resourceId)?.baselineState;
    expect(state('s3-pii-data-events', PII_BUCKET_ARN)).toBe('new');
    expect(state('trail-kms-encryption', PROD_TRAIL_ARN)).toBe('unchanged');
    expect(state('cloudtrail-multi-region-management-events', PROD_ACCOUNT)).toBe('updated');
    const absent = resultsOf(log).filter((r: Json) => r.baselineState === 'absent');
    expect(absent.map((r: Json) => [r.ruleId, r.message.text])).toEqual([['trail-bucket-retention', 'kept 30 days']]);
    expect(resultsOf(log).every((r: Json) => r.baselineState !== undefined)).toBe(true);
    expect(githubProblems(log)).toEqual([]);
  });

  it('does not call a FAIL absent when it is now suppressed, and the message changing keeps it unchanged', () => {
    const baseline = withVerdict(sampleResult(), (v) => v.suppressed !== undefined, { suppressed: undefined });
    const current = withVerdict(sampleResult(), isKms, { message: 'reworded' });
    const log = sarif(current, { baseline });
    expect(resultsOf(log).filter((r: Json) => r.baselineState === 'absent')).toEqual([]);
    expect(findResult(log, 'trail-kms-encryption', PROD_TRAIL_ARN).baselineState).toBe('unchanged');
  });

  it('keeps the rule of an absent finding in driver.rules when the rule is gone', () => {
    const baseline = sampleResult();
    const current = sampleResult({
      rules: baseline.rules.filter((r) => r.id !== 's3-pii-data-events'),
      verdicts: [...baseline.verdicts].filter((v) => !isPii(v)),
    });
    const log = sarif(current, { baseline });
    const absent = findResult(log, 's3-pii-data-events', PII_BUCKET_ARN);
    expect(absent.baselineState).toBe('absent');
    expect(run(log).tool.driver.rules[absent.ruleIndex].shortDescription.text).toBe('S3 data events are recorded for buckets that hold PII');
  });
});

describe('pseudo-path locations', () => {
  it('percent-encodes anything outside [A-Za-z0-9._-] in a segment, and never lets a name add a level', () => {
    expect(encodeSegment('prod app#1/ü')).toBe('prod%20app%231%2F%C3%BC');
    expect(encodeSegment('..')).toBe('%2E%2E');
    expect(encodeSegment('')).toBe('_');
    const odd: Verdict['resource'] = { type: 'bucket', id: 'arn:aws:s3:::x', accountId: PROD_ACCOUNT, name: 'a b:c?d' };
    expect(resourceUri(odd)).toBe(`aws/${PROD_ACCOUNT}/global/s3/a%20b%3Ac%3Fd`);
    expect(resourceUri({ ...odd, name: undefined, type: 'trail', region: 'us-east-2', id: 'arn:aws:cloudtrail:us-east-2:1:trail/t1' })).toBe(
      `aws/${PROD_ACCOUNT}/us-east-2/cloudtrail/t1`,
    );
  });

  it('uses the encoded path in the SARIF of a resource with an odd name', () => {
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 'trail-kms-encryption' && v.status === 'FAIL', {
      resource: { type: 'trail', id: 'arn:aws:cloudtrail:eu-west-1:333333333333:trail/x', accountId: PROD_ACCOUNT, region: 'eu-west-1', name: 'weird name%&' },
    });
    const uris = resultsOf(sarif(result)).map((r: Json) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain(`aws/${PROD_ACCOUNT}/eu-west-1/cloudtrail/weird%20name%25%26`);
  });
});
