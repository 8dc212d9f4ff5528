/**
 * Verification over a source (S3 and CloudTrail, or a simulation): trail-regions side by side,
 * and within one, digests and log files fetched ahead under one bound on objects in flight, so
 * the sequential part (the chain walk) runs on data already there.
 */
import { Limiter } from '../limit.ts';
import { collectBytes, hashUncompressed } from './hash-stream.ts';
import { HOUR_MS, dayFolders, digestFolder, isTrailDigest, logFolder } from './layout.ts';
import { listedLogs, logsToHash, objectId } from './logs.ts';
import { failureOf, type IntegritySource } from './source.ts';
import type { CheckedDigest } from './digest.ts';
import type { DigestObject, HashPolicy, IntegrityTarget, ListedObject, LogRead, PublicKeyEntry, ReadFailure, TrailRegionReport, VerifyWindow } from '../../snapshot/log-integrity.ts';
import { buildReport, checkDigests, inDigestWindow, DIGEST_DELIVERY_ALLOWANCE_MS } from './verify.ts';

export interface VerifyOptions {
  window: VerifyWindow;
  now: string;
  hashLogs: HashPolicy;
  /** Seed of the log sample; random per run unless given. */
  sampleSeed: string;
  maxDigestAgeHours: number;
  /** Trail-regions verified at once. */
  targetConcurrency: number;
  /** Objects (GETs) in flight at once, across all trail-regions. */
  objectConcurrency: number;
  onProgress?: (event: VerifyProgress) => void;
}

export type VerifyProgress =
  | { type: 'targets'; total: number }
  | { type: 'object'; kind: 'digest' | 'log'; bytes: number }
  | { type: 'target-done'; report: TrailRegionReport };

export async function verifyTargets(source: IntegritySource, targets: readonly IntegrityTarget[], options: VerifyOptions): Promise<TrailRegionReport[]> {
  const objects = new Limiter(options.objectConcurrency);
  const perTarget = new Limiter(options.targetConcurrency);
  const shared = sharedReads(source);
  options.onProgress?.({ type: 'targets', total: targets.length });
  return Promise.all(
    targets.map((target) =>
      perTarget.run(async () => {
        const report = await verifyTarget(shared, target, options, objects);
        options.onProgress?.({ type: 'target-done', report });
        return report;
      }),
    ),
  );
}

/**
 * The reads every chain of a region or of a trail shares, asked once: CloudTrail's public keys
 * depend only on the region (and the window, the same for the whole run), a trail's status only on
 * the trail; an organization trail would otherwise ask both once per member account.
 */
function sharedReads(source: IntegritySource): IntegritySource {
  const keys = new Map<string, Promise<PublicKeyEntry[]>>();
  const status = new Map<string, ReturnType<IntegritySource['trailStatus']>>();
  const once = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>): Promise<T> => {
    let answer = cache.get(id);
    if (!answer) cache.set(id, (answer = read()));
    return answer;
  };
  return {
    list: (target, prefix) => source.list(target, prefix),
    get: (target, key) => source.get(target, key),
    publicKeys: (target, from, to) => once(keys, target.region, () => source.publicKeys(target, from, to)),
    trailStatus: (target) => once(status, target.trailArn, () => source.trailStatus(target)),
  };
}

