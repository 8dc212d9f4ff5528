import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { PageEvidence } from '../../src/report/html/evidence.ts';

/** Verdicts whose evidence texts are `texts` (the page's texts function reads them back). */
function page(texts: string[]): PageEvidence {
  const verdicts = texts.map((text) => ({ evidence: text }) as unknown as Verdict);
  return new PageEvidence(verdicts, (v: Verdict) => v.evidence as string);
}

const long = (fill: string) => `{"detail":"${fill.repeat(400)}"}`;

describe('PageEvidence', () => {
  it('shares exactly the long texts used more than once, in order of first use, whatever their samples', () => {
    const a = long('a');
    const b = long('b');
    // Equal to `a` but at one character: between the sampled ones, so the two share a sample.
    const nearA = `${a.slice(0, 20)}x${a.slice(21)}`;
    const short = '{"x":1}';
    const evidence = page([nearA, b, a, short, b, a, short, a, long('c')]);
    const shown = Array.from({ length: 9 }, (_, i) => evidence.forVerdict(i));
    expect(shown[0]).toBe(`<pre class="ev-data">${nearA}</pre>`);
    expect(shown[1]).toContain('href="#ev-1"');
    expect(shown[1]).toContain('1 other verdict on this page');
    expect(shown[4]).toBe(shown[1]);
    expect(shown[2]).toContain('href="#ev-2"');
    expect(shown[2]).toContain('2 other verdicts on this page');
    expect(shown[5]).toBe(shown[2]);
    expect(shown[7]).toBe(shown[2]);
    expect(shown[3]).toBe(`<pre class="ev-data">${short}</pre>`);
    expect(shown[6]).toBe(shown[3]);
    expect(shown[8]).toBe(`<pre class="ev-data">${long('c')}</pre>`);
    const section = evidence.section().html;
    expect(section.indexOf('id="ev-1"')).toBeLessThan(section.indexOf('id="ev-2"'));
    expect(section).toContain(`<div class="shared-evidence" id="ev-1"><h3>Shared evidence 1 <span class="sub">used by 2 verdicts</span></h3><pre class="ev-data">${b}</pre></div>`);
    expect(section).toContain(`used by 3 verdicts</span></h3><pre class="ev-data">${a}</pre>`);
    expect(section).not.toContain(nearA);
  });

  it('tells apart a dozen texts alike in every sampled character, and shares the ones repeated', () => {
    const base = long('a');
    // Position 20 lies between two sampled characters (the 19th and the 25th of 413).
    const alike = 'bcdefghijklm'.split('').map((c) => `${base.slice(0, 20)}${c}${base.slice(21)}`);
    const evidence = page([...alike, alike[1]!, alike[11]!, alike[10]!, alike[11]!]);
    const shown = Array.from({ length: 16 }, (_, i) => evidence.forVerdict(i));
    for (const i of [0, 2, 3, 4, 5, 6, 7, 8, 9]) expect(shown[i]).toBe(`<pre class="ev-data">${alike[i]}</pre>`);
    expect(shown[1]).toContain('href="#ev-1"');
    expect(shown[12]).toBe(shown[1]);
    expect(shown[10]).toContain('href="#ev-2"');
    expect(shown[14]).toBe(shown[10]);
    expect(shown[11]).toContain('href="#ev-3"');
    expect(shown[11]).toContain('2 other verdicts');
    expect(shown[13]).toBe(shown[11]);
    expect(shown[15]).toBe(shown[11]);
  });

  it('shares nothing when no long text repeats', () => {
    const evidence = page([long('a'), long('b'), '{}', '{}']);
    expect(evidence.forVerdict(0)).toBe(`<pre class="ev-data">${long('a')}</pre>`);
    expect(evidence.section().html).toBe('');
  });
});
