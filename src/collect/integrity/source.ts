/**
 * What verification needs from AWS, as an interface: the SDK adapter (src/collect/integrity-source.ts)
 * and the simulated S3 of tests and benchmarks implement it, so the walk itself is one code path.
 */
import type { DigestDeliveryStatus, IntegrityTarget, ListedObject, PublicKeyEntry, ReadFailure } from '../../snapshot/log-integrity.ts';

export interface FetchedObject {
  /** Streamed: a log file is hashed as it arrives, never held whole. */
  body: AsyncIterable<Uint8Array>;
  metadata: Record<string, string>;
  lastModified?: string;
}

export interface IntegritySource {
  /** One page at a time, in key order. */
  list(target: IntegrityTarget, prefix: string): AsyncIterable<ListedObject[]>;
  /** undefined when the object does not exist (NoSuchKey). */
  get(target: IntegrityTarget, key: string): Promise<FetchedObject | undefined>;
  /** ListPublicKeys in the target's region for a time range (the keys are the region's, not an account's). */
  publicKeys(target: IntegrityTarget, from: Date, to: Date): Promise<PublicKeyEntry[]>;
  trailStatus(target: IntegrityTarget): Promise<DigestDeliveryStatus | undefined>;
}

/** A read that failed after retries: becomes an `unreadable` entry, never a finding. */
export class SourceError extends Error {
  constructor(readonly failure: ReadFailure) {
    super(`${failure.operation}: ${failure.code}: ${failure.message}`);
    this.name = 'SourceError';
  }
}

export function failureOf(err: unknown, operation: string, object?: string): ReadFailure {
  if (err instanceof SourceError) return { ...err.failure, ...(object && !err.failure.object ? { object } : {}) };
  const e = err as Error & { name?: string };
  return { operation, code: e?.name && e.name !== 'Error' ? e.name : 'Error', message: e?.message ?? String(err), ...(object ? { object } : {}) };
}
