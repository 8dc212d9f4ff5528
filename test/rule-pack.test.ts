/**
 * The bundled rule pack: every rule has test cases that pass, and a doc page that is what
 * `trailproof rules docs` would generate (as ESLint's checkRuleFiles does for its rules).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config/defaults.ts';
import { loadRules, type LoadedRule } from '../src/rules/load.ts';
import { ruleDocFiles } from '../src/rules/rule-docs.ts';
import { readRuleTests, runRuleCase, testFileFor } from '../src/rules/rule-tests.ts';

const DOCS = join(import.meta.dirname, '..', 'docs', 'rules');
const config = structuredClone(DEFAULT_CONFIG);

let rules: LoadedRule[] = [];
let loadError: string | undefined;
try {
  rules = await loadRules(['builtin'], config);
} catch (err) {
  loadError = (err as Error).message;
}

describe('builtin rule pack', () => {
  it('loads', () => {
    expect(loadError).toBeUndefined();
  });

  it.skipIf(rules.length === 0)('has a doc page per rule and an index, all up to date', () => {
    const stale: string[] = [];
    for (const [name, content] of ruleDocFiles(rules)) {
      const path = join(DOCS, name);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(`docs/rules/${name}`);
    }
    expect(stale, 'run `trailproof rules docs` to regenerate').toEqual([]);
  });

  for (const rule of rules) {
    const file = testFileFor(rule);
    if (!existsSync(file)) {
      it(`${rule.meta.id} › has a test file`, () => {
        expect.fail(`missing ${file}`);
      });
      continue;
    }
    let tests: ReturnType<typeof readRuleTests> | undefined;
    let invalid: string | undefined;
    try {
      tests = readRuleTests(file, rule.meta.id);
    } catch (err) {
      invalid = (err as Error).message;
    }
    if (!tests) {
      it(`${rule.meta.id} › test file is valid`, () => {
        expect.fail(invalid);
      });
      continue;
    }
    it(`${rule.meta.id} › has PASS, FAIL and ERROR cases (a rule must show it fails closed)`, () => {
      const statuses = new Set(tests.cases.flatMap((c) => c.expect.map((e) => e.status)));
      expect([...statuses].filter((s) => s !== 'NOT_APPLICABLE').sort()).toEqual(['ERROR', 'FAIL', 'PASS']);
    });
    tests.cases.forEach((testCase, i) => {
      it(`${rule.meta.id} › ${testCase.name}`, () => {
        const result = runRuleCase(rule, testCase, config, tests.locations[i]);
        expect(result.failures, result.location).toEqual([]);
      });
    });
  }
});
