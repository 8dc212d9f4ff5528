/**
 * verify-logs against AWS: a session with the starting credentials (CloudTrail's public keys and
 * trail status), the member role of each bucket's owner for the objects (bucket-readers.ts), the
 * SDK source, and the shared runner of src/collect/integrity/.
 */
import { rename, rm } from 'node:fs/promises';
import type { TrailproofConfig } from '../config/types.ts';
import { hashPolicyText } from './integrity/summary.ts';
import { targetsFromSnapshot } from './integrity/targets.ts';
import { openSnapshot } from '../snapshot/read.ts';
import type { AccountRecord, LogIntegrityRun } from '../snapshot/types.ts';
import { writeSnapshot } from '../snapshot/write.ts';
import { verifyTargets, type VerifyOptions } from './integrity/run.ts';
import { targetId, type LocatedTarget } from './integrity/targets.ts';
import type { TrailRegionReport } from '../snapshot/log-integrity.ts';
import { defaultClientFactory, type ClientFactory } from './clients.ts';
import { sdkIntegritySource } from './integrity-source.ts';
import { AccountSession, type CallSettings } from './session.ts';
import { bucketReaders } from './bucket-readers.ts';

export async function verifyLogsLive(
  config: TrailproofConfig,
  targets: readonly LocatedTarget[],
  options: VerifyOptions,
  clientFactory?: ClientFactory,
): Promise<TrailRegionReport[]> {
  const factory = clientFactory ?? defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, ...(config.organization.profile ? { profile: config.organization.profile } : {}) });
  const settings: CallSettings = {
    factory,
    // Object reads have their own bound (objectConcurrency); the session's must not be the narrower one.
    callConcurrency: Math.max(config.collection.callConcurrency, options.objectConcurrency + options.targetConcurrency * 2),
    callTimeoutMs: config.collection.callTimeoutMs,
    maxAttempts: config.collection.maxAttempts,
  };
  const session = new AccountSession('', factory.startingCredentials(), settings);
  const located = new Map(targets.map((t) => [targetId(t), t]));
  const owners = new Map(targets.flatMap((t) => (t.bucketOwner ? [[t.bucket, t.bucketOwner] as const] : [])));
  const readers = bucketReaders(session, owners, config, settings);
  try {
    const source = sdkIntegritySource(
      session,
      (t) => {
        const l = located.get(targetId(t));
        return { homeRegion: l?.homeRegion ?? t.region, ...(l?.bucketRegion ? { bucketRegion: l.bucketRegion } : {}) };
      },
      readers.sessionFor,
    );
    return await verifyTargets(source, targets, options);
  } finally {
    readers.destroy();
    session.destroy();
  }
}

/**
 * scan --verify-logs: verifies the trails a collected snapshot shows and records the result in
 * it (header.logIntegrity, and each account line's logIntegrity), so the rule
 * cloudtrail-log-integrity judges it and the evidence package carries it.
 */
export async function verifyIntoSnapshot(file: string, config: TrailproofConfig, options: VerifyOptions, clientFactory?: ClientFactory): Promise<TrailRegionReport[]> {
  const collected = await openSnapshot(file);
  const targets = await targetsFromSnapshot(collected.header, collected.records());
  const reports = await verifyLogsLive(config, targets, options, clientFactory);
  const byAccount = new Map<string, TrailRegionReport[]>();
  for (const r of reports) byAccount.set(r.target.accountId, [...(byAccount.get(r.target.accountId) ?? []), r]);
  const run: LogIntegrityRun = {
    verifiedAt: options.now,
    window: options.window,
    hashLogs: hashPolicyText(options.hashLogs),
    ...(options.hashLogs.mode === 'sample' ? { sampleSeed: options.sampleSeed } : {}),
    maxDigestAgeHours: options.maxDigestAgeHours,
  };
  async function* withReports(): AsyncIterable<AccountRecord> {
    for await (const record of collected.records()) {
      const own = byAccount.get(record.accountId);
      yield own ? { ...record, logIntegrity: own } : record;
    }
  }
  // Written beside and renamed: the collected snapshot is still being read while this is written.
  const beside = file.replace(/(\.jsonl(\.gz)?)?$/, (ext) => `.verified${ext || ''}`);
  try {
    await writeSnapshot(beside, { ...collected.header, logIntegrity: run }, withReports());
    await rename(beside, file);
  } catch (err) {
    await rm(beside, { force: true });
    throw err;
  }
  return reports;
}
