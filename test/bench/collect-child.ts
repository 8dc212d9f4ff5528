/**
 * One collection measurement, alone in its process: the real collector (src/collect) with its
 * default concurrency, adaptive retry and Organizations pacing, through real SDK clients, against
 *   http        the fake HTTP endpoint answering the synthetic organization (aws-server-child.ts,
 *               its own process): real serialisation, SigV4, HTTP keep-alive, XML/JSON parsing,
 *               per-region lognormal latency, AWS-like quotas; or
 *   in-process  simulated-aws.ts (send stubbed, fixed latency): the same world without the wire.
 * Afterwards (not timed) the collected snapshot is compared line by line with the one the
 * generator writes for the same organization: the two must agree, which checks the transport,
 * the generator and the collector against each other.
 * Usage: node --import tsx test/bench/collect-child.ts ACCOUNTS SEED OUT_FILE http LATENCY_SCALE SHARE_CONNECTIONS(1|0) PACE_ORGANIZATIONS(1|0) [DETECTIVE(1|0)]
 *        node --import tsx test/bench/collect-child.ts ACCOUNTS SEED OUT_FILE in-process LATENCY_MS
 */
import { fork } from 'node:child_process';
import { collectToFile } from '../../src/collect/index.ts';
import { defaultClientFactory, type ClientFactory } from '../../src/collect/clients.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { stableJson } from '../../src/snapshot/write.ts';
import { collectErrors } from '../../src/model/errors.ts';
import type { AccountRecord, SnapshotHeader } from '../../src/snapshot/types.ts';
import { BENCH_PROFILE, type ServerStats } from './endpoint-stats.ts';
import { lowerBound } from './bound.ts';
import { generateOrg } from './generate-org.ts';
import { report, startMeasure } from './measure.ts';
import { snapshotHeader, snapshotRecords } from './org-snapshot.ts';
import { QuotaBuckets, SimulatedAws } from './simulated-aws.ts';

const [n, seed, file, transport, latency, share, pace, detective] = process.argv.slice(2);
if (!n || !seed || !file || (transport !== 'http' && transport !== 'in-process') || !latency) {
  throw new Error('usage: collect-child.ts ACCOUNTS SEED OUT_FILE http|in-process LATENCY [SHARE_CONNECTIONS]');
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
delete process.env.AWS_ENDPOINT_URL;
delete process.env.AWS_ENDPOINT_URL_S3;

const org = generateOrg({ accounts: Number(n), seed: Number(seed) });
// DETECTIVE=0: without the detective controls (config.yaml collection.detective: false), whose paced LookupEvents are ~60 % of the calls.
const config = detective === '0' ? { ...DEFAULT_CONFIG, collection: { ...DEFAULT_CONFIG.collection, detective: false } } : DEFAULT_CONFIG;

/** What the endpoint saw, whichever transport answered. */
interface Seen extends Omit<ServerStats, 'connections'> {
  connections?: number;
}

async function overHttp(): Promise<{ factory: ClientFactory; stats(): Promise<Seen>; close(): void }> {
  const server = fork(new URL('./aws-server-child.ts', import.meta.url), [n!, seed!, latency!], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('message', (m) => resolve((m as { url: string }).url));
    server.once('exit', (code) => reject(new Error(`aws-server-child exited with ${code}`)));
  });
  return {
    factory: defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, credentials: async () => BENCH_PROFILE, endpointUrl: url, shareConnections: share !== '0' }),
    stats: () =>
      new Promise((resolve) => {
        server.once('message', (m) => resolve(m as ServerStats));
        server.send('stats');
      }),
    close: () => server.send('close'),
  };
}

async function inProcess(): Promise<{ factory: ClientFactory; stats(): Promise<Seen>; close(): void }> {
  const aws = new SimulatedAws(org, { latencyMs: Number(latency) });
  aws.install();
  return {
    factory: aws.clientFactory(config.collection.callTimeoutMs),
    stats: async () => {
      const counts: Seen['counts'] = {};
      for (const [op, calls] of aws.callsByOperation) counts[op] = { calls, throttled: calls - (aws.admittedByOperation.get(op) ?? 0) };
      return { counts, admittedByOperation: Object.fromEntries(aws.admittedByOperation), traffic: [...aws.traffic.values()], meanLatencyMs: Number(latency) };
    },
    close: () => aws.restore(),
  };
}

