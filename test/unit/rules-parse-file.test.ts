/**
 * Reading one rule file (src/rules/load/parse.ts): each way a file can be wrong is one problem
 * line naming the file, and the file is not loaded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../src/rules/load/parse.ts';

const RULE = ['id: r1', 'title: Rule r1', 'severity: low', 'remediation: r', 'resource: account', 'validations:', '  - expression: "true"', ''].join('\n');

function parse(name: string, text: string | undefined): { parsed: ReturnType<typeof parseRuleFile>; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-parse-'));
  const path = join(dir, name);
  if (text !== undefined) writeFileSync(path, text);
  const problems: string[] = [];
  return { parsed: parseRuleFile({ path, source: `rules/${name}` }, problems), problems };
}

describe('parseRuleFile', () => {
  it('reads a valid rule: its document, source and bytes', () => {
    const { parsed, problems } = parse('r1.yaml', RULE);
    expect(problems).toEqual([]);
    expect(parsed!.document.id).toBe('r1');
    expect(parsed!.source.file).toBe('rules/r1.yaml');
    expect(parsed!.bytes.toString('utf8')).toBe(RULE);
  });

  it('reports a file it cannot read by its error code', () => {
    const { parsed, problems } = parse('gone.yaml', undefined);
    expect(parsed).toBeUndefined();
    expect(problems).toEqual(['rules/gone.yaml: cannot read: ENOENT']);
  });

  it('reports an alias bomb (a single input error, not a list) as one problem', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    const { parsed, problems } = parse('bomb.yaml', bomb);
    expect(parsed).toBeUndefined();
    expect(problems).toEqual([
      'rules/bomb.yaml: invalid YAML: its aliases expand to too much data (more than 100 alias expansions); write the values out instead of nesting aliases',
    ]);
  });

  it('reports every schema problem, and a YAML syntax error at its line', () => {
    const { parsed, problems } = parse('r1.yaml', 'id: r1\n');
    expect(parsed).toBeUndefined();
    expect(problems.length).toBeGreaterThan(1);
    for (const p of problems) expect(p).toMatch(/^rules\/r1\.yaml:\d+:\d+: /);
    const syntax = parse('r1.yaml', 'id: [r1\n');
    expect(syntax.parsed).toBeUndefined();
    expect(syntax.problems[0]).toMatch(/^rules\/r1\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('refuses a rule whose id is not its file name, at the id', () => {
    const { parsed, problems } = parse('other.yaml', RULE);
    expect(parsed).toBeUndefined();
    expect(problems).toEqual(['rules/other.yaml:1:1: rule id "r1" must match its file name (other.yaml)']);
  });
});
