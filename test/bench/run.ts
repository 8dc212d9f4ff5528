/**
 * `npm run bench`: evaluation and collection at organization scale. Not part of the tests.
 *
 *   npm run bench                                   evaluate 100 / 1,000 / 10,000 accounts, collect 1,000,
 *                                                   a scan of 300 accounts under injected faults
 *   npm run bench -- --accounts 10000 --only evaluate
 *   npm run bench -- --accounts 1000 --only collect                 over the fake HTTP endpoint
 *   npm run bench -- --accounts 1000 --only collect --compare       also without connection reuse and pacing
 *   npm run bench -- --accounts 1000 --only collect --transport in-process --latency-ms 50
 *   npm run bench -- --accounts 300 --only faults
 *   npm run bench -- --only verify                  verify-logs over simulated S3 (20 ms per GET)
 *   npm run bench -- --only startup --runs 9
 *   npm run bench -- --only scale                   through the CLI: 1,000 and 10,000 accounts in every format
 *   npm run bench -- --only scale --compare         ... and each size's formats on one thread too (--workers 1)
 *   npm run bench -- --only scale --large           ... and 100,000 accounts (JSON+SARIF+HTML; ~1.4 GB of
 *                                                   snapshot, gzipped on disk, and minutes of generation)
 *   npm run bench -- --only trend                   report trend over 365 daily reports of 1,000 accounts
 *   npm run bench -- --only trend --trend-days 30 --trend-accounts 100
 *   npm run bench -- --only instructions            instructions executed (valgrind callgrind) at 1,000 accounts,
 *                                                   -f md and every format; immune to the machine's load
 *   npm run bench -- --only instructions --against ../other-checkout --runs 2    ... and a ratio to another build
 *
 * Flags: --accounts N[,N...] (sizes; default evaluate 100,1000,10000, collect 1000, faults 300),
 * --only evaluate|collect|faults|verify|startup|trend|scale|instructions, --large (scale: add 100,000 accounts), --trend-days N (default 365),
 * --trend-accounts N (default 1000), --runs N (start-up runs per command, default 7; instructions: rounds,
 * default 1), --against ROOT (instructions: another checkout with dist/ built, run alternately),
 * --transport http|in-process (collection: the fake HTTP endpoint with per-region lognormal latency,
 * or send() stubbed; default http), --latency-scale X (multiplies the HTTP latencies; default 1),
 * --compare (collection: also the "before" run, each SDK client its own connections and no
 * Organizations pacing; scale: also every report format on one thread, `--workers 1`), --no-detective (collection: config.yaml collection.detective false, no
 * LookupEvents), --latency-ms MS (in-process round trip and the fault bench's, default
 * 50), --seed S (default 42), --dir DIR (where
 * snapshots and reports go; default a temporary folder, removed after).
 *
 * Every measurement runs in its own child process, so peak RSS is that size's own. The output
 * ends with one line per measurement, comparable across commits:
 *   bench <name> accounts=<N> wall_s=<x> cpu_s=<x> rss_mb=<x> calls=<n> bound_ratio=<x>
 *   bench startup command=<cmd> median_s=<x> node_s=<x> ratio=<x>
 * `npm run bench` builds dist/ first: the start-up figures are the compiled CLI's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listFormatters } from '../../src/report/registry.ts';
import { benchInstructions } from './instructions.ts';
import { benchStartup } from './startup.ts';

interface Flags {
  evaluateSizes: number[];
  collectSizes: number[];
  faultSizes: number[];
  only?: 'evaluate' | 'collect' | 'faults' | 'verify' | 'startup' | 'trend' | 'scale' | 'instructions';
  scaleSizes: number[];
  instructionSizes: number[];
  /** Whether --runs was given (instructions default to one round, start-up to 7 runs). */
  runsGiven: boolean;
  against?: string;
  trendDays: number;
  trendAccounts: number;
  runs: number;
  latencyMs: number;
  transport: 'http' | 'in-process';
  latencyScale: number;
  compare: boolean;
  detective: boolean;
  seed: number;
  dir?: string;
}

