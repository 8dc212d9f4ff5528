/**
 * Finding and reading rule files (src/rules/load/files.ts, src/rules/load/read.ts): which files of
 * a folder are rules, how they are named and ordered, what config.yaml may disable, and which
 * config.yaml names are checked against the rules found.
 */
import { compareStrings } from '../../src/contracts/order.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import { BUILTIN_RULES_DIR, resolveRuleFiles } from '../../src/rules/load/files.ts';
import { atLeastOneRule, isDisabled, readRules } from '../../src/rules/load/read.ts';
import { UserError } from '../../src/shared/errors.ts';
import { problemsThrownBy } from '../fixtures/rule-load-problems.ts';

const ruleText = (id: string, extra: string[] = []) =>
  [`id: ${id}`, `title: Rule ${id}`, 'severity: low', 'remediation: r', 'resource: account', ...extra, 'validations:', '  - expression: "true"', ''].join('\n');

/** A folder of files: name → text. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-read-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const config = (rules: Partial<TrailproofConfig['rules']> = {}): TrailproofConfig => ({ ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml', rules: { ...DEFAULT_CONFIG.rules, ...rules } });
const ids = (dir: string[], cfg = config(), keepDisabled = false) => readRules(dir, cfg, { keepDisabled }, (r) => r).map((r) => r.meta.id);

describe('resolveRuleFiles', () => {
  it('takes *.yaml files of a folder and its sub-folders, not tests, other files, hidden folders or node_modules', () => {
    const dir = folder({
      'a.yaml': '',
      'a.test.yaml': '',
      'notes.md': '',
      'b.yml': '',
      'group/c.yaml': '',
      'group/deeper/d.yaml': '',
      '.hidden/e.yaml': '',
      'node_modules/f.yaml': '',
    });
    const found = resolveRuleFiles([dir]);
    expect(found.map((f) => f.path)).toEqual([join(dir, 'a.yaml'), join(dir, 'group/c.yaml'), join(dir, 'group/deeper/d.yaml')]);
    expect(found[0]!.source).toBe(relative(process.cwd(), join(dir, 'a.yaml')));
  });

  it('gives a file named twice (itself and through its folder) once, ordered by how reports name them', () => {
    const dir = folder({ 'b.yaml': '', 'a.yaml': '' });
    expect(resolveRuleFiles([join(dir, 'b.yaml'), dir]).map((f) => f.path)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yaml')]);
  });

  it('names the built-in rules rules/<file>, from any working directory', () => {
    const builtin = resolveRuleFiles(['builtin']);
    expect(builtin.length).toBeGreaterThan(10);
    for (const f of builtin) {
      expect(f.source).toMatch(/^rules\/[a-z0-9-]+(\/[a-z0-9-]+)*\.yaml$/);
      expect(f.path).toBe(join(BUILTIN_RULES_DIR, f.source.slice('rules/'.length)));
    }
    expect(builtin.map((f) => f.source)).toEqual(builtin.map((f) => f.source).sort(compareStrings));
  });

  it('reports every path that does not exist at once', () => {
    expect(problemsThrownBy(() => resolveRuleFiles(['no/such/a', 'builtin', 'no/such/b']))).toEqual(['no/such/a: no such rule file or folder', 'no/such/b: no such rule file or folder']);
  });
});

describe('readRules', () => {
  it('returns the rules sorted by id, whatever folders they sit in', () => {
    const dir = folder({ 'z/alpha.yaml': ruleText('alpha'), 'beta.yaml': ruleText('beta') });
    expect(ids([dir])).toEqual(['alpha', 'beta']);
  });

  it('drops the rules disabled by id or by tag unless asked to keep them', () => {
    const dir = folder({ 'a.yaml': ruleText('a'), 'b.yaml': ruleText('b', ['tags: [noisy]']), 'c.yaml': ruleText('c', ['tags: [quiet]']) });
    expect(ids([dir], config({ disabled: ['a'], disabledTags: ['noisy'] }))).toEqual(['c']);
    expect(ids([dir], config({ disabled: ['a'], disabledTags: ['noisy'] }), true)).toEqual(['a', 'b', 'c']);
    expect(isDisabled({ id: 'c', tags: ['quiet'] }, config({ disabledTags: ['noisy'] }))).toBe(false);
    expect(isDisabled({ id: 'c', tags: ['x', 'noisy'] }, config({ disabledTags: ['noisy'] }))).toBe(true);
  });

  it("checks config.yaml's names only against the rules of its own rules.paths", () => {
    const dir = folder({ 'alpha.yaml': ruleText('alpha') });
    const other = folder({ 'beta.yaml': ruleText('beta') });
    const cfg = config({ paths: [dir], disabled: ['alpah'], params: { gamma: { x: 1 } }, disabledTags: ['nosuch'] });
    expect(problemsThrownBy(() => ids([dir], cfg))).toEqual([
      `config.yaml: rules.params.gamma: no rule "gamma" is loaded from rules.paths (${dir})`,
      `config.yaml: rules.disabled.0: no rule "alpah" is loaded from rules.paths (${dir}); did you mean "alpha"?`,
      `config.yaml: rules.disabledTags.0: no rule loaded from rules.paths (${dir}) has the tag "nosuch"`,
    ]);
    expect(ids([other], { ...cfg, rules: { ...cfg.rules, params: {} } })).toEqual(['beta']);
    expect(problemsThrownBy(() => ids([dir, other], { ...cfg, rules: { ...cfg.rules, params: {} } }))).toEqual([]);
  });

  it('a rule whose own declarations are wrong is not checked further, and is not handed on', () => {
    const dir = folder({ 'a.yaml': ruleText('a', ['params:', '  n: { type: integer, minimum: 5, default: 1, description: n }']), 'b.yaml': ruleText('b') });
    const seen: string[] = [];
    const found = problemsThrownBy(() => readRules([dir], config({ params: { a: { unknown: 1 } } }), {}, (r) => (seen.push(r.meta.id), r)));
    expect(found).toEqual([expect.stringMatching(/a\.yaml:\d+:\d+: default of parameter "n" does not fit its schema: must be >= 5, got 1$/)]);
    expect(seen).toEqual(['b']);
  });

  it('what the finisher refuses is left out', () => {
    const dir = folder({ 'a.yaml': ruleText('a'), 'b.yaml': ruleText('b') });
    expect(readRules([dir], config(), {}, (r) => (r.meta.id === 'a' ? undefined : r)).map((r) => r.meta.id)).toEqual(['b']);
  });
});

describe('atLeastOneRule', () => {
  it('an empty pack is a wrong path, never a pass', () => {
    expect(atLeastOneRule([1], ['x'])).toEqual([1]);
    expect(() => atLeastOneRule([], ['a', 'b'])).toThrow(new UserError('no rule files found in a, b (rule files are <id>.yaml, searched recursively)'));
  });
});

describe('config.yaml names, in detail', () => {
  it('lists every configured path, sorts unknown param entries, and accepts a disabled rule that is loaded', () => {
    const dir = folder({ 'alpha.yaml': ruleText('alpha', ['tags: [t]']) });
    const second = folder({});
    const cfg = config({ paths: [dir, second], disabled: ['alpha', 'nope'], params: { zulu: {}, bravo: {} }, disabledTags: ['t', 'unrelated'] });
    const paths = `${dir}, ${second}`;
    expect(problemsThrownBy(() => ids([dir, second], cfg))).toEqual([
      `config.yaml: rules.params.bravo: no rule "bravo" is loaded from rules.paths (${paths})`,
      `config.yaml: rules.params.zulu: no rule "zulu" is loaded from rules.paths (${paths})`,
      `config.yaml: rules.disabled.1: no rule "nope" is loaded from rules.paths (${paths})`,
      `config.yaml: rules.disabledTags.1: no rule loaded from rules.paths (${paths}) has the tag "unrelated"`,
    ]);
  });

  it('loading a part of rules.paths, or other paths of the same length, checks no names', () => {
    const dir = folder({ 'alpha.yaml': ruleText('alpha') });
    const cfg = config({ paths: [dir, folder({})], disabled: ['nope'] });
    expect(ids([dir], cfg)).toEqual(['alpha']);
    expect(ids([dir, folder({})], cfg)).toEqual(['alpha']);
  });

  it('of two names equally near a typo, suggests the first by name, not by file order', () => {
    const dir = folder({ 'rule-c.yaml': ruleText('rule-c', ['tags: [tag-c]']), 'z/rule-b.yaml': ruleText('rule-b', ['tags: [tag-b]']) });
    const cfg = config({ paths: [dir], disabled: ['rule-a'], disabledTags: ['tag-a'] });
    expect(problemsThrownBy(() => ids([dir], cfg))).toEqual([
      `config.yaml: rules.disabled.0: no rule "rule-a" is loaded from rules.paths (${dir}); did you mean "rule-b"?`,
      `config.yaml: rules.disabledTags.0: no rule loaded from rules.paths (${dir}) has the tag "tag-a"; did you mean "tag-b"?`,
    ]);
  });
});

describe('a rule file on its own', () => {
  it('a duplicate id is placed at the id, wherever it is written', () => {
    const dir = folder({ 'a/dup.yaml': ruleText('dup'), 'b/dup.yaml': `title: Second\n${ruleText('dup').replace(/^title: .*\n/m, '')}` });
    expect(problemsThrownBy(() => ids([dir]))).toEqual([expect.stringMatching(/b\/dup\.yaml:2:1: duplicate rule id "dup" \(already defined in .*a\/dup\.yaml\)$/)]);
  });

  it('the id must be the file name without .yaml, placed at the id', () => {
    const dir = folder({ 'other.yaml': `title: T\n${ruleText('mine').replace(/^title: .*\n/m, '')}`, 'mine.yaml.yaml': ruleText('mine') });
    expect(problemsThrownBy(() => ids([dir]))).toEqual([
      expect.stringMatching(/mine\.yaml\.yaml:1:1: rule id "mine" must match its file name \(mine\.yaml\.yaml\)$/),
      expect.stringMatching(/other\.yaml:2:1: rule id "mine" must match its file name \(other\.yaml\)$/),
    ]);
  });

  it('every schema problem of a file is listed on its own', () => {
    const dir = folder({ 'bad.yaml': ruleText('bad').replace('severity: low', 'severity: dire').replace('resource: account', 'resource: planet') });
    const found = problemsThrownBy(() => ids([dir]));
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toMatch(/bad\.yaml:3:\d+: .*severity[\s\S]*bad\.yaml:5:\d+: .*resource/);
  });
});
