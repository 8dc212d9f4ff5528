import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_GROUPS } from '../../src/cli/main.ts';
import { CLI_ARGS, REPO } from './run-cli.ts';

const HOOKS = new URL('../fixtures/loader/record-imports.mjs', import.meta.url).href;
const REGISTER = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(HOOKS)})`;
const dir = mkdtempSync(join(tmpdir(), 'trailproof-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI from source and returns the packages and source modules it resolved. */
function importsOf(args: string[]): { status: number | null; packages: Set<string>; sources: Set<string> } {
  const log = join(dir, `${args.join('_').replace(/\W/g, '')}.log`);
  const run = spawnSync(process.execPath, ['--import', REGISTER, ...CLI_ARGS, ...args, ...(args[0] === 'scan' ? ['--out', join(dir, 'reports')] : [])], {
    cwd: REPO,
    env: { ...process.env, CI: 'true', TRAILPROOF_IMPORT_LOG: log },
    encoding: 'utf8',
  });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  const sources = new Set(urls.flatMap((u) => /\/src\/(.+)\.ts$/.exec(u)?.[1] ?? []));
  return { status: run.status, packages, sources };
}

const awsSdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'));

describe('each command loads only what it uses', () => {
  it('--version loads no command group and no library but commander', () => {
    const run = importsOf(['--version']);
    expect(run.status).toBe(0);
    expect([...run.packages].filter((p) => p !== 'tsx' && p !== 'get-tsconfig' && p !== 'esbuild' && p !== 'resolve-pkg-maps')).toEqual(['commander']);
    expect([...run.sources].filter((s) => s.startsWith('cli/commands/'))).toEqual([]);
  });

  it('rules list loads the rules group alone, no AWS SDK, and no CEL (it reads metadata only)', () => {
    const run = importsOf(['rules', 'list']);
    expect(run.status).toBe(0);
    expect([...run.sources].filter((s) => s.startsWith('cli/commands/'))).toEqual(['cli/commands/rules']);
    expect(run.sources).toContain('rules/load/read');
    expect(run.packages).toContain('yaml');
    expect(run.packages).not.toContain('@marcbachmann/cel-js');
    expect([...run.sources].filter((s) => /^rules\/(cel|cel-types|evaluate|load\/compile|commands)$/.test(s))).toEqual([]);
    expect(awsSdk(run.packages)).toEqual([]);
  });

  it('rules validate still loads CEL: it compiles and type-checks every expression', () => {
    const run = importsOf(['rules', 'validate']);
    expect(run.status).toBe(0);
    expect(run.packages).toContain('@marcbachmann/cel-js');
    expect(run.sources).toContain('rules/load/compile');
  });

  it('a demo scan loads no AWS SDK client (nothing is collected live)', () => {
    const run = importsOf(['scan', '--demo', '--format', 'json']);
    expect(run.status).toBe(1);
    expect(run.sources).toContain('evaluate/pipeline');
    expect(awsSdk(run.packages)).toEqual([]);
  });
});

describe('the AWS clients of the detective controls', () => {
  it('iam-policy lists their actions without loading any AWS SDK client', () => {
    const run = importsOf(['iam-policy', '--role', 'member']);
    expect(run.status).toBe(0);
    expect(run.sources).toContain('collect/aws-actions');
    expect(awsSdk(run.packages)).toEqual([]);
    expect([...run.sources].filter((s) => s.startsWith('collect/detective/'))).toEqual([]);
  });
});

describe('COMMAND_GROUPS', () => {
  it("names exactly the top-level commands each group's register() adds", async () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command('trailproof');
      (await group.load()).register(program, () => undefined);
      expect(program.commands.map((c) => c.name())).toEqual(group.commands);
    }
  });
});