const ONLY = ['evaluate', 'collect', 'faults', 'verify', 'startup', 'trend', 'scale', 'instructions'] as const;

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { evaluateSizes: [100, 1_000, 10_000], collectSizes: [1_000], faultSizes: [300], scaleSizes: [1_000, 10_000], instructionSizes: [1_000], runsGiven: false, runs: 7, latencyMs: 50, transport: 'http', latencyScale: 1, compare: false, detective: true, seed: 42, trendDays: 365, trendAccounts: 1_000 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined) fail(`${name} needs a value`);
      i++;
      return value!;
    };
    switch (name) {
      case '--accounts': {
        const sizes = need().split(',').map((s) => Number(s.replace(/_/g, '')));
        if (sizes.some((s) => !Number.isInteger(s) || s < 3)) fail(`--accounts ${value}: expected whole numbers of at least 3`);
        flags.evaluateSizes = flags.collectSizes = flags.faultSizes = flags.scaleSizes = flags.instructionSizes = sizes;
        break;
      }
      case '--only': {
        const only = need();
        if (!ONLY.includes(only as never)) fail(`--only ${only}: expected ${ONLY.slice(0, -1).join(', ')} or ${ONLY.at(-1)}`);
        flags.only = only as Flags['only'];
        break;
      }
      case '--large':
        flags.scaleSizes = [...new Set([...flags.scaleSizes, 100_000])];
        break;
      case '--runs':
        flags.runs = Number(need());
        if (!Number.isInteger(flags.runs) || flags.runs < 1) fail('--runs: expected a whole number of at least 1');
        flags.runsGiven = true;
        break;
      case '--against':
        flags.against = need();
        break;
      case '--latency-ms':
        flags.latencyMs = Number(need());
        if (!(flags.latencyMs >= 0)) fail('--latency-ms: expected a number of milliseconds');
        break;
      case '--transport': {
        const t = need();
        if (t !== 'http' && t !== 'in-process') fail(`--transport ${t}: expected http or in-process`);
        flags.transport = t as Flags['transport'];
        break;
      }
      case '--latency-scale':
        flags.latencyScale = Number(need());
        if (!(flags.latencyScale >= 0)) fail('--latency-scale: expected a number of at least 0');
        break;
      case '--compare':
        flags.compare = true;
        break;
      case '--no-detective':
        flags.detective = false;
        break;
      case '--seed':
        flags.seed = Number(need());
        break;
      case '--trend-days':
        flags.trendDays = Number(need());
        if (!Number.isInteger(flags.trendDays) || flags.trendDays < 2) fail(`--trend-days ${value}: expected a whole number of at least 2`);
        break;
      case '--trend-accounts':
        flags.trendAccounts = Number(need());
        if (!Number.isInteger(flags.trendAccounts) || flags.trendAccounts < 3) fail(`--trend-accounts ${value}: expected a whole number of at least 3`);
        break;
      case '--dir':
        flags.dir = need();
        break;
      default:
        fail(`unknown flag ${name}; see the top of test/bench/run.ts`);
    }
  }
  return flags;
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Runs a bench child; its "RESULT {json}" line is the measurement. */
function child<T>(script: string, args: string[]): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const line = run.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (run.status !== 0 || !line) fail(`${script} ${args.join(' ')} failed (exit ${run.status ?? run.signal})`);
  return JSON.parse(line.slice('RESULT '.length)) as T;
}

interface EvaluateResult {
  wall_s: number;
  cpu_s: number;
  rss_mb: number;
  accounts: number;
  verdicts: number;
  rules: number;
  reportBytes: number;
}

interface CollectResult {
  wall_s: number;
  cpu_s: number;
  rss_mb: number;
  transport: 'http' | 'in-process';
  accounts: number;
  regions: number;
  calls: number;
  cpu_ms_per_call: number;
  throttled: number;
  organizationsThrottled: number;
  connections?: number;
  meanLatencyMs: number;
  byOperation: Record<string, number>;
  bound_s: number;
  bound_ratio: number;
  phased_s: number;
  boundExplain: string[];
  matchesGenerator: string;
  throttledErrors: number;
}

const lines: string[] = [];
const say = (text = '') => process.stdout.write(`${text}\n`);
const fmt = (x: number, digits = 2) => x.toFixed(digits);

