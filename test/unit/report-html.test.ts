import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.ts';
import { escapeHtml } from '../../src/report/html/escape.ts';
import { sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

const XSS = '</td><script>alert("x")</script><img src=x onerror=alert(1)>';

function inline(page: string, tag: 'script' | 'style'): string[] {
  return [...page.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!);
}

describe('HTML report', () => {
  it('escapes every value: a message or evidence holding markup shows as text', () => {
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { message: XSS, evidence: { note: XSS } });
    const page = renderHtml(sampleResult({ ...result, errors: [{ operation: 'x:Y', code: '<b>', message: XSS }] }));
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain(escapeHtml(XSS));
    expect(inline(page, 'script')).toHaveLength(1);
  });

  it('is self-contained: no external resources, and a CSP that pins the inline style and script by hash', () => {
    const page = renderHtml(sampleResult());
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(/);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(csp).toContain(`script-src ${sha(inline(page, 'script')[0]!)}`);
    expect(csp).toContain(`style-src ${sha(inline(page, 'style')[0]!)}`);
  });

  it('shows the snapshot hash and time, versions, scope, skipped accounts, errors and exception notes', () => {
    const result = sampleResult();
    const page = renderHtml(result);
    for (const text of [result.snapshot.sha256!, result.snapshot.collectedAt, result.rulePack.sha256, 'trailproof 0.1.0', '666666666666', 'SUSPENDED', 'sts:AssumeRole', 'stale: matches nothing', 'Sandbox trail is scheduled for removal', 'eu-west-1, us-east-1']) {
      expect(page, text).toContain(text);
    }
  });

  it('has one verdict row per verdict with filterable data attributes, and a matrix row per account', () => {
    const result = sampleResult();
    const page = renderHtml(result);
    const rows = [...page.matchAll(/<tr data-status="([A-Z_]+)" data-severity="(\w+)" data-ou="([^"]*)" data-rule="([^"]+)"/g)];
    expect(rows).toHaveLength(result.verdicts.length);
    expect(rows.filter((r) => r[1] === 'SUPPRESSED')).toHaveLength(1);
    const matrixRows = [...page.matchAll(/<tr id="acct-[^"]*" data-ou="[^"]*" data-account="([^"]+)"><th scope="row">/g)].map((m) => m[1]);
    expect(matrixRows).toEqual(['(organization)', '111111111111', '444444444444', '222222222222', '333333333333']);
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderHtml(sampleResult());
    expect(renderHtml(sampleResult())).toBe(once);
    expect(renderHtml(shuffledResult())).toBe(once);
  });
});

describe('HTML report stylesheet', () => {
  it('never breaks words mid-word: no break-all, and wrap-anywhere only for long tokens, evidence and code', () => {
    const css = inline(renderHtml(sampleResult()), 'style')[0]!;
    expect(css).not.toMatch(/word-break:\s*break-all/);
    const anywhere = [...css.matchAll(/([^{}]+)\{[^}]*overflow-wrap:\s*anywhere/g)].map((m) => m[1]!.trim());
    for (const selector of anywhere) expect(selector, selector).toMatch(/\.token|table\.kv|pre|code/);
  });
});
