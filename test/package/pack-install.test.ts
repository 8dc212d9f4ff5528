/**
 * The package as users get it: `npm pack` (whose prepare script builds dist/), installed into an
 * empty folder, run with `npx trailproof`. This is the one test that runs the compiled CLI; the
 * others run the sources, so a stale dist/ can neither pass nor fail them.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, REPO } from '../cli/run-cli.ts';
import { writeConsumerProject } from './consumer.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-pack-'));
const consumer = join(dir, 'consumer');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
let packedFiles: string[] = [];

// Nothing of this test run's environment that could hide a problem: no SDK switches, no CI quirks.
// Except where npm keeps its cache: `npm ci --offline` installs from the cache the project's
// `npm ci` filled, which a CI that moves the cache (npm_config_cache) has put elsewhere than ~/.npm.
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if ((!k.startsWith('AWS_') && !k.startsWith('npm_') && k !== 'NODE_OPTIONS') || k === 'npm_config_cache') env[k] = v;
  return { ...env, CI: 'true', NO_COLOR: '1' };
};

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal}):\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

const trailproof = (...args: string[]) => run('npx', ['--no', '--', 'trailproof', ...args], consumer);

beforeAll(() => {
  const packed = JSON.parse(must(run('npm', ['pack', '--json', '--pack-destination', dir], REPO), 'npm pack')) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed[0]!.files.map((f) => f.path);
  mkdirSync(consumer);
  writeConsumerProject(consumer, REPO, join(dir, packed[0]!.filename));
  must(run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], consumer), 'npm ci --offline of the packed tarball');
}, 300_000);
// Thousands of installed files: removing them can take a while on a busy machine.
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

describe('npm pack → npm install → npx trailproof', { timeout: 120_000 }, () => {
  it('packs the compiled CLI and its data, and no sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['bin/trailproof.js', 'dist/cli/entry.js', 'dist/evaluate/parallel-worker.js', 'dist/validators/rule.schema.cjs', 'dist/validators/config.schema.cjs', 'schemas/rule.schema.json', 'examples/demo-org.snapshot.jsonl', 'package.json']));
    const ruleFiles = readdirSync(join(REPO, 'rules')).filter((f) => f.endsWith('.yaml'));
    expect(packedFiles.filter((f) => f.startsWith('rules/')).sort()).toEqual(ruleFiles.map((f) => `rules/${f}`).sort());
    expect(packedFiles.filter((f) => /^(src|test|docs)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
  });

  it('--version prints the package version, with nothing on stderr', () => {
    const r = trailproof('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.stderr).toBe('');
  });

  it('rules list lists every built-in rule', () => {
    const r = trailproof('rules', 'list', '--format', 'json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((rule) => rule.id).sort();
    const expected = readdirSync(join(REPO, 'rules')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(ids).toEqual(expected);
  });

  it('rules list refuses a rule file and a config.yaml that break their schemas, as the sources do (validators compiled at build time)', () => {
    mkdirSync(join(consumer, 'bad-rules'));
    writeFileSync(join(consumer, 'bad-rules', 'wrong-severity.yaml'), 'id: wrong-severity\ntitle: t\nseverity: urgent\nresource: account\nremediation: r\nvalidations:\n  - expression: "true"\n');
    writeFileSync(join(consumer, 'bad-config.yaml'), 'rules:\n  disabled: all\n');
    for (const args of [['rules', 'list', 'bad-rules'], ['rules', 'list', '--config', 'bad-config.yaml']]) {
      const installed = trailproof(...args);
      const fromSource = runCli(args, { cwd: consumer });
      expect(installed.status, installed.stderr).toBe(2);
      expect(installed.stderr).toMatch(/^trailproof: (bad-rules\/wrong-severity\.yaml:3:1|bad-config\.yaml:2:3): invalid (rule|config)/);
      expect({ status: installed.status, stderr: installed.stderr }).toEqual({ status: fromSource.status, stderr: fromSource.stderr });
    }
  });

  it('scan --demo writes the same reports as the sources do', () => {
    const installed = trailproof('scan', '--demo', '--format', 'json,sarif,md', '--out', 'reports');
    expect(installed.status).toBe(1); // the demo organization fails on purpose
    const fromSource = runCli(['scan', '--demo', '--format', 'json,sarif,md', '--out', join(dir, 'source-reports')]);
    expect(fromSource.status).toBe(1);
    for (const file of ['trailproof.json', 'trailproof.sarif', 'trailproof.md']) {
      expect(readFileSync(join(consumer, 'reports', file), 'utf8'), file).toBe(readFileSync(join(dir, 'source-reports', file), 'utf8'));
    }
  });

  it('evaluates in worker threads from dist/ with the same result as one thread', () => {
    const snapshot = join(consumer, 'node_modules/trailproof/examples/demo-org.snapshot.jsonl');
    for (const workers of ['1', '2']) {
      const r = trailproof('evaluate', snapshot, '--workers', workers, '--format', 'json', '--out', `workers-${workers}`);
      expect(r.status, r.stderr).toBe(1);
    }
    expect(readFileSync(join(consumer, 'workers-2/trailproof.json'), 'utf8')).toBe(readFileSync(join(consumer, 'workers-1/trailproof.json'), 'utf8'));
  });
});