function benchEvaluate(sizes: number[], flags: Flags, dir: string): Map<number, EvaluateResult> {
  const results = new Map<number, EvaluateResult>();
  say('== evaluation: scan --snapshot FILE --format json,sarif, every built-in rule ==');
  for (const n of sizes) {
    const file = join(dir, `org-${n}.snapshot.jsonl`);
    child('generate-child.ts', [String(n), String(flags.seed), file]);
    const r = child<EvaluateResult>('evaluate-child.ts', [file, join(dir, `reports-${n}`)]);
    results.set(n, r);
    say(`${String(n).padStart(6)} accounts (${r.accounts} in scope): ${fmt(r.wall_s)} s wall, ${fmt(r.cpu_s)} s CPU, peak RSS ${fmt(r.rss_mb, 0)} MB; ${r.verdicts} verdicts from ${r.rules} rules, ${(r.reportBytes / 1e6).toFixed(1)} MB of reports`);
    lines.push(`bench evaluate accounts=${n} wall_s=${fmt(r.wall_s)} cpu_s=${fmt(r.cpu_s)} rss_mb=${fmt(r.rss_mb, 0)}`);
  }
  const small = results.get(1_000);
  const large = results.get(10_000);
  if (small && large) {
    const wall = large.wall_s / small.wall_s;
    const cpu = large.cpu_s / small.cpu_s;
    say(`growth 1,000 → 10,000 accounts: wall ×${fmt(wall)}, CPU ×${fmt(cpu)}, peak RSS ×${fmt(large.rss_mb / small.rss_mb)} (target ≤ ×11)`);
    lines.push(`bench evaluate-growth accounts=10000 wall_s=${fmt(wall)} cpu_s=${fmt(cpu)}`);
  }
  say();
  return results;
}

function benchCollect(sizes: number[], flags: Flags, dir: string): void {
  const http = flags.transport === 'http';
  say(
    http
      ? `== collection over HTTP against the fake endpoint (own process): real SDK serialisation, SigV4, keep-alive, XML/JSON parsing; per-region lognormal latency ×${flags.latencyScale}; AWS-like quotas; default concurrency${flags.detective ? '' : '; detective controls off'} ==`
      : `== collection against the in-process simulated AWS (send stubbed): ${flags.latencyMs} ms per call, AWS-like quotas, default concurrency ==`,
  );
  const run = (n: number, share: boolean, pace: boolean) =>
    child<CollectResult>('collect-child.ts', [
      String(n), String(flags.seed), join(dir, `collected-${n}.snapshot.jsonl.gz`), flags.transport,
      String(http ? flags.latencyScale : flags.latencyMs), share ? '1' : '0', pace ? '1' : '0', flags.detective ? '1' : '0',
    ]);
  const connections = (r: CollectResult) => (r.connections === undefined ? '' : `; ${r.connections} connections opened`);
  for (const n of sizes) {
    const r = run(n, true, true);
    say(`${n} accounts × ${r.regions} regions: ${fmt(r.wall_s)} s wall, ${fmt(r.cpu_s)} s CPU (${fmt(r.cpu_ms_per_call, 3)} ms per call), peak RSS ${fmt(r.rss_mb, 0)} MB; mean latency ${fmt(r.meanLatencyMs, 0)} ms`);
    say(`  ${r.calls} calls, ${r.throttled} throttled and retried (Organizations: ${r.organizationsThrottled}), ${r.throttledErrors} left failed by throttling${connections(r)}; by operation:`);
    for (const [op, count] of Object.entries(r.byOperation)) say(`    ${op.padEnd(48)} ${String(count).padStart(7)}  (${fmt(count / r.accounts)} per account)`);
    for (const line of r.boundExplain) say(`  ${line}`);
    say(`  wall / lower bound = ${fmt(r.wall_s)} / ${fmt(r.bound_s)} = ${fmt(r.bound_ratio)} (target ≤ 1.3); wall / phased bound = ${fmt(r.wall_s / r.phased_s)}`);
    say(`  collected snapshot equals the generator's: ${r.matchesGenerator}`);
    lines.push(
      `bench collect accounts=${n} transport=${r.transport}${flags.detective ? '' : ' detective=off'} wall_s=${fmt(r.wall_s)} cpu_s=${fmt(r.cpu_s)} cpu_ms_per_call=${fmt(r.cpu_ms_per_call, 3)} rss_mb=${fmt(r.rss_mb, 0)} ` +
        `calls=${r.calls} connections=${r.connections ?? 'n/a'} organizations_throttled=${r.organizationsThrottled} bound_ratio=${fmt(r.bound_ratio)}`,
    );
    if (flags.compare) {
      const before = run(n, false, false);
      say(`  before (each SDK client its own connections, Organizations not paced): ${fmt(before.wall_s)} s wall, ${fmt(before.cpu_ms_per_call, 3)} ms CPU per call, ` +
        `${before.calls} calls, Organizations throttled ${before.organizationsThrottled}${connections(before)}, bound ratio ${fmt(before.bound_ratio)}`);
      lines.push(`bench collect-before accounts=${n} wall_s=${fmt(before.wall_s)} cpu_ms_per_call=${fmt(before.cpu_ms_per_call, 3)} connections=${before.connections ?? 'n/a'} organizations_throttled=${before.organizationsThrottled}`);
    }
  }
  say();
}

