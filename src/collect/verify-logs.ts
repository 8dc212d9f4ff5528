/**
 * verify-logs against AWS: one session with the starting credentials (which must be allowed to
 * read the trail buckets: run it where the log archive is readable), the SDK source, and the
 * shared runner of src/integrity/.
 */
import type { TrailproofConfig } from '../config/types.ts';
import { verifyTargets, type VerifyOptions } from '../integrity/run.ts';
import { targetId, type LocatedTarget } from '../integrity/targets.ts';
import type { TrailRegionReport } from '../integrity/types.ts';
import { defaultClientFactory, type ClientFactory } from './clients.ts';
import { sdkIntegritySource } from './integrity-source.ts';
import { AccountSession } from './session.ts';

export async function verifyLogsLive(
  config: TrailproofConfig,
  targets: readonly LocatedTarget[],
  options: VerifyOptions,
  clientFactory?: ClientFactory,
): Promise<TrailRegionReport[]> {
  const factory = clientFactory ?? defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, ...(config.organization.profile ? { profile: config.organization.profile } : {}) });
  const session = new AccountSession('', factory.startingCredentials(), {
    factory,
    // Object reads have their own bound (objectConcurrency); the session's must not be the narrower one.
    callConcurrency: Math.max(config.collection.callConcurrency, options.objectConcurrency + options.targetConcurrency * 2),
    callTimeoutMs: config.collection.callTimeoutMs,
    maxAttempts: config.collection.maxAttempts,
  });
  const located = new Map(targets.map((t) => [targetId(t), t]));
  try {
    const source = sdkIntegritySource(session, (t) => {
      const l = located.get(targetId(t));
      return { homeRegion: l?.homeRegion ?? t.region, ...(l?.bucketRegion ? { bucketRegion: l.bucketRegion } : {}) };
    });
    return await verifyTargets(source, targets, options);
  } finally {
    session.destroy();
  }
}