async function verifyTarget(
  source: IntegritySource,
  target: IntegrityTarget,
  options: VerifyOptions,
  objects: Limiter,
): Promise<TrailRegionReport> {
  const { window } = options;
  const from = new Date(window.from);
  const to = new Date(window.to);
  const unreadable: ReadFailure[] = [];
  const note = (err: unknown, operation: string, object?: string) => unreadable.push(failureOf(err, operation, object));

  const keys = source.publicKeys(target, new Date(from.getTime() - 24 * HOUR_MS), new Date(to.getTime() + DIGEST_DELIVERY_ALLOWANCE_MS)).then(
    (k) => k as PublicKeyEntry[] | null,
    (err: unknown) => {
      note(err, 'cloudtrail:ListPublicKeys');
      return null;
    },
  );
  const status = source.trailStatus(target).catch((err: unknown) => {
    note(err, 'cloudtrail:GetTrailStatus');
    return undefined;
  });

  // The log listing runs beside the digest reads: it needs nothing from them.
  const logFolders = dayFolders(logFolder(target), from, new Date(to.getTime() + DIGEST_DELIVERY_ALLOWANCE_MS));
  const logListing = listAll(source, target, logFolders).catch((err: unknown) => {
    note(err, 's3:ListObjectsV2');
    return null;
  });

  const digestFolders = dayFolders(digestFolder(target), from, new Date(to.getTime() + DIGEST_DELIVERY_ALLOWANCE_MS));
  let digestKeys: string[] = [];
  const digestObjects: DigestObject[] = [];
  try {
    digestKeys = (await listAll(source, target, digestFolders)).map((o) => o.key).filter((k) => isTrailDigest(target, k) && inDigestWindow(k, window));
  } catch (err) {
    note(err, 's3:ListObjectsV2');
  }
  await Promise.all(
    digestKeys.map((key) =>
      objects.run(async () => {
        try {
          const got = await source.get(target, key);
          if (!got) return; // deleted between listing and reading: the chain walk reports it missing
          const body = await collectBytes(got.body);
          options.onProgress?.({ type: 'object', kind: 'digest', bytes: body.length });
          digestObjects.push({ key, body, metadata: got.metadata, ...(got.lastModified ? { lastModified: got.lastModified } : {}) });
        } catch (err) {
          note(err, 's3:GetObject', key);
        }
      }),
    ),
  );

  const publicKeys = await keys;
  const digests = checkDigests(target, window, digestObjects, publicKeys);
  const anchor = await readAnchor(source, target, window, digests, publicKeys, objects, note);
  const toHash = logsToHash(listedLogs(digests), options.hashLogs, options.sampleSeed);
  const logReads = new Map<string, LogRead>();
  await Promise.all(
    toHash.map((log) =>
      objects.run(async () => {
        const id = objectId(log.bucket, log.key);
        try {
          const got = await source.get({ ...target, bucket: log.bucket }, log.key);
          if (!got) {
            logReads.set(id, { absent: true });
            return;
          }
          const hashed = await hashUncompressed(got.body);
          options.onProgress?.({ type: 'object', kind: 'log', bytes: hashed.bytes });
          logReads.set(id, hashed);
        } catch (err) {
          logReads.set(id, { error: failureOf(err, 's3:GetObject', log.key) });
        }
      }),
    ),
  );

  const listing = await logListing;
  return buildReport({
    target: integrityTarget(target),
    window,
    now: options.now,
    digests,
    digestKeys,
    ...(anchor ? { anchor } : {}),
    logListing: listing ?? [],
    logListingComplete: listing !== null,
    logFolders,
    logReads,
    status: await status,
    unreadable,
    maxDigestAgeHours: options.maxDigestAgeHours,
  });
}

/**
 * The digest before the window that the first one in it names: one more GET, so the first link is
 * checked too (a digest edited just before the window would otherwise go unseen).
 */
async function readAnchor(
  source: IntegritySource,
  target: IntegrityTarget,
  window: VerifyWindow,
  digests: readonly CheckedDigest[],
  keys: readonly PublicKeyEntry[] | null,
  objects: Limiter,
  note: (err: unknown, operation: string, object?: string) => void,
): Promise<CheckedDigest | undefined> {
  const first = digests.find((d) => !d.backfill && d.content);
  const key = first?.content?.previousDigestS3Object;
  if (!first || !key || first.content?.previousDigestS3Bucket !== target.bucket || inDigestWindow(key, window) || digests.some((d) => d.key === key)) return undefined;
  return objects.run(async () => {
    try {
      const got = await source.get(target, key);
      if (!got) return undefined; // before the window: its absence is outside what this run proves
      const body = await collectBytes(got.body);
      const [checked] = checkDigests(target, { from: new Date(0).toISOString(), to: window.to }, [{ key, body, metadata: got.metadata }], keys);
      return checked;
    } catch (err) {
      note(err, 's3:GetObject', key);
      return undefined;
    }
  });
}

async function listAll(source: IntegritySource, target: IntegrityTarget, prefixes: readonly string[]): Promise<ListedObject[]> {
  const pages = await Promise.all(
    prefixes.map(async (prefix) => {
      const out: ListedObject[] = [];
      for await (const page of source.list(target, prefix)) out.push(...page);
      return out;
    }),
  );
  return pages.flat();
}

/** The target's own fields: callers may pass richer objects (with where to find the bucket). */
function integrityTarget(t: IntegrityTarget): IntegrityTarget {
  return {
    trailArn: t.trailArn,
    trailName: t.trailName,
    accountId: t.accountId,
    region: t.region,
    bucket: t.bucket,
    keyPrefix: t.keyPrefix,
    ...(t.organizationId ? { organizationId: t.organizationId } : {}),
  };
}
