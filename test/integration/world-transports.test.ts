/**
 * One world, two transports: a generated organization collected through the fake HTTP endpoint
 * (SDK serialisation, SigV4, XML/JSON on the wire) and through the in-process stub gives, line
 * for line, the snapshot the generator writes for it. A difference means a transport, an answer
 * or the generator's snapshot writer is wrong.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultClientFactory, type ClientFactory } from '../../src/collect/clients.ts';
import { collectOrganization } from '../../src/collect/index.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { stableJson } from '../../src/snapshot/write.ts';
import type { SnapshotHeader } from '../../src/snapshot/types.ts';
import { generateOrg, MEMBER_ROLE } from '../bench/generate-org.ts';
import { snapshotHeader, snapshotRecords } from '../bench/org-snapshot.ts';
import { DEFAULT_QUOTAS, ORGANIZATIONS_PAGE, SimulatedAws } from '../bench/simulated-aws.ts';
import { startFakeAwsServer, type FakeAwsServer } from '../fixtures/fake-aws-server/server.ts';
import { UNPACED } from '../fixtures/world/unpaced.ts';

const org = generateOrg({ accounts: 40, seed: 7 });
const PROFILE = { accessKeyId: 'AKIAWORLDTRANSPORT01', secretAccessKey: 'world/transport/secret' };

async function collectLines(clientFactory: ClientFactory): Promise<{ header: string; records: string[] }> {
  const collection = await collectOrganization({ config: DEFAULT_CONFIG, clientFactory, now: () => new Date(org.collectedAt), progress: () => undefined, ...UNPACED });
  const records: string[] = [];
  for await (const r of collection.records) records.push(stableJson(r));
  await collection.close();
  return { header: strip(collection.header), records };
}
const strip = (h: SnapshotHeader) => stableJson({ ...h, tool: undefined, source: undefined });

function expected(): { header: string; records: string[] } {
  const header = snapshotHeader(org);
  return { header: strip(header), records: [...snapshotRecords(org, header)].map((r) => stableJson(r)) };
}

describe('a generated world answers the same through both transports', () => {
  let server: FakeAwsServer | undefined;
  let sim: SimulatedAws | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    sim?.restore();
    sim = undefined;
  });

  it('over HTTP: the collected snapshot is the generator’s, and connections are reused', async () => {
    server = await startFakeAwsServer({ profile: PROFILE, world: org, memberRoleName: MEMBER_ROLE, pageSize: ORGANIZATIONS_PAGE });
    const got = await collectLines(defaultClientFactory({ callTimeoutMs: 10_000, credentials: async () => PROFILE, endpointUrl: server.url }));
    const want = expected();
    expect(got.header).toBe(want.header);
    expect(got.records).toEqual(want.records);
    // Each of the ~40 clients per account would otherwise open connections of its own.
    expect(server.connections()).toBeLessThan(server.requests.length / 5);
  }, 120_000);

  it('in-process: the same snapshot', async () => {
    // No quotas: what is compared is the answers, not the pacing (the HTTP run has none either).
    const unlimited = Object.fromEntries(Object.keys(DEFAULT_QUOTAS).map((f) => [f, { rate: 1e9, burst: 1e9 }]));
    sim = new SimulatedAws(org, { latencyMs: 0, quotas: unlimited });
    sim.install();
    const got = await collectLines(sim.clientFactory(10_000));
    const want = expected();
    expect(got.header).toBe(want.header);
    expect(got.records).toEqual(want.records);
  }, 120_000);
});
