/**
 * One digest file on its own: its content, where it claims to be, and its signature, as AWS
 * documents in "Validating CloudTrail log file integrity with custom implementations".
 */
import { sha256Hex } from '../../shared/hash.ts';
import { jsonErrorText } from '../../shared/json-syntax.ts';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { DigestObject, FindingKind, PublicKeyEntry } from '../../snapshot/log-integrity.ts';

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
}

/** The digest fields the verification reads; everything else in the file is ignored. */
export interface DigestContent {
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

export interface CheckedDigest {
  key: string;
  bucket: string;
  backfill: boolean;
  lastModified?: string;
  /** Hex SHA-256 of the uncompressed digest: what the next digest's previousDigestHashValue names. */
  sha256: string;
  /** Hex signature from the object metadata: what the next digest's previousDigestSignature names. */
  signature: string;
  content?: DigestContent;
  /** True when the signature verified with a listed key valid at digestEndTime. */
  signatureValid: boolean;
  /** Why it is not valid. */
  problem?: { kind: FindingKind; detail: string };
}

const SIGNATURE_ALGORITHM = 'SHA256withRSA';

export function uncompressed(body: Uint8Array): Buffer {
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return buffer[0] === 0x1f && buffer[1] === 0x8b ? gunzipSync(buffer) : buffer;
}


/** The string CloudTrail signs: end time as written, bucket/object, the digest's hash, the previous signature. */
export function signingString(content: Pick<DigestContent, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, digestSha256: string): string {
  return [content.digestEndTime, `${content.digestS3Bucket}/${content.digestS3Object}`, digestSha256, content.previousDigestSignature ?? 'null'].join('\n');
}

/** ListPublicKeys returns DER in either PKCS#1 (RSAPublicKey) or SubjectPublicKeyInfo form. */
export function importPublicKey(der: Uint8Array): KeyObject {
  const key = Buffer.from(der);
  try {
    return createPublicKey({ key, format: 'der', type: 'spki' });
  } catch {
    return createPublicKey({ key, format: 'der', type: 'pkcs1' });
  }
}

/** Parses and verifies one digest object; never throws on what S3 returned. */
export function checkDigest(object: DigestObject, bucket: string, keys: readonly PublicKeyEntry[], backfill: boolean): CheckedDigest {
  const signature = (object.metadata.signature ?? '').toLowerCase();
  const base = { key: object.key, bucket, backfill, signature, ...(object.lastModified ? { lastModified: object.lastModified } : {}) };
  let raw: Buffer;
  let content: DigestContent;
  const unreadable = (detail: string): CheckedDigest => ({ ...base, sha256: sha256Hex(object.body), signatureValid: false, problem: { kind: 'digest-unreadable-content', detail: `not a CloudTrail digest: ${detail}` } });
  let text: string;
  try {
    raw = uncompressed(object.body);
    text = raw.toString('utf8');
  } catch (err) {
    return unreadable((err as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8's own words differ between Node versions (and quote the text); the findings must not.
    return unreadable(`invalid JSON: ${jsonErrorText(text, err as Error)}`);
  }
  try {
    content = parseContent(parsed);
  } catch (err) {
    return unreadable((err as Error).message);
  }
  const sha256 = sha256Hex(raw);
  const checked = { ...base, sha256, content };
  const fail = (kind: FindingKind, detail: string): CheckedDigest => ({ ...checked, signatureValid: false, problem: { kind, detail } });

  // "Verify that the digest file was retrieved from its original location": a digest copied over
  // another hour's would otherwise pass its own signature check.
  if (content.digestS3Bucket !== bucket || content.digestS3Object !== object.key) {
    return fail('digest-misplaced', `found at s3://${bucket}/${object.key} but signed for s3://${content.digestS3Bucket}/${content.digestS3Object}`);
  }
  const algorithm = object.metadata['signature-algorithm'] ?? SIGNATURE_ALGORITHM;
  if (!signature) return fail('digest-signature-invalid', 'the object has no signature metadata');
  if (algorithm !== SIGNATURE_ALGORITHM) return fail('digest-signature-invalid', `signature algorithm "${algorithm}" is not ${SIGNATURE_ALGORITHM}`);

  const fingerprint = content.digestPublicKeyFingerprint.toLowerCase();
  const candidates = keys.filter((k) => k.fingerprint.toLowerCase() === fingerprint);
  if (candidates.length === 0) return fail('digest-unknown-key', `signed by key ${fingerprint}, which ListPublicKeys does not return`);
  const end = Date.parse(content.digestEndTime);
  const valid = candidates.filter((k) => covers(k, end));
  if (valid.length === 0) {
    const windows = candidates.map((k) => `${k.validityStart ?? '?'}..${k.validityEnd ?? '?'}`).join(', ');
    return fail('digest-key-outside-validity', `key ${fingerprint} is valid ${windows}, not at ${content.digestEndTime}`);
  }
  const message = Buffer.from(signingString(content, sha256), 'utf8');
  const signatureBytes = Buffer.from(signature, 'hex');
  const ok = valid.some((k) => {
    try {
      return verify('sha256', message, importPublicKey(k.der), signatureBytes);
    } catch {
      return false;
    }
  });
  return ok ? { ...checked, signatureValid: true } : fail('digest-signature-invalid', `the signature does not verify with key ${fingerprint}`);
}

function covers(key: PublicKeyEntry, time: number): boolean {
  if (Number.isNaN(time)) return false;
  if (key.validityStart && Date.parse(key.validityStart) > time) return false;
  if (key.validityEnd && Date.parse(key.validityEnd) < time) return false;
  return true;
}

function parseContent(json: unknown): DigestContent {
  if (json === null || typeof json !== 'object') throw new Error('the content is not a JSON object');
  const d = json as Record<string, unknown>;
  const text = (name: string): string => {
    const v = d[name];
    if (typeof v !== 'string' || v === '') throw new Error(`${name} is missing`);
    return v;
  };
  const nullable = (name: string): string | null => (typeof d[name] === 'string' && d[name] !== '' ? (d[name] as string) : null);
  const files = Array.isArray(d.logFiles) ? d.logFiles : [];
  return {
    digestStartTime: text('digestStartTime'),
    digestEndTime: text('digestEndTime'),
    digestS3Bucket: text('digestS3Bucket'),
    digestS3Object: text('digestS3Object'),
    digestPublicKeyFingerprint: text('digestPublicKeyFingerprint'),
    previousDigestS3Bucket: nullable('previousDigestS3Bucket'),
    previousDigestS3Object: nullable('previousDigestS3Object'),
    previousDigestHashValue: nullable('previousDigestHashValue'),
    previousDigestSignature: nullable('previousDigestSignature'),
    logFiles: files.flatMap((f: unknown) => {
      const file = f as Record<string, unknown> | null;
      if (!file || typeof file.s3Object !== 'string' || typeof file.hashValue !== 'string') return [];
      return [{ s3Bucket: typeof file.s3Bucket === 'string' ? file.s3Bucket : d.digestS3Bucket as string, s3Object: file.s3Object, hashValue: file.hashValue.toLowerCase() }];
    }),
  };
}
