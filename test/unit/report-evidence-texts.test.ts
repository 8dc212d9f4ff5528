import { describe, expect, it, vi } from 'vitest';
import type { ScanResult, VerdictList } from '../../src/contracts/result.ts';
import type { Formatter } from '../../src/report/types.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { asffFormatter } from '../../src/report/asff.ts';
import { EvidenceTexts, PrettyEvidenceTexts } from '../../src/report/evidence-texts.ts';
import { evidenceValue, indentedJson } from '../../src/report/canonical.ts';
import { jsonFormatter } from '../../src/report/json.ts';
import { junitFormatter } from '../../src/report/junit.ts';
import { ocsfFormatter } from '../../src/report/ocsf.ts';
import { sarifFormatter } from '../../src/report/sarif.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

describe('EvidenceTexts', () => {
  it('takes the compact JSON of evidence from a spooled list that read it, and serialises the rest', () => {
    const known = { read: 'from the spool' };
    const list = Object.assign([], { evidenceText: (value: unknown) => (value === known ? '{"read":"from the spool"}' : undefined) }) as unknown as VerdictList;
    const texts = EvidenceTexts.of(list);
    let serialised = 0;
    const counted = { toJSON: () => (serialised++, { other: true }) };
    // The list's text is used as it is (a list only lends JSON.stringify's own text).
    const lent = Object.assign([], { evidenceText: (value: unknown) => (value === known ? 'LENT' : undefined) }) as unknown as VerdictList;
    expect(EvidenceTexts.of(lent).compact(known)).toBe('LENT');
    expect(texts.compact(known)).toBe(JSON.stringify(known));
    expect(texts.compact(counted)).toBe('{"other":true}');
    expect(serialised).toBe(1);
    expect(texts.compact(undefined)).toBe('null');
    expect(new EvidenceTexts().compact(known)).toBe(JSON.stringify(known));
  });
});

/** Verdicts like the sample's first unsuppressed failure, one per piece of evidence, in memory and as a spooled list. */
function verdictsHolding(evidence: readonly unknown[]): { inMemory: ScanResult; spooled: () => VerdictList } {
  const base = sampleResult();
  const template = [...base.verdicts].find((v) => v.status === 'FAIL' && !v.suppressed)!;
  const verdicts: Verdict[] = evidence.map((e, i) => ({ ...template, resource: { ...template.resource, id: `${template.resource.id}-${i}` }, evidence: e }));
  return {
    inMemory: { ...base, verdicts },
    spooled: () => {
      const spool = new VerdictSpool(undefined, 3);
      for (const v of verdicts) spool.add(v);
      const list = spool.finish();
      if (Array.isArray(list)) throw new Error('expected a spooled list');
      return list;
    },
  };
}

/** Writes `formatter`'s report of the spooled list: none of `unparsed` (texts) parsed, the bytes of the list in memory. */
function printsWithoutParsing(formatter: Formatter, { inMemory, spooled }: ReturnType<typeof verdictsHolding>, unparsed: ReadonlySet<string>): void {
  const list = spooled();
  const parse = vi.spyOn(JSON, 'parse');
  try {
    const chunked = [...formatter.renderChunks!({ ...inMemory, verdicts: list }, {})].join('');
    expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && unparsed.has(text))).toEqual([]);
    expect(chunked).toBe(formatter.render(inMemory, {}));
  } finally {
    parse.mockRestore();
  }
}

describe('OCSF and ASFF from a spooled list', () => {
  const shared = { zeta: [{ b: 2, a: 'x"y' }], alpha: { 'k\nl': null } };
  const awkward: unknown[] = [
    shared,
    { lone: '\ud800 and \udfff', pair: '😀', latin: 'é', controls: '\u0000\u001f\n"\\' },
    shared,
    { numbers: [-0, 1e21, 5e-7, 0.1], long: 'x"'.repeat(3_000) },
    'inline text',
    null,
    [null, true, {}, [], ''],
  ];
  const objectTexts = new Set(awkward.filter((e) => e !== null && typeof e === 'object').map((e) => JSON.stringify(e)));

  for (const formatter of [ocsfFormatter, asffFormatter]) {
    it(`${formatter.name} prints unread evidence from the spool's text without parsing it, the bytes of the evidence in memory`, () => {
      printsWithoutParsing(formatter, verdictsHolding(awkward), objectTexts);
    });
  }
});

describe('JUnit from a spooled list', () => {
  // Keys in the text's order, escapes XML escapes again, text beyond ASCII, empty containers, integer-like keys.
  const shared = { zeta: [{ b: 2, a: 'x"y\\<&>', c: {} }], alpha: { 'k\nl': null, y: [[1e21, -5e-7]] }, 10: 'ten' };
  const printed: unknown[] = [shared, { numbers: [-0, 0.1], long: '<x"'.repeat(3_000) }, [null, true, {}, [], ''], shared, { pair: '😀 → ✓', latin: 'é\u0000' }];
  // A lone surrogate JSON.stringify escaped: parsed, as before.
  const left: unknown[] = [{ lone: '\ud800' }, 'inline text', null];
  const held = verdictsHolding([...printed, ...left]);

  it('junit prints unread evidence from the spool\'s text without parsing it, the bytes of the evidence in memory', () => {
    printsWithoutParsing(junitFormatter, held, new Set(printed.map((e) => JSON.stringify(e))));
  });
});

describe('JSON and SARIF from a spooled list', () => {
  // Keys out of order at every level, escapes, text beyond ASCII and empty containers: printed from the spool's text.
  const shared = { zeta: [{ b: 2, a: 'x"y\\', c: {} }], alpha: { z: [], y: { d: 'é\u0000', c: [[1e21, -5e-7]] } }, mid: true };
  const printed: unknown[] = [shared, { numbers: [-0, 1e21, 5e-7, 0.1], long: 'x"'.repeat(3_000) }, [null, true, {}, [], ''], shared, { lone: '\ud800', pair: '😀 → ✓' }];
  // What sortKeysDeep would order otherwise, or keys beyond ASCII: parsed, as before.
  const left: unknown[] = [{ b: 1, 10: 'ten' }, { 'k\nl': null }, { é: 1, a: 2 }, 'inline text', null];
  const held = verdictsHolding([...printed, ...left]);
  const printedTexts = new Set(printed.map((e) => JSON.stringify(e)));

  for (const formatter of [jsonFormatter, sarifFormatter]) {
    it(`${formatter.name} prints unread evidence from the spool's text without parsing it, the bytes of the evidence in memory`, () => {
      printsWithoutParsing(formatter, held, printedTexts);
    });
  }

  it('prints evidence another format has parsed from the text the list read it from, not from the object', () => {
    const list = held.spooled();
    const texts = PrettyEvidenceTexts.of(list);
    const walked = [...list];
    // Reading the evidence parses it: the verdicts hold the parsed objects from now on.
    const expected = walked.map((v) => indentedJson(evidenceValue(v.evidence), '      '));
    const fromText = walked.filter((v) => printedTexts.has(JSON.stringify(v.evidence)));
    expect(fromText).toHaveLength(printed.length);
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (const v of fromText) texts.text(v, '      ');
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    expect(walked.map((v) => texts.text(v, '      '))).toEqual(expected);
  });
});
