/**
 * A rule's report metadata and the pack's identity (src/rules/load/pack.ts), and the text table of
 * `rules list` (src/rules/list.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import type { RuleMeta } from '../../src/contracts/verdict.ts';
import { rulesList } from '../../src/rules/list.ts';
import { ruleMeta, rulePackVersion } from '../../src/rules/load/pack.ts';
import type { RuleDocument } from '../../src/rules/types.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

const MINIMAL: RuleDocument = {
  id: 'minimal-rule',
  title: 'A minimal rule',
  severity: 'low',
  resource: 'account',
  remediation: 'Fix it.',
  validations: [{ expression: 'true' }],
};

describe('ruleMeta', () => {
  it('fills what a minimal rule leaves out: an empty description, no frameworks, no tags, and no rationale or helpUri keys', () => {
    const bytes = Buffer.from('id: minimal-rule\n');
    const meta = ruleMeta(MINIMAL, { n: 1 }, 'rules/minimal-rule.yaml', bytes);
    expect(meta).toStrictEqual({
      id: 'minimal-rule',
      title: 'A minimal rule',
      description: '',
      severity: 'low',
      resource: 'account',
      remediation: 'Fix it.',
      frameworks: {},
      tags: [],
      params: { n: 1 },
      source: 'rules/minimal-rule.yaml',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(Object.keys(meta)).not.toContain('rationale');
    expect(Object.keys(meta)).not.toContain('helpUri');
  });

  it('keeps what a full rule says', () => {
    const full: RuleDocument = {
      ...MINIMAL,
      description: 'What it checks.',
      rationale: 'Why it matters.',
      helpUri: 'https://example.com/minimal-rule',
      frameworks: { 'cis-aws-v3': ['3.1'] },
      tags: ['detective'],
    };
    const meta = ruleMeta(full, {}, 'r.yaml', Buffer.from(''));
    expect(meta.description).toBe('What it checks.');
    expect(meta.rationale).toBe('Why it matters.');
    expect(meta.helpUri).toBe('https://example.com/minimal-rule');
    expect(meta.frameworks).toEqual({ 'cis-aws-v3': ['3.1'] });
    expect(meta.tags).toEqual(['detective']);
  });
});

describe('rulePackVersion', () => {
  const withHash = (sha256: string) => ({ meta: { sha256 } as RuleMeta });

  it("is the tool's version and a hash of the sorted rule hashes, one a line: the order rules were loaded in does not matter", () => {
    const expected = createHash('sha256').update('aaa\n').update('bbb\n').digest('hex');
    expect(rulePackVersion([withHash('bbb'), withHash('aaa')])).toEqual({ version: PACKAGE_VERSION, sha256: expected });
    expect(rulePackVersion([withHash('aaa'), withHash('bbb')]).sha256).toBe(expected);
  });
});

describe('rules list as a table', () => {
  const config = (disabled: string[]): TrailproofConfig => ({ ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml', rules: { ...DEFAULT_CONFIG.rules, disabled } });

  it('pads the ID column to the longest id and marks only the disabled rules', async () => {
    const list = await rulesList(['test/fixtures/rules/valid'], config(['trail-validates-logs']));
    expect(list.exitCode).toBe(0);
    expect(list.output).toBe(
      [
        'ID                    SEVERITY  RESOURCE      TITLE',
        'account-has-trail     high      account       Every active account is recorded by enough logging trails',
        'trail-validates-logs  medium    trail         (disabled) Trails validate their log files',
        '',
      ].join('\n'),
    );
  });
});
