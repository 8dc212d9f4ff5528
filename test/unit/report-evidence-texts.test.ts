import { describe, expect, it } from 'vitest';
import type { VerdictList } from '../../src/contracts/result.ts';
import { EvidenceTexts } from '../../src/report/evidence-texts.ts';

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
