/**
 * One collection measurement against the simulated AWS, alone in its process: the real collector
 * (src/collect) with its default concurrency and adaptive retry, through real SDK clients whose
 * `send` is answered by simulated-aws.ts. Afterwards (not timed) the collected snapshot is
 * compared line by line with the one the generator writes for the same organization: the two
 * must agree, which checks the simulation, the generator and the collector against each other.
 * Usage: node --import tsx test/bench/collect-child.ts ACCOUNTS SEED LATENCY_MS OUT_FILE
 */
import { collectToFile } from '../../src/collect/index.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { stableJson } from '../../src/snapshot/write.ts';
import { collectErrors } from '../../src/model/errors.ts';
import type { SnapshotHeader } from '../../src/snapshot/types.ts';
import { lowerBound } from './bound.ts';
import { generateOrg } from './generate-org.ts';
import { report, startMeasure } from './measure.ts';
import { snapshotHeader, snapshotRecords } from './org-snapshot.ts';
import { SimulatedAws } from './simulated-aws.ts';

const [n, seed, latency, file] = process.argv.slice(2);
if (!n || !seed || !latency || !file) throw new Error('usage: collect-child.ts ACCOUNTS SEED LATENCY_MS OUT_FILE');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
delete process.env.AWS_ENDPOINT_URL;
delete process.env.AWS_ENDPOINT_URL_S3;

const org = generateOrg({ accounts: Number(n), seed: Number(seed) });
const latencyMs = Number(latency);
const aws = new SimulatedAws(org, { latencyMs });
aws.install();
const config = DEFAULT_CONFIG;

const done = startMeasure();
const written = await collectToFile({ config, clientFactory: aws.clientFactory(config.collection.callTimeoutMs), now: () => new Date(org.collectedAt) }, file);
const measured = done();
aws.restore();

const bound = lowerBound({
  latencyMs,
  accountConcurrency: config.collection.accountConcurrency,
  callConcurrency: config.collection.callConcurrency,
  traffic: [...aws.traffic.values()],
  admittedByOperation: aws.admittedByOperation,
  quota: (f) => aws.quota(f),
});
const throttled = [...aws.traffic.values()].reduce((sum, t) => sum + t.throttled, 0);

report({
  ...measured,
  accounts: written.accounts,
  regions: written.header.scope.regions.length,
  calls: aws.totalCalls,
  throttled,
  byOperation: Object.fromEntries([...aws.callsByOperation].sort(([a], [b]) => (a < b ? -1 : 1))),
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
  const expectedHeader = snapshotHeader(org);
  const strip = (h: SnapshotHeader) => stableJson({ ...h, tool: undefined, source: undefined });
  let verdict = strip(source.header) === strip(expectedHeader) ? 'yes' : 'no: the headers differ';
  let throttledErrors = collectErrors(source.header).filter(isThrottling).length;
  const expected = snapshotRecords(org, expectedHeader);
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

function isThrottling(e: { code: string }): boolean {
  return /Throttl|TooManyRequests|SlowDown/.test(e.code);
}
