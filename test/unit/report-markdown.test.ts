import { describe, expect, it } from 'vitest';
import { escapeMarkdownCell, MAX_FAILURE_ROWS, renderMarkdown } from '../../src/report/markdown.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { sampleResult, shuffledResult, withVerdict } from '../fixtures/results/sample-result.ts';

/** The lines of the table that follows a heading, without header and separator rows. */
function tableAfter(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.startsWith('#')) break;
    if (l.startsWith('|') && !l.startsWith('|---') && !l.startsWith('| Rule')) rows.push(l);
  }
  return rows;
}

describe('Markdown summary', () => {
  it('leads with the gate result and the verdict counts', () => {
    const result = sampleResult();
    const md = renderMarkdown(result);
    const [first] = md.split('\n');
    expect(first).toContain('failed: 2 unsuppressed FAIL verdicts at or above high');
    const c = result.summary.counts;
    expect(md).toContain(`| ${c.PASS} | ${c.FAIL - c.suppressed} | ${c.ERROR} | ${c.NOT_APPLICABLE} | ${c.suppressed} |`);
    expect(md).toContain(result.snapshot.sha256!);
  });

  it('says when the gate passes and when the evidence is incomplete', () => {
    const noFailures = sampleResult({ verdicts: [...sampleResult().verdicts].filter((v) => v.status !== 'FAIL') });
    expect(renderMarkdown(noFailures).split('\n')[0]).toContain('incomplete');
    const clean = sampleResult({ verdicts: [...noFailures.verdicts].filter((v) => v.status !== 'ERROR'), errors: [] });
    expect(renderMarkdown(clean).split('\n')[0]).toContain('passed');
  });

  it('groups unsuppressed failures by severity, most severe first', () => {
    const md = renderMarkdown(sampleResult());
    const high = md.indexOf('#### high (2)');
    const medium = md.indexOf('#### medium (1)');
    const info = md.indexOf('#### info (1)');
    expect(high).toBeGreaterThan(0);
    expect(medium).toBeGreaterThan(high);
    expect(info).toBeGreaterThan(medium);
    expect(tableAfter(md, '#### high')).toHaveLength(2);
    expect(md).not.toMatch(/\| cloudtrail-log-file-validation \| 444444444444/);
  });

  it('caps the failure tables with "and N more"', () => {
    const base = [...sampleResult().verdicts].find((v) => v.ruleId === 's3-pii-data-events')!;
    const many: Verdict[] = Array.from({ length: MAX_FAILURE_ROWS + 7 }, (_, i) => ({ ...base, resource: { ...base.resource, id: `arn:aws:s3:::bucket-${String(i).padStart(3, '0')}` } }));
    const md = renderMarkdown(sampleResult({ verdicts: [...sampleResult().verdicts, ...many] }));
    const rows = md.split('\n').filter((l) => /^\| (s3-pii|organization-trail|cloudtrail-log|trail-kms)/.test(l));
    expect(rows).toHaveLength(MAX_FAILURE_ROWS);
    const total = many.length + 4;
    expect(md).toContain(`and ${total - MAX_FAILURE_ROWS} more failing verdicts`);
  });

  it('summarises ERROR verdicts and collection errors', () => {
    const md = renderMarkdown(sampleResult());
    expect(md).toContain('1 verdict could not be decided (ERROR)');
    expect(md).toContain('3 collection errors');
    expect(md).toMatch(/\| sts:AssumeRole \| AccessDenied \| 555555555555 \|/);
    expect(md).toContain('stale');
  });

  it('escapes markup and table breakers in messages', () => {
    const result = withVerdict(sampleResult(), (v) => v.ruleId === 's3-pii-data-events', { message: 'a | b <script>alert(1)</script> [x](http://evil) *bold*\nnext' });
    const md = renderMarkdown(result);
    expect(md).not.toContain('<script>');
    const row = md.split('\n').find((l) => l.startsWith('| s3-pii-data-events'))!;
    expect(row).toContain('a \\| b &lt;script&gt;');
    expect(row).toContain('\\[x\\](http://evil)');
    expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(escapeMarkdownCell('x\u0000y')).toBe('xy');
  });

  it('renders the same bytes twice and from shuffled input', () => {
    const once = renderMarkdown(sampleResult());
    expect(renderMarkdown(sampleResult())).toBe(once);
    expect(renderMarkdown(shuffledResult())).toBe(once);
  });
});