const endpoint = transport === 'http' ? await overHttp() : await inProcess();
const done = startMeasure();
// pace=0 is the collector without client-side pacing of Organizations (the bench's "before").
const retry = pace === '0' ? { retry: { pacers: {} } } : {};
const written = await collectToFile({ config, clientFactory: endpoint.factory, now: () => new Date(org.collectedAt), ...retry }, file);
const measured = done();
const seen = await endpoint.stats();
endpoint.close();

const quotas = new QuotaBuckets();
const bound = lowerBound({
  latencyMs: seen.meanLatencyMs,
  accountConcurrency: config.collection.accountConcurrency,
  callConcurrency: config.collection.callConcurrency,
  traffic: seen.traffic,
  admittedByOperation: new Map(Object.entries(seen.admittedByOperation)),
  quota: (f) => quotas.quota(f),
});
const calls = Object.values(seen.counts).reduce((sum, c) => sum + c.calls, 0);
const throttledBy = (prefix: string) => Object.entries(seen.counts).filter(([op]) => op.startsWith(prefix)).reduce((sum, [, c]) => sum + c.throttled, 0);

report({
  ...measured,
  transport,
  accounts: written.accounts,
  regions: written.header.scope.regions.length,
  calls,
  cpu_ms_per_call: (measured.cpu_s * 1000) / calls,
  throttled: throttledBy(''),
  organizationsThrottled: throttledBy('organizations:'),
  ...(seen.connections !== undefined ? { connections: seen.connections, sharedConnections: share !== '0' } : {}),
  pacedOrganizations: pace !== '0',
  meanLatencyMs: seen.meanLatencyMs,
  byOperation: Object.fromEntries(Object.entries(seen.counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([op, c]) => [op, c.calls])),
  bound_s: bound.seconds,
  bound_ratio: measured.wall_s / bound.seconds,
  phased_s: bound.phased,
  boundExplain: bound.explain,
  ...(await compareWithGenerator(file)),
});

/**
 * matchesGenerator: "yes", or where the collected snapshot first differs from the generator's;
 * throttledErrors: calls recorded as failed by throttling (retries exhausted): should be none.
 */
async function compareWithGenerator(collected: string): Promise<{ matchesGenerator: string; throttledErrors: number }> {
  const source = await openSnapshot(collected);
  const expectedHeader = withoutDetective(snapshotHeader(org));
  const strip = (h: SnapshotHeader) => stableJson({ ...h, tool: undefined, source: undefined });
  let verdict = strip(source.header) === strip(expectedHeader) ? 'yes' : 'no: the headers differ';
  let throttledErrors = collectErrors(source.header).filter(isThrottling).length;
  const expected = (function* () {
    for (const record of snapshotRecords(org, snapshotHeader(org))) yield withoutDetective(record);
  })();
  for await (const record of source.records()) {
    throttledErrors += collectErrors(record).filter(isThrottling).length;
    const next = expected.next();
    if (verdict !== 'yes') continue;
    if (next.done) verdict = `no: extra account line ${record.accountId}`;
    else if (stableJson(record) !== stableJson(next.value)) verdict = `no: account ${record.accountId} differs`;
  }
  if (verdict === 'yes' && !expected.next().done) verdict = 'no: account lines missing';
  return { matchesGenerator: verdict, throttledErrors };
}

/** The generator's snapshot as a collection with the detective controls off would write it. */
function withoutDetective<T extends SnapshotHeader | AccountRecord>(part: T): T {
  if (config.collection.detective) return part;
  if ('format' in part) {
    const { guardDutyOrganization: _, ...header } = part;
    return header as T;
  }
  return { ...part, regions: part.regions.map(({ detective: _, ...region }) => region) };
}

function isThrottling(e: { code: string }): boolean {
  return /Throttl|TooManyRequests|SlowDown/.test(e.code);
}
