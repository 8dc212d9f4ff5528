/**
 * What `trailproof rules validate|test|docs` print and exit with (src/rules/commands.ts), called
 * in-process.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { rulesDocs, rulesTest, rulesValidate } from '../../src/rules/commands.ts';
import { UserError } from '../../src/shared/errors.ts';

const VALID = 'test/fixtures/rules/valid';
const config = structuredClone(DEFAULT_CONFIG);
const tmp = () => mkdtempSync(join(tmpdir(), 'trailproof-rules-cmd-'));

function copyOf(...names: string[]): string {
  const dir = tmp();
  for (const n of names) copyFileSync(join(VALID, n), join(dir, n));
  return dir;
}

describe('rules validate', () => {
  it('counts one rule in the singular, and only the test files that exist', async () => {
    expect(await rulesValidate([copyOf('account-has-trail.yaml')], config)).toEqual({ output: '1 rule valid (0 with test files)\n', exitCode: 0 });
    expect(await rulesValidate([copyOf('account-has-trail.yaml', 'account-has-trail.test.yaml', 'trail-validates-logs.yaml')], config)).toEqual({
      output: '2 rules valid (1 with test files)\n',
      exitCode: 0,
    });
  });

  it('an empty folder is an error, not "0 rules valid"', async () => {
    const dir = tmp();
    await expect(rulesValidate([dir], config)).rejects.toThrow(UserError);
  });
});

describe('rules test', () => {
  it('exits 0 when every case passes and 1 when one fails, printing the report', async () => {
    const passing = await rulesTest([copyOf('account-has-trail.yaml', 'account-has-trail.test.yaml')], config);
    expect(passing.exitCode).toBe(0);
    expect(passing.output).toMatch(/^✓ account-has-trail › [\s\S]*\n\d+ passed, 0 failed\n$/);
    const untested = await rulesTest([copyOf('account-has-trail.yaml')], config);
    expect(untested.exitCode).toBe(1);
    expect(untested.output).toMatch(/0 passed, 1 failed\n$/);
  });
});

describe('rules docs', () => {
  it('writes only the pages that changed, and --check lists each stale page', async () => {
    const out = join(tmp(), 'docs');
    expect(await rulesDocs([VALID], config, { out })).toEqual({ output: `3 of 3 doc pages written to ${out}\n`, exitCode: 0 });
    const page = join(out, 'account-has-trail.md');
    const text = readFileSync(page, 'utf8');
    writeFileSync(page, `${text}edited\n`);
    const check = await rulesDocs([VALID], config, { out, check: true });
    expect(check).toEqual({ output: `out of date (run \`trailproof rules docs\`):\n  ${page}\n`, exitCode: 1 });
    expect(readFileSync(page, 'utf8')).toBe(`${text}edited\n`);
    expect(await rulesDocs([VALID], config, { out })).toEqual({ output: `1 of 3 doc pages written to ${out}\n`, exitCode: 0 });
    expect(readFileSync(page, 'utf8')).toBe(text);
  });

  it('--check writes nothing, not even the folder', async () => {
    const out = join(tmp(), 'none');
    const check = await rulesDocs([VALID], config, { out, check: true });
    expect(check.exitCode).toBe(1);
    expect(check.output.split('\n').filter((l) => l.startsWith('  '))).toHaveLength(3);
    expect(existsSync(out)).toBe(false);
  });
});

describe('defaults', () => {
  it('validate counts disabled rules; docs --check looks in docs/rules unless told otherwise', async () => {
    const disabled = { ...config, rules: { ...config.rules, disabled: ['account-has-trail'] } };
    expect((await rulesValidate([copyOf('account-has-trail.yaml')], disabled)).output).toBe('1 rule valid (0 with test files)\n');
    const check = await rulesDocs([VALID], config, { check: true });
    expect(check.exitCode).toBe(1);
    expect(check.output).toContain(`  ${join('docs', 'rules', 'account-has-trail.md')}\n`);
  });
});