type FaultResult = Record<string, number | string> & { wall_s: number; cpu_s: number; rss_mb: number; collect_s: number; evaluate_s: number };

function benchFaults(sizes: number[], flags: Flags, dir: string): void {
  say(`== a scan under injected faults (fault-injection.ts): 20 % of members AssumeRole denied, 5 % of calls throttled on every attempt (3 attempts, 1 ms pauses), ${flags.latencyMs} ms per call ==`);
  for (const n of sizes) {
    for (const malformed of [false, true]) {
      const r = child<FaultResult>('fault-child.ts', [String(n), String(flags.seed), String(flags.latencyMs), malformed ? '1' : '0', dir]);
      const shapes = Object.entries(r).filter(([k]) => k.startsWith('malformed_')).map(([k, v]) => `${v} ${k.slice('malformed_'.length).replace(/_/g, ' ')}`);
      say(`${n} accounts (${r.in_scope} in scope), malformed answers ${malformed ? 'on (1 %)' : 'off'}:`);
      say(`  injected: ${r.assume_role_denied} AssumeRole denied, ${r.throttled_out} calls throttled out, ${r.malformed} answers malformed${shapes.length > 0 ? ` (${shapes.join(', ')})` : ''}`);
      say(`  verdicts: ${r.verdicts} = ${r.pass} PASS + ${r.fail} FAIL + ${r.error} ERROR + ${r.not_applicable} NOT_APPLICABLE; ${r.collection_errors} collection errors recorded`);
      say(`  ${fmt(r.wall_s)} s wall (collect ${fmt(r.collect_s)} s, evaluate ${fmt(r.evaluate_s)} s), ${fmt(r.cpu_s)} s CPU, peak RSS ${fmt(r.rss_mb, 0)} MB; exit code ${r.exit_code}`);
      const exit = typeof r.exit_code === 'number' ? String(r.exit_code) : 'aborted';
      lines.push(
        `bench faults accounts=${n} malformed=${malformed ? 'on' : 'off'} denied=${r.assume_role_denied} throttled_out=${r.throttled_out} malformed_answers=${r.malformed} ` +
          `verdicts=${r.verdicts} pass=${r.pass} fail=${r.fail} error=${r.error} not_applicable=${r.not_applicable} wall_s=${fmt(r.wall_s)} exit=${exit}`,
      );
    }
  }
  say();
}

interface VerifyRun {
  wall_s: number;
  digests: number;
  logs: number;
  bytes: number;
}

/** verify-logs: the chain is sequential per trail-region, so the win is trail-regions side by side and objects fetched ahead. */
function benchVerify(): void {
  const latency = 20;
  say(`== verify-logs against simulated S3: ${latency} ms per GET and list page, 8 trail-regions × 12 hours × 3 logs/hour ==`);
  const r = child<{ targets: number; parallel: VerifyRun; sequential: VerifyRun }>('verify-logs-child.ts', ['8', '12', '3', String(latency)]);
  const rate = (v: VerifyRun) => `${fmt(v.digests / v.wall_s, 1)} digests/s, ${fmt(v.bytes / 1e6 / v.wall_s)} log MB/s`;
  say(`parallel (8 trail-regions, 32 objects in flight): ${fmt(r.parallel.wall_s)} s, ${r.parallel.digests} digests, ${r.parallel.logs} logs (${fmt(r.parallel.bytes / 1e6)} MB): ${rate(r.parallel)}`);
  say(`one at a time (like validate-logs):             ${fmt(r.sequential.wall_s)} s: ${rate(r.sequential)}`);
  say(`speed-up ×${fmt(r.sequential.wall_s / r.parallel.wall_s)}`);
  lines.push(
    `bench verify-logs targets=${r.targets} digests_per_s=${fmt(r.parallel.digests / r.parallel.wall_s, 1)} log_mb_per_s=${fmt(r.parallel.bytes / 1e6 / r.parallel.wall_s)} sequential_ratio=${fmt(r.sequential.wall_s / r.parallel.wall_s)}`,
  );
  say();
}

