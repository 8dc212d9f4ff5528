/**
 * The synthetic organization behind the fake HTTP endpoint (test/fixtures/fake-aws-server/), in a
 * process of its own so the collector's CPU and memory are measured alone: per-region lognormal
 * latency (latency.ts) and AWS-like quotas (simulated-aws.ts's token buckets) on every request.
 * Talks to its parent over IPC: sends { url } when listening; answers "stats" with what the
 * endpoint saw; exits on "close".
 * Usage (spawned by collect-child.ts): aws-server-child.ts ACCOUNTS SEED LATENCY_SCALE
 */
import { startFakeAwsServer } from '../fixtures/fake-aws-server/server.ts';
import { generateOrg, MEMBER_ROLE } from './generate-org.ts';
import { lognormalLatency } from './latency.ts';
import { ORGANIZATIONS_PAGE, QuotaBuckets, type Family } from './simulated-aws.ts';
import { BENCH_PROFILE, type ServerStats } from './endpoint-stats.ts';

const [n, seed, scale] = process.argv.slice(2);
if (!n || !seed || !process.send) throw new Error('usage: spawned with IPC by collect-child.ts: aws-server-child.ts ACCOUNTS SEED [LATENCY_SCALE]');
const org = generateOrg({ accounts: Number(n), seed: Number(seed) });
const quotas = new QuotaBuckets();
const latency = lognormalLatency(Number(seed), Number(scale ?? 1));
const admitted = new Map<string, number>();
const server = await startFakeAwsServer({
  profile: BENCH_PROFILE,
  world: org,
  memberRoleName: MEMBER_ROLE,
  pageSize: ORGANIZATIONS_PAGE,
  recordRequests: false,
  traffic: {
    delayMs: (service, _operation, region) => latency.draw(service, region),
    admit: (service, operation, accountId, region) => {
      const ok = quotas.admit(service as Family, accountId, region, performance.now());
      if (ok) admitted.set(`${service}:${operation}`, (admitted.get(`${service}:${operation}`) ?? 0) + 1);
      return ok;
    },
  },
});
process.send({ url: server.url });
process.on('message', (message) => {
  if (message === 'stats') {
    const stats: ServerStats = {
      counts: Object.fromEntries(server.counts),
      admittedByOperation: Object.fromEntries(admitted),
      traffic: [...quotas.traffic.values()],
      connections: server.connections(),
      meanLatencyMs: latency.meanMs,
    };
    process.send!(stats);
  } else if (message === 'close') {
    void server.close().then(() => process.exit(0));
  }
});
