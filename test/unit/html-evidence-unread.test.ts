/**
 * The HTML report's evidence texts (report/html/evidence.ts) from a spooled verdict list: evidence
 * nothing has read yet is not parsed for them, its text is the spool's, and the texts are those
 * the parsed evidence gives.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { unreadEvidencePlace, VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { EvidenceTexts } from '../../src/report/evidence-texts.ts';
import { evidenceTexts } from '../../src/report/html/evidence.ts';
import { escapeText } from '../../src/report/html/escape.ts';

const shared = { zeta: [{ b: 2, a: 'x"y' }], markup: '<b>&amp;</b>', alpha: { 'k\nl': null } };
const awkward: unknown[] = [
  shared,
  { lone: '\ud800 and \udfff', pair: '😀', latin: 'é', controls: '\u0000\u001f\n"\\', markup: '</script>' },
  shared,
  { numbers: [-0, 1e21, 5e-7, 0.1, -1.5e-300], big: 'x<'.repeat(40_000) },
  'inline text',
  null,
  shared,
  [null, true, {}, [], ''],
];

function spooled(): Iterable<Verdict> & { evidenceText(value: unknown): string | undefined } {
  const spool = new VerdictSpool(undefined, 3);
  awkward.forEach((evidence, i) => spool.add({ ruleId: 'r', status: 'FAIL', severity: 'high', message: 'm', evidence, resource: { type: 'account', id: `a${i}`, accountId: `a${i}` } }));
  const list = spool.finish();
  if (Array.isArray(list)) throw new Error('expected a spooled list');
  return list;
}

describe('HTML evidence texts of a spooled list', () => {
  it('take unread evidence as the spool wrote it, without parsing it, and give what the parsed evidence gives', () => {
    const list = spooled();
    const texts = evidenceTexts(EvidenceTexts.of(list as never).compact);
    const walked = [...list];
    const made = walked.map((v) => texts(v));
    // Objects were written to the evidence file and are still unread: nothing was parsed for the texts.
    expect(walked.filter((v) => unreadEvidencePlace(v) !== undefined)).toHaveLength(6);
    expect(made.map((text, i) => text === escapeText(JSON.stringify(walked[i]!.evidence ?? null)))).toEqual(walked.map(() => true));
    // Now read: their places are no longer offered, and the texts come from the objects.
    expect(walked.every((v) => unreadEvidencePlace(v) === undefined)).toBe(true);
    expect(walked.map((v) => texts(v))).toEqual(made);
  });

  it('follow evidence a verdict was given in place of the spool’s', () => {
    const list = spooled();
    const texts = evidenceTexts();
    const [first] = list;
    expect(unreadEvidencePlace(first!)).toBeDefined();
    first!.evidence = { replaced: '<yes>' };
    expect(unreadEvidencePlace(first!)).toBeUndefined();
    expect(texts(first!)).toBe('{"replaced":"&lt;yes&gt;"}');
  });
});
