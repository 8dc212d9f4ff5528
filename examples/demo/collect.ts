/**
 * The demo snapshot is what trailproof's own collector records from the demo World: the real
 * collector (src/collect) runs against the World answered in-process (real SDK clients whose
 * send() answers as the World's AWS would), with the demo's regions and collection time. Only
 * the header's `source` is changed, to say it is the demo.
 */
import { collectOrganization } from '../../src/collect/index.ts';
import { defaultClientFactory } from '../../src/collect/clients.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';
import { installInProcess } from '../../test/fixtures/world/in-process.ts';
import { DEMO_COLLECTED_AT, DEMO_REGIONS } from './accounts.ts';
import { demoWorld } from './world.ts';
import { UNPACED } from '../../test/fixtures/world/unpaced.ts';

const STARTING_KEY = 'AKIADEMOSTARTINGKEY';

export async function collectDemoSnapshot(): Promise<Snapshot> {
  const config: TrailproofConfig = { ...DEFAULT_CONFIG, scope: { ...DEFAULT_CONFIG.scope, regions: [...DEMO_REGIONS] } };
  const world = installInProcess(demoWorld(), { startingKey: STARTING_KEY, memberRoleName: config.organization.memberRoleName });
  try {
    const collection = await collectOrganization({
      config,
      clientFactory: defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, credentials: async () => ({ accessKeyId: STARTING_KEY, secretAccessKey: 'demo' }) }),
      now: () => new Date(DEMO_COLLECTED_AT),
      progress: () => undefined,
      ...UNPACED,
    });
    const accounts: AccountRecord[] = [];
    for await (const record of collection.records) accounts.push(record);
    return { header: { ...collection.header, source: 'demo' }, accounts };
  } finally {
    world.restore();
  }
}
