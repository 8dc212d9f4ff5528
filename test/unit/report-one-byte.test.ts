/**
 * The texts JSON, SARIF and HTML write many times are one-byte strings where their characters
 * allow it (src/shared/one-byte.ts): V8 encodes a two-byte string to UTF-8 at ~12 instructions a
 * character against ~0.5 for a one-byte one, and keeps a text two-byte for one two-byte part of
 * it, ASCII or not. The bytes written are the same either way (the format tests check them); what
 * is checked here is the strings' representation, read from V8's serializer: it tags a one-byte
 * string '"' and a two-byte one 'c'.
 */
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/contracts/result.ts';
import { evidenceValue, indentedJson, SharedTexts } from '../../src/report/canonical.ts';
import { renderHtmlFiles, type HtmlLayout } from '../../src/report/html.ts';
import { pageStart } from '../../src/report/html/page.ts';
import { jsonReportChunks } from '../../src/report/json.ts';
import { oneByteWherePossible } from '../../src/shared/one-byte.ts';
import { sarifChunks } from '../../src/report/sarif.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

/** V8's serializer writes a one-byte string with the tag '"' right after its 2-byte header (a two-byte one may get a padding byte first). */
const isOneByte = (text: string) => serialize(text)[2] === 0x22;

/** An ASCII text in a two-byte string, as a slice of a decoded text with a wide character is. */
const twoByte = (ascii: string) => Buffer.from(`\u2192${ascii}`, 'utf8').toString('utf8').slice(1);

const WIDE = /[^\u0000-\u00ff]/;

/** The sample result with an ASCII text held two-byte in each verdict's evidence. */
function resultWithTwoByteEvidence(): ScanResult {
  const result = sampleResult();
  const held = twoByte('unknown: no classification tag on the bucket');
  expect(isOneByte(held)).toBe(false);
  const verdicts = [...result.verdicts].map((v) => ({ ...v, evidence: { classifiedBecause: [held, 'x'.repeat(40)], bucket: 'arn:aws:s3:::logs' } }));
  return { ...result, verdicts };
}

describe('one-byte texts in the reports', () => {
  it('copies an ASCII or Latin-1 text held two-byte into a one-byte string, and leaves a text beyond Latin-1 as it is', () => {
    const held = twoByte('arn:aws:s3:::bucket · café');
    expect(isOneByte(held)).toBe(false);
    const copy = oneByteWherePossible(held);
    expect(copy).toBe(held);
    expect(isOneByte(copy)).toBe(true);
    const wide = twoByte('trail → bucket');
    expect(oneByteWherePossible(wide)).toBe(wide);
  });

  it("makes the pretty text of evidence one-byte when a text in it is held two-byte (JSON's verdicts, SARIF's results)", () => {
    const evidence = { classifiedBecause: [twoByte('unknown: no classification tag')], read: { status: 'unknown' } };
    expect(isOneByte(evidence.classifiedBecause[0]!)).toBe(false);
    // Node 20's JSON.stringify makes a two-byte text of it, though it is ASCII (Node 22's does not).
    const text = new SharedTexts(evidenceValue).text(evidence, '    ');
    expect(text).toBe(indentedJson(evidenceValue(evidence), '    '));
    expect(isOneByte(text)).toBe(true);
  });

  it('writes every JSON and SARIF chunk that holds no character beyond Latin-1 as a one-byte string', () => {
    const result = resultWithTwoByteEvidence();
    for (const chunks of [jsonReportChunks(result), sarifChunks(result)]) {
      let checked = 0;
      for (const chunk of chunks) {
        if (WIDE.test(chunk) || chunk.length < 100) continue;
        expect(isOneByte(chunk), chunk.slice(0, 80)).toBe(true);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
    }
  });

  it("gives a page's start in two pieces: its title, which holds a dash, does not make the stylesheet two-byte", () => {
    const [head, rest] = pageStart('trailproof report — o-example — page 2');
    expect(head).toMatch(/^<!DOCTYPE html>[\s\S]*<title>trailproof report — o-example — page 2$/);
    expect(rest).toMatch(/^<\/title>\n<style>[\s\S]{1000,}<\/style>\n<\/head>\n<body>\n$/);
    expect(isOneByte(rest)).toBe(true);
  });

  it("writes a verdict page's filter form apart from its end, so the form's account list is one-byte", () => {
    const layout: HtmlLayout = { singlePageMaxVerdicts: 3, folder: 'trailproof-html', accountsPerPage: 2, verdictsPerPage: 2, accountsListed: 2 };
    const forms = [...renderHtmlFiles(sampleResult(), layout)].flatMap((file) => [...file.chunks].filter((chunk) => chunk.startsWith('<form id="filters"')));
    expect(forms.length).toBeGreaterThan(1);
    for (const form of forms) {
      expect(form).toContain('<label>Account<select name="row">');
      if (!WIDE.test(form)) expect(isOneByte(form), form.slice(0, 80)).toBe(true);
    }
    expect(forms.some((form) => !WIDE.test(form))).toBe(true);
  });
});
