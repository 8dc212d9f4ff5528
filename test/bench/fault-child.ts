/**
 * One scan under injected faults (fault-scan.ts), alone in its process: what was injected, what
 * the verdicts became, and the exit code the CLI would return. Retries are the collector's own
 * (adaptive strategy) with 3 attempts and 1 ms pauses, so a throttled-out call costs 3 round trips.
 * Usage: node --import tsx test/bench/fault-child.ts ACCOUNTS SEED LATENCY_MS MALFORMED(0|1) DIR
 */
import { faultFigures, runFaultScan } from './fault-scan.ts';
import { report, startMeasure } from './measure.ts';

const BENCH_MAX_ATTEMPTS = 3;

const [n, seed, latency, malformed, dir] = process.argv.slice(2);
if (!n || !seed || !latency || !malformed || !dir) throw new Error('usage: fault-child.ts ACCOUNTS SEED LATENCY_MS MALFORMED(0|1) DIR');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
delete process.env.AWS_ENDPOINT_URL;
delete process.env.AWS_ENDPOINT_URL_S3;

const done = startMeasure();
const scan = await runFaultScan({ accounts: Number(n), seed: Number(seed), latencyMs: Number(latency), maxAttempts: BENCH_MAX_ATTEMPTS, malformed: malformed === '1', dir });
report({ ...done(), ...faultFigures(scan), collect_s: scan.collectSeconds, evaluate_s: scan.evaluateSeconds });