interface CliRun {
  wall_s: number;
  cpu_s: number;
  rss_mb: number;
  exitCode: number;
  compiled: boolean;
  reportFiles: number;
  reportBytes: number;
}

/** The issue's targets (#16), on the 2-core machine. */
const SCALE_TARGETS = { allFormats10k: { wall_s: 5, rss_mb: 600 }, trio100k: { wall_s: 45, rss_mb: 1024 }, growth: 10.5 };
const TRIO = 'json,sarif,html';

/**
 * Scale through the CLI: per size, the floor (read + gunzip + JSON.parse of every line, once),
 * JSON+SARIF+HTML, and every format up to 10,000 accounts; figures and ratios, never asserted.
 * Each run also prints its output floor (its report bytes at the machine's native JSON
 * serialisation rate, output-floor-child.ts): a target below read + output floor cannot be met by
 * any implementation on one core.
 */
function benchScale(sizes: number[], flags: Flags, dir: string): void {
  const every = listFormatters().map((f) => f.name).join(',');
  say(`== scale through the CLI: evaluate SNAPSHOT --format F (targets: 10,000 accounts in every format < ${SCALE_TARGETS.allFormats10k.wall_s} s and < ${SCALE_TARGETS.allFormats10k.rss_mb} MB; 100,000 in ${TRIO} < ${SCALE_TARGETS.trio100k.wall_s} s and < ${SCALE_TARGETS.trio100k.rss_mb} MB; growth 10k → 100k ≤ ×${SCALE_TARGETS.growth}) ==`);
  const trio = new Map<number, CliRun>();
  const run = (n: number, file: string, formats: string, label: string, floor: number, writeRate: number, ...cliArgs: string[]) => {
    const r = child<CliRun>('cli-child.ts', [file, join(dir, `scale-${n}-${label}`), formats, ...cliArgs]);
    const exit = r.exitCode === 4 || r.exitCode === 2 ? ` EXIT ${r.exitCode}: a format failed, the others were written (see stderr)` : '';
    // The read floor plus the time to serialise and write the same bytes natively: no evaluation
    // that reads the snapshot once and writes these reports can use less CPU.
    const outputFloor = r.reportBytes / 1e6 / writeRate;
    say(`  ${label.padEnd(11)} ${fmt(r.wall_s).padStart(7)} s wall (×${fmt(r.wall_s / floor, 1)} the floor), ${fmt(r.cpu_s)} s CPU, peak RSS ${fmt(r.rss_mb, 0)} MB; ${r.reportFiles} files, ${(r.reportBytes / 1e6).toFixed(1)} MB${r.compiled ? '' : ' (from source: dist/ missing)'}${exit}`);
    say(`  ${''.padEnd(11)} output floor ${fmt(outputFloor)} s CPU (those MB at ${fmt(writeRate, 0)} MB/s); read + output floor ${fmt(floor + outputFloor)} s CPU on one core, ${fmt((floor + outputFloor) / 2)} s on two: wall ×${fmt(r.wall_s / (floor + outputFloor), 1)}, CPU ×${fmt(r.cpu_s / (floor + outputFloor), 1)} the one-core floor`);
    lines.push(`bench scale accounts=${n} formats=${label} wall_s=${fmt(r.wall_s)} cpu_s=${fmt(r.cpu_s)} rss_mb=${fmt(r.rss_mb, 0)} report_mb=${fmt(r.reportBytes / 1e6, 0)} floor_ratio=${fmt(r.wall_s / floor, 1)} output_floor_s=${fmt(outputFloor)} read_output_floor_ratio=${fmt(r.wall_s / (floor + outputFloor), 1)} exit=${r.exitCode}`);
    return r;
  };
  for (const n of sizes) {
    const file = join(dir, n >= 100_000 ? `org-${n}.snapshot.jsonl.gz` : `org-${n}.snapshot.jsonl`);
    child('generate-child.ts', [String(n), String(flags.seed), file]);
    const floor = child<{ wall_s: number; records: number }>('floor-child.ts', [file]);
    say(`${String(n).padStart(7)} accounts: floor (read${file.endsWith('.gz') ? ' + gunzip' : ''} + JSON.parse of ${floor.records} lines, once) ${fmt(floor.wall_s)} s`);
    const writing = child<{ pretty_mb_per_cpu_s: number; compact_mb_per_cpu_s: number }>('output-floor-child.ts', [file, join(dir, `output-floor-${n}.tmp`)]);
    // The faster of the two rates, so the output floor stays a lower bound whatever the mix of formats.
    const writeRate = Math.max(writing.pretty_mb_per_cpu_s, writing.compact_mb_per_cpu_s);
    say(`${''.padEnd(16)}output floor: V8's JSON.stringify + write of the snapshot's own records: ${fmt(writing.pretty_mb_per_cpu_s, 0)} MB per CPU second 2-space, ${fmt(writing.compact_mb_per_cpu_s, 0)} compact`);
    lines.push(`bench scale-floor accounts=${n} wall_s=${fmt(floor.wall_s)} write_mb_per_cpu_s=${fmt(writeRate, 0)}`);
    // Markdown's report costs ~0.4 s at 10,000 accounts: this run is the evaluation, so the time a
    // target leaves for writing its formats is visible beside it.
    const evaluation = run(n, file, 'md', 'evaluation', floor.wall_s, writeRate);
    const leftFor = (target: number, formats: string) =>
      say(`  ${''.padEnd(11)} a target of ${target} s for ${formats} leaves ${fmt(target - evaluation.wall_s)} s after the evaluation (-f md, ${fmt(evaluation.wall_s)} s)`);
    const threaded = run(n, file, TRIO, 'json+sarif+html', floor.wall_s, writeRate);
    trio.set(n, threaded);
    // By default accounts are judged on two threads from 2,000 to 30,000 accounts (evaluate/parallel.ts) and the formats written on every core when the verdicts are spooled (report/write-threads.ts); --workers 1 keeps both on one thread.
    if (flags.compare) compareThreads(threaded, run(n, file, TRIO, 'trio 1 thr', floor.wall_s, writeRate, '--workers', '1'));
    if (n <= 10_000) {
      const all = run(n, file, every, 'all', floor.wall_s, writeRate);
      if (flags.compare) compareThreads(all, run(n, file, every, 'all 1 thr', floor.wall_s, writeRate, '--workers', '1'));
      if (n === 10_000) leftFor(SCALE_TARGETS.allFormats10k.wall_s, 'every format');
      if (n === 10_000) say(`  every format at 10,000 accounts: ${fmt(all.wall_s)} s (target < ${SCALE_TARGETS.allFormats10k.wall_s} s: ×${fmt(all.wall_s / SCALE_TARGETS.allFormats10k.wall_s)}), ${fmt(all.rss_mb, 0)} MB (target < ${SCALE_TARGETS.allFormats10k.rss_mb} MB: ×${fmt(all.rss_mb / SCALE_TARGETS.allFormats10k.rss_mb)})`);
    }
    if (n === 100_000) {
      const r = trio.get(n)!;
      leftFor(SCALE_TARGETS.trio100k.wall_s, TRIO);
      say(`  ${TRIO} at 100,000 accounts: ${fmt(r.wall_s)} s (target < ${SCALE_TARGETS.trio100k.wall_s} s: ×${fmt(r.wall_s / SCALE_TARGETS.trio100k.wall_s)}), ${fmt(r.rss_mb, 0)} MB (target < ${SCALE_TARGETS.trio100k.rss_mb} MB: ×${fmt(r.rss_mb / SCALE_TARGETS.trio100k.rss_mb)})`);
    }
  }
  const small = trio.get(10_000);
  const large = trio.get(100_000);
  if (small && large) {
    say(`growth 10,000 → 100,000 accounts (${TRIO}): wall ×${fmt(large.wall_s / small.wall_s)} (target ≤ ×${SCALE_TARGETS.growth}), CPU ×${fmt(large.cpu_s / small.cpu_s)}, peak RSS ×${fmt(large.rss_mb / small.rss_mb)}`);
    lines.push(`bench scale-growth accounts=100000 wall_ratio=${fmt(large.wall_s / small.wall_s)} rss_ratio=${fmt(large.rss_mb / small.rss_mb)}`);
  }
  say();
}

