import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import parseArgs from 'string-argv';
import { toolVersion } from '../../src/shared/version.ts';
import { REPO, runCli, runMain } from '../cli/run-cli.ts';
import type { Scenario } from './scenario-file.ts';

export interface ScenarioOutcome {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunMode {
  /** Every scenario in a child process (as a user runs it) instead of main() in this process. */
  childProcess: boolean;
}

/**
 * Runs a scenario in a fresh empty folder holding only its input files (so no ./config.yaml of the
 * repository leaks in) and returns what it printed, normalised. A scenario that redirects standard
 * output always runs in a child process: only a real process has a real file descriptor 1.
 */
export async function runScenario(scenario: Scenario, mode: RunMode): Promise<ScenarioOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
  for (const f of scenario.files) {
    const path = join(dir, f.name);
    mkdirSync(dirname(path), { recursive: true });
    const text = `${f.text}\n`;
    writeFileSync(path, f.name.endsWith('.gz') ? gzipSync(text) : text);
  }
  const { args, stdoutTo } = parseCommand(scenario.command);
  const raw = stdoutTo || mode.childProcess ? runCli(args, { cwd: dir, ...(stdoutTo ? { stdoutTo } : {}) }) : await inFolder(dir, () => runMain(args));
  const status = 'status' in raw ? raw.status : raw.code;
  return { status, stdout: normalise(raw.stdout, dir), stderr: normalise(raw.stderr, dir) };
}

function parseCommand(command: string): { args: string[]; stdoutTo?: string } {
  const words = parseArgs(command.replaceAll('{repo}', REPO.replace(/\/$/, '')));
  if (words[0] !== 'trailproof') throw new Error(`a scenario command starts with "trailproof", got "${command}"`);
  const redirect = words.indexOf('>');
  if (redirect < 0) return { args: words.slice(1) };
  if (redirect !== words.length - 2) throw new Error(`"> FILE" must end the command: "${command}"`);
  return { args: words.slice(1, redirect), stdoutTo: words[redirect + 1]! };
}

/** main() reads ./config.yaml and writes ./reports: run it from the scenario's folder, as a user would. */
async function inFolder<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  const env = { CI: process.env.CI, NO_COLOR: process.env.NO_COLOR };
  process.chdir(dir);
  process.env.CI = 'true';
  process.env.NO_COLOR = '1';
  try {
    return await run();
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * What may differ between two correct runs is replaced by a placeholder: the scenario's folder,
 * the repository's path, the tool's version, timings and report sizes (a report's bytes are
 * pinned by the report tests; here a template change should not rewrite every scenario).
 */
export function normalise(text: string, dir: string): string {
  const version = toolVersion().replace(/\./g, '\\.');
  return text
    .replaceAll(realpathSync(dir), '{dir}')
    .replaceAll(dir, '{dir}')
    .replaceAll(REPO.replace(/\/$/, ''), '{repo}')
    .replace(new RegExp(`(?<![\\d.])${version}(?![\\d.])`, 'g'), '{version}')
    .replace(/\bin \d+(\.\d+)? s\b/g, 'in {seconds} s')
    .replace(/\(\d+ bytes\b/g, '({bytes} bytes')
    .replace(/\bNode\.js v\d+\.\d+\.\d+/g, 'Node.js {node}');
}
