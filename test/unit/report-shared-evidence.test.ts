/**
 * Evidence that many verdicts share (one object, reused across accounts by the verdict cache) is
 * rendered once by the chunked JSON report; the bytes must stay those of render().
 */
import { describe, expect, it } from 'vitest';
import { jsonFormatter } from '../../src/report/json.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

const join = (chunks: Iterable<string>) => [...chunks].join('');

// Keys out of order at every level, so the report must sort them; nested lists and odd text too.
const sharedEvidence = { zeta: [{ b: 2, a: 'x"y' }], alpha: { 'k\nl': null, c: [1, [2, { z: 1, y: 'é' }]] } };

function withSharedEvidence(result: ScanResult, messageOf?: (i: number) => string): ScanResult {
  return { ...result, verdicts: [...result.verdicts].map((v, i) => ({ ...v, evidence: i % 2 === 0 ? sharedEvidence : v.evidence, ...(messageOf ? { message: messageOf(i) } : {}) })) };
}

describe('evidence shared between verdicts', () => {
  it('renders in chunks exactly as render() does, keys sorted in each copy', () => {
    const result = withSharedEvidence(sampleResult());
    expect([...result.verdicts].filter((v) => v.evidence === sharedEvidence).length).toBeGreaterThan(1);
    const chunked = join(jsonFormatter.renderChunks!(result, {}));
    expect(chunked).toBe(jsonFormatter.render(result, {}));
    expect(chunked).toContain('"alpha": {\n          "c": [');
    expect(join(sarifFormatter.renderChunks!(result, {}))).toBe(sarifFormatter.render(result, {}));
  });

  it('is not confused by a verdict whose own text looks like the placeholder the renderer uses', () => {
    // Any NUL-delimited marker a renderer could use, quoted or not, inside a message.
    const marker = (i: number) => [`"\u0000trailproof:shared\u0000"`, `\u0000trailproof:shared\u0000`, `\\u0000trailproof:shared\\u0000`][i % 3]!;
    const result = withSharedEvidence(sampleResult(), marker);
    expect(join(jsonFormatter.renderChunks!(result, {}))).toBe(jsonFormatter.render(result, {}));
  });
});