/** The default (judging and report threads) against `--workers 1`: ratios, never asserted. */
function compareThreads(threaded: CliRun, single: CliRun): void {
  say(`  ${''.padEnd(11)} threads (default) against --workers 1: wall ×${fmt(threaded.wall_s / single.wall_s)}, CPU ×${fmt(threaded.cpu_s / single.cpu_s)}, peak RSS ×${fmt(threaded.rss_mb / single.rss_mb)}`);
}

/**
 * report trend over a year of daily reports: a real 1,000-account report (generated organization,
 * every rule) derived into one report per day, then read back by `report trend` in one process.
 * The floor printed beside it is reading those bytes once (a trend cannot read less).
 */
function benchTrend(flags: Flags, dir: string): void {
  const accounts = flags.trendAccounts;
  const days = flags.trendDays;
  say(`== report trend: ${days} daily JSON reports of a ${accounts.toLocaleString('en-US')}-account organization, all formats ==`);
  const snapshot = join(dir, `org-${accounts}.snapshot.jsonl`);
  const base = join(dir, `reports-${accounts}`);
  child('generate-child.ts', [String(accounts), String(flags.seed), snapshot]);
  child<EvaluateResult>('evaluate-child.ts', [snapshot, base]);
  const series = join(dir, `trend-series-${accounts}x${days}`);
  const g = child<{ reports: number; verdicts: number; bytes: number }>('trend-child.ts', ['generate', join(base, 'trailproof.json'), String(days), series]);
  const r = child<{ wall_s: number; cpu_s: number; rss_mb: number; floor_s: number; failures: number; written: number }>('trend-child.ts', ['measure', series, join(dir, 'trend-out')]);
  say(`${g.reports} reports × ${g.verdicts} verdicts (${fmt(g.bytes / 1e9)} GB): ${fmt(r.wall_s)} s wall, ${fmt(r.cpu_s)} s CPU, peak RSS ${fmt(r.rss_mb, 0)} MB; ${r.failures} failure episodes; ${fmt(r.written / 1e6)} MB written`);
  say(`floor (read every byte once): ${fmt(r.floor_s)} s; wall / floor = ${fmt(r.wall_s / r.floor_s)}; ${fmt(g.bytes / 1e6 / r.wall_s, 0)} MB/s`);
  lines.push(`bench trend accounts=${accounts} reports=${g.reports} gb=${fmt(g.bytes / 1e9)} wall_s=${fmt(r.wall_s)} cpu_s=${fmt(r.cpu_s)} rss_mb=${fmt(r.rss_mb, 0)} floor_ratio=${fmt(r.wall_s / r.floor_s)}`);
  rmSync(series, { recursive: true, force: true });
  say();
}

