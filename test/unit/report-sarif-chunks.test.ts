import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import type { RenderOptions } from '../../src/report/types.ts';
import { PROD_ACCOUNT, SANDBOX_ACCOUNT, sampleResult, withVerdict } from '../fixtures/results/sample-result.ts';

// A large SARIF is written from renderChunks, whose results come from templates (one per shape);
// the bytes must be exactly render()'s, which converts every result whole.
const join = (chunks: Iterable<string>) => [...chunks].join('');
const chunksOf = (result: ScanResult, options: RenderOptions = {}) => join(sarifFormatter.renderChunks!(result, options));

const failing = (v: Verdict) => v.status === 'FAIL' && !v.suppressed;

describe('SARIF results written from templates', () => {
  const cases: [string, ScanResult, RenderOptions][] = [
    ['messages with quotes, backslashes, control characters, non-Latin-1 text and markup', withVerdict(sampleResult(), failing, { message: 'a "quoted" \\ path\n\ttab \u0001 → ✓ </script> \ud83d\ude00' }), {}],
    ['a lone surrogate in a message', withVerdict(sampleResult(), failing, { message: 'half \ud800 pair' }), {}],
    ['resources without name, region or ARN', withVerdict(sampleResult(), failing, { resource: { type: 'account', id: PROD_ACCOUNT, accountId: PROD_ACCOUNT } }), {}],
    ['a resource with an empty name and one that needs encoding', withVerdict(sampleResult(), failing, { resource: { type: 'bucket', id: 'b', accountId: PROD_ACCOUNT, name: '', arn: 'arn:aws:s3:::b' } }), {}],
    ['an odd bucket name', withVerdict(sampleResult(), failing, { resource: { type: 'bucket', id: 'x/..', accountId: SANDBOX_ACCOUNT, name: 'a b/é"', region: 'eu-west-1' } }), {}],
    ['suppressions with text to escape', withVerdict(sampleResult(), (v) => v.status === 'FAIL', { suppressed: { reason: 'said "ok"\n', approver: 'a\\b', expires: '2099-01-01', exceptionId: 'x→1' } }), { sarifIncludeSuppressed: true }],
    ['a resource member that is not text (rendered whole)', withVerdict(sampleResult(), failing, { resource: { type: 'account', id: PROD_ACCOUNT, accountId: PROD_ACCOUNT, region: 7 as unknown as string } }), {}],
    ['a message that is not text (rendered whole)', withVerdict(sampleResult(), failing, { message: 42 as unknown as string }), {}],
    ['evidence of every kind', withVerdict(sampleResult(), failing, { evidence: { z: [1, { y: null, b: 'é' }], a: 'x"y', m: undefined } }), {}],
    ['no evidence', withVerdict(sampleResult(), failing, { evidence: undefined }), {}],
    ['a baseline', sampleResult(), { baseline: withVerdict(sampleResult(), (v) => v.status === 'PASS', { status: 'FAIL' }) }],
  ];
  for (const [name, result, options] of cases) {
    it(`renders ${name} exactly as render() does`, () => {
      const rendered = sarifFormatter.render(result, options);
      expect(chunksOf(result, options)).toBe(rendered);
      expect(rendered.length).toBeGreaterThan(1000);
    });
  }

  it('serialises a piece of evidence shared by several results once', () => {
    let serialised = 0;
    const evidence = { shared: true, toJSON: () => (serialised++, { shared: true }) };
    const result = sampleResult();
    const verdicts: Verdict[] = [...result.verdicts].map((v) => (failing(v) ? { ...v, evidence } : v));
    const shared = { ...result, verdicts };
    expect(verdicts.filter((v) => v.evidence === evidence).length).toBeGreaterThanOrEqual(4);
    const text = chunksOf(shared);
    expect(serialised).toBe(1);
    expect(text).toBe(sarifFormatter.render(shared, {}));
  });
});
