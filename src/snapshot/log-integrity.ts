/**
 * Contracts of CloudTrail log-integrity verification: what the I/O side hands the pure verifier
 * (objects as S3 answered them) and what the verifier reports per trail × region.
 */

/** The report and its parts are snapshot contracts: generated from the schema source (src/snapshot/schema-source.ts). */
export type { Finding, FindingKind, IntegrityOutcome, IntegrityTarget, ReadFailure, TrailRegionReport, VerifyWindow } from './types.ts';
import type { ReadFailure } from './types.ts';

/** A digest object as S3 returned it: raw body (gzip or not) and its user metadata. */
export interface DigestObject {
  key: string;
  body: Uint8Array;
  /** S3 user metadata without the x-amz-meta- prefix (`signature`, `signature-algorithm`). */
  metadata: Record<string, string>;
  lastModified?: string;
}

/** A log object as ListObjectsV2 listed it. */
export interface ListedObject {
  key: string;
  size?: number;
  lastModified?: string;
}

/** One ListPublicKeys entry, the key as DER (PKCS#1 or SubjectPublicKeyInfo). */
export interface PublicKeyEntry {
  fingerprint: string;
  der: Uint8Array;
  validityStart?: string;
  validityEnd?: string;
}

/** What reading a log file gave: the SHA-256 of its uncompressed content, or why there is none. */
export type LogRead =
  | { sha256: string; bytes: number }
  | { absent: true }
  | { error: ReadFailure };

/** GetTrailStatus fields that say whether digests still arrive, ISO times. */
export interface DigestDeliveryStatus {
  isLogging?: boolean;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

export type HashPolicy = { mode: 'all' } | { mode: 'none' } | { mode: 'sample'; count: number };