const flags = parseFlags(process.argv.slice(2));
const dir = flags.dir ?? mkdtempSync(join(tmpdir(), 'trailproof-bench-'));
mkdirSync(dir, { recursive: true });
try {
  say(`trailproof bench (node ${process.version}, seed ${flags.seed}, files in ${dir})`);
  say();
  if (flags.only === undefined || flags.only === 'startup') {
    const startup = benchStartup(flags.runs, dir, (snapshot, outDir) => child<EvaluateResult>('evaluate-child.ts', [snapshot, outDir]));
    for (const line of startup.text) say(line);
    say();
    lines.push(...startup.lines);
  }
  if (flags.only === undefined || flags.only === 'evaluate') benchEvaluate(flags.evaluateSizes, flags, dir);
  if (flags.only === undefined || flags.only === 'scale') benchScale(flags.scaleSizes, flags, dir);
  if (flags.only === undefined || flags.only === 'collect') benchCollect(flags.collectSizes, flags, dir);
  if (flags.only === undefined || flags.only === 'faults') benchFaults(flags.faultSizes, flags, dir);
  if (flags.only === undefined || flags.only === 'verify') benchVerify();
  if (flags.only === undefined || flags.only === 'trend') benchTrend(flags, dir);
  // Minutes under valgrind: only when asked for.
  if (flags.only === 'instructions') {
    for (const n of flags.instructionSizes) {
      const snapshot = join(dir, `org-${n}.snapshot.jsonl`);
      child('generate-child.ts', [String(n), String(flags.seed), snapshot]);
      const every = listFormatters().map((f) => f.name).join(',');
      const counted = benchInstructions(snapshot, n, every, flags.runsGiven ? flags.runs : 1, dir, flags.against);
      for (const line of counted.text) say(line);
      say();
      lines.push(...counted.lines);
    }
  }
  for (const line of lines) say(line);
} finally {
  if (!flags.dir) rmSync(dir, { recursive: true, force: true });
}
