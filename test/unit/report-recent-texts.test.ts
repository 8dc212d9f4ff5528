/**
 * How long the writers remember the evidence texts they made: long enough for the verdicts that
 * share a piece of evidence, which follow each other closely, and no longer. Texts remembered for
 * thousands of evidence objects or places lived long enough to be promoted to V8's old generation
 * and were then collected by full collections (docs/operations/scale-measurements.md, twenty-third
 * round). Each cache here belongs to one format, so no other format looks for a text in it.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { SharedTexts } from '../../src/report/canonical.ts';
import { evidenceTextOf } from '../../src/report/evidence-texts.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

/** Distinct evidence values: more than a few hundred, fewer than the thousands once remembered. */
const COUNT = 600;

describe('evidence texts remembered for the recent objects and places only', () => {
  it("a format's texts of spooled places: made once while the place is recent, again once hundreds of places followed", () => {
    const template = [...sampleResult().verdicts].find((v) => v.status === 'FAIL' && !v.suppressed)!;
    const spool = new VerdictSpool(undefined, 200);
    const expected = new Map<string, string>();
    for (let i = 0; i < COUNT; i++) {
      const evidence = { piece: i, text: `evidence ${i}` };
      // Two verdicts share each piece, one after the other, as reused verdicts do.
      for (const copy of ['a', 'b']) {
        const id = `${template.resource.id}-${String(i).padStart(4, '0')}-${copy}`;
        expected.set(id, JSON.stringify(evidence));
        spool.add({ ...template, resource: { ...template.resource, id }, evidence });
      }
    }
    const list = spool.finish();
    if (Array.isArray(list)) throw new Error('expected a spooled list');
    // Read in order, their evidence untouched (still unread in the spool).
    const verdicts: Verdict[] = [...list];
    const made: string[] = [];
    const textOf = evidenceTextOf(
      (value) => JSON.stringify(value),
      (compact) => (made.push(compact), compact),
    );
    for (const v of verdicts) expect(textOf(v)).toBe(expected.get(v.resource.id));
    // Once per place: the second verdict of each pair finds its text.
    expect(made).toHaveLength(COUNT);
    textOf(verdicts.at(-1)!);
    expect(made).toHaveLength(COUNT);
    // The first place, COUNT places ago, is forgotten and read again.
    textOf(verdicts[0]!);
    expect(made).toHaveLength(COUNT + 1);
  });

  it("a format's texts of evidence objects (a list in memory): made once while the object is recent, again once hundreds of objects followed", () => {
    const template = [...sampleResult().verdicts].find((v) => v.status === 'FAIL' && !v.suppressed)!;
    const verdicts: Verdict[] = Array.from({ length: COUNT }, (_, i) => ({ ...template, evidence: { piece: i } }));
    const made: unknown[] = [];
    const textOf = evidenceTextOf(
      (value) => JSON.stringify(value),
      (compact) => compact,
      (value) => (made.push(value), JSON.stringify(value)),
    );
    for (const v of verdicts) {
      expect(textOf(v)).toBe(JSON.stringify(v.evidence));
      textOf(v);
    }
    expect(made).toHaveLength(COUNT);
    textOf(verdicts[0]!);
    expect(made).toHaveLength(COUNT + 1);
  });

  it("JSON's and SARIF's pretty texts: made once while the object is recent, again once hundreds of objects followed", () => {
    let prepared = 0;
    const texts = new SharedTexts((value) => (prepared++, value));
    const objects = Array.from({ length: COUNT }, (_, i) => ({ piece: i }));
    for (const object of objects) {
      expect(texts.text(object, '  ')).toBe(JSON.stringify([object], null, 2).slice(4, -2));
      texts.text(object, '  ');
    }
    expect(prepared).toBe(COUNT);
    texts.text(objects[0], '  ');
    expect(prepared).toBe(COUNT + 1);
  });
});
