/**
 * Contracts of CloudTrail log-integrity verification: what the I/O side hands the pure verifier
 * (objects as S3 answered them) and what the verifier reports per trail × region.
 */

/** One trail's delivery into one region's digest chain, for one account. */
export interface IntegrityTarget {
  trailArn: string;
  trailName: string;
  /** The account whose logs these are (a member account for an organization trail). */
  accountId: string;
  region: string;
  bucket: string;
  /** The trail's S3KeyPrefix, without the trailing slash; empty when none. */
  keyPrefix: string;
  /** Set for organization trails: their objects sit under AWSLogs/<org-id>/<account>/. */
  organizationId?: string;
}

export interface VerifyWindow {
  /** ISO-8601, inclusive. */
  from: string;
  /** ISO-8601, exclusive. */
  to: string;
}

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

export interface ReadFailure {
  /** "s3:GetObject", "s3:ListObjectsV2", "cloudtrail:ListPublicKeys", "kms:Decrypt"... */
  operation: string;
  code: string;
  message: string;
  object?: string;
}

/** GetTrailStatus fields that say whether digests still arrive, ISO times. */
export interface DigestDeliveryStatus {
  isLogging?: boolean;
  latestDigestDeliveryTime?: string;
  latestDigestDeliveryError?: string;
  startLoggingTime?: string;
  stopLoggingTime?: string;
}

export type HashPolicy = { mode: 'all' } | { mode: 'none' } | { mode: 'sample'; count: number };

export type FindingKind =
  | 'digest-missing'
  | 'digest-signature-invalid'
  | 'digest-unknown-key'
  | 'digest-key-outside-validity'
  | 'digest-misplaced'
  | 'digest-unreadable-content'
  | 'chain-previous-hash-mismatch'
  | 'chain-previous-signature-mismatch'
  | 'chain-previous-mismatch'
  | 'digest-stale'
  | 'log-modified'
  | 'log-missing'
  | 'log-unlisted';

export interface Finding {
  kind: FindingKind;
  /** The S3 key of the object concerned (bucket-relative); for a missing digest, the key expected. */
  object: string;
  /** The digest hour (digestStartTime) or the log file's time, ISO. */
  hour: string;
  detail: string;
}

export type IntegrityOutcome = 'verified' | 'failed' | 'incomplete';

export interface TrailRegionReport {
  target: IntegrityTarget;
  window: VerifyWindow;
  outcome: IntegrityOutcome;
  digests: {
    expected: number;
    found: number;
    signatureValid: number;
    chained: number;
    missing: number;
    /** Chains that start inside the window after StopLogging/StartLogging (not breaks). */
    restarts: string[];
  };
  logs: {
    listed: number;
    hashed: number;
    valid: number;
    modified: number;
    missing: number;
    unreadable: number;
    /** Present in the listing, not hashed (sampling or --hash-logs none). */
    presentNotHashed: number;
    unlisted: number;
    bytesHashed: number;
  };
  newestDigest: {
    key?: string;
    endTime?: string;
    ageHours?: number;
    latestDigestDeliveryTime?: string;
    latestDigestDeliveryError?: string;
  };
  /** Integrity problems, in hour order; the first one is the evidence a report leads with. */
  findings: Finding[];
  /** What could not be read: the reason the outcome is incomplete. */
  unreadable: ReadFailure[];
}
