/** Which log files a verification reads, and what reading them proved. */
import { createHash } from 'node:crypto';
import type { CheckedDigest } from './digest.ts';
import type { HashPolicy } from '../../snapshot/log-integrity.ts';

export interface ListedLog {
  bucket: string;
  key: string;
  /** Hex SHA-256 of the uncompressed content, as the digest lists it. */
  sha256: string;
  /** digestStartTime of the digest that lists it. */
  hour: string;
}

export const objectId = (bucket: string, key: string) => `${bucket}/${key}`;

/** Log files listed by digests whose signature verified: an unverified digest's list proves nothing. */
export function listedLogs(digests: readonly CheckedDigest[]): ListedLog[] {
  const out = new Map<string, ListedLog>();
  for (const d of digests) {
    if (!d.signatureValid || !d.content) continue;
    for (const f of d.content.logFiles) {
      const id = objectId(f.s3Bucket, f.s3Object);
      if (!out.has(id)) out.set(id, { bucket: f.s3Bucket, key: f.s3Object, sha256: f.hashValue, hour: d.content.digestStartTime });
    }
  }
  return [...out.values()];
}

/**
 * The log files to hash. A sample is the N files with the smallest SHA-256(seed, key): spread over
 * the whole window, and unpredictable to whoever does not know the seed, which is random per run
 * unless given.
 */
export function logsToHash(logs: readonly ListedLog[], policy: HashPolicy, seed: string): ListedLog[] {
  switch (policy.mode) {
    case 'all':
      return [...logs];
    case 'none':
      return [];
    case 'sample': {
      if (logs.length <= policy.count) return [...logs];
      const rank = (l: ListedLog) => createHash('sha256').update(seed).update('\n').update(objectId(l.bucket, l.key)).digest('hex');
      return logs
        .map((l) => ({ l, r: rank(l) }))
        .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))
        .slice(0, policy.count)
        .map((x) => x.l);
    }
  }
}

export function parseHashPolicy(text: string): HashPolicy | undefined {
  if (text === 'all' || text === 'none') return { mode: text };
  const m = /^sample:(\d+)$/.exec(text);
  if (m && Number(m[1]) > 0) return { mode: 'sample', count: Number(m[1]) };
  return undefined;
}
