/**
 * Bench child: verify-logs over simulated S3 buckets (every GET and list page waits the given
 * latency), once with the default parallelism and once one object at a time like
 * `aws cloudtrail validate-logs`. Prints RESULT {json}.
 *   node --import tsx test/bench/verify-logs-child.ts <trail-regions> <hours> <logs-per-hour> <latency-ms>
 */
import { verifyTargets, type VerifyOptions } from '../../src/collect/integrity/run.ts';
import type { IntegritySource } from '../../src/collect/integrity/source.ts';
import type { IntegrityTarget } from '../../src/snapshot/log-integrity.ts';
import { TEST_TARGET, World } from '../fixtures/integrity/world.ts';

const [targetsArg = '8', hoursArg = '12', logsArg = '3', latencyArg = '20'] = process.argv.slice(2);
const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const worlds = Array.from({ length: Number(targetsArg) }, (_, i) => {
  const target: IntegrityTarget = { ...TEST_TARGET, accountId: String(100000000000 + Math.floor(i / regions.length)), region: regions[i % regions.length]! };
  const w = new World({ target, hours: Number(hoursArg), logsPerHour: () => Number(logsArg), eventsPerLog: 2000 });
  w.latencyMs = Number(latencyArg);
  return w;
});
const byTarget = new Map(worlds.map((w) => [`${w.target.accountId}/${w.target.region}`, w]));
const world = (t: IntegrityTarget) => byTarget.get(`${t.accountId}/${t.region}`)!;
const source: IntegritySource = {
  list: (t, prefix) => world(t).list(t, prefix),
  get: (t, key) => world(t).get(t, key),
  publicKeys: () => worlds[0]!.publicKeys(),
  trailStatus: (t) => world(t).trailStatus(),
};

async function run(targetConcurrency: number, objectConcurrency: number) {
  let digests = 0;
  let logs = 0;
  let bytes = 0;
  const options: VerifyOptions = {
    window: worlds[0]!.window,
    now: worlds[0]!.now,
    hashLogs: { mode: 'all' },
    sampleSeed: 'bench',
    maxDigestAgeHours: 3,
    targetConcurrency,
    objectConcurrency,
    onProgress: (e) => {
      if (e.type !== 'object') return;
      if (e.kind === 'digest') digests++;
      else logs++;
      bytes += e.bytes;
    },
  };
  const started = performance.now();
  const reports = await verifyTargets(source, worlds.map((w) => w.target), options);
  const wall = (performance.now() - started) / 1000;
  if (reports.some((r) => r.outcome !== 'verified')) throw new Error('the simulated buckets did not verify');
  return { wall_s: wall, digests, logs, bytes };
}

const parallel = await run(8, 32);
const sequential = await run(1, 1);
process.stdout.write(`RESULT ${JSON.stringify({ targets: worlds.length, latencyMs: Number(latencyArg), parallel, sequential })}\n`);
