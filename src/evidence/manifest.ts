/**
 * manifest.json of an evidence package: what produced it, from which inputs, and the SHA-256 of
 * every other file. Its bytes are what the signature covers, so they are written once, in a fixed
 * key order, and verified as stored (never re-serialised).
 */
import { sha256Hex } from '../shared/hash.ts';
import { located, UserError } from '../shared/errors.ts';
import { describeJsonError } from '../shared/json-syntax.ts';
import { checkEntryPath } from './archive.ts';
import type { Severity } from '../contracts/verdict.ts';
import { SEVERITIES } from '../contracts/verdict.ts';
import type { SignatureAlgorithm } from './signing.ts';
import { isCalendarDate } from '../shared/dates.ts';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const MANIFEST_FORMAT = 'trailproof-evidence';
export const MANIFEST_VERSION = 1;

/** How the packed files were evaluated; `evidence verify` evaluates them again the same way. */
export interface EvidenceInputs {
  /** "--demo", or the snapshot file's name as given (no folder: nothing absolute leaves the machine). */
  snapshot: string;
  /** The config file's name as given, or null when the defaults were used. */
  config: string | null;
  /** Rule paths as given, by their last part ("builtin", "my-rules"). */
  rules: string[];
  formats: string[];
  failOn: Severity;
  sarifIncludeSuppressed: boolean;
  /** YYYY-MM-DD exceptions were judged against, when given; else the snapshot's collection day. */
  asOf?: string;
}

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface ManifestSignature {
  algorithm: SignatureAlgorithm;
  /** The KMS key ARN for a KMS signature. */
  keyId?: string;
  /** Path in the package of the signer's public key (PEM), for convenience only. */
  publicKey: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  tool: { name: string; version: string };
  rulePack: { version: string; sha256: string };
  snapshot: { file: string; sha256: string; collectedAt: string; source: string };
  /** Package paths of the config as given (absent with defaults) and of the effective config. */
  config: { file?: string; effective: string };
  inputs: EvidenceInputs;
  /** Every file of the package except manifest.json and manifest.sig, sorted by path. */
  files: ManifestFile[];
  signature?: ManifestSignature;
}


export function manifestFile(path: string, data: Buffer): ManifestFile {
  return { path, sha256: sha256Hex(data), bytes: data.length };
}

export function serializeManifest(manifest: Manifest): Buffer {
  const ordered = {
    format: manifest.format,
    version: manifest.version,
    tool: manifest.tool,
    rulePack: manifest.rulePack,
    snapshot: manifest.snapshot,
    config: manifest.config,
    inputs: manifest.inputs,
    ...(manifest.signature ? { signature: manifest.signature } : {}),
    files: [...manifest.files].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  return Buffer.from(`${JSON.stringify(ordered, null, 2)}\n`, 'utf8');
}

/** Parses and checks the shape; problems name the JSON path. Throws UserError (unreadable package). */
export function parseManifest(data: Buffer, label: string): Manifest {
  let value: unknown;
  const text = data.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { line, column, reason } = describeJsonError(text, err as Error);
    throw new UserError(located(`${label}: ${MANIFEST_FILE}`, line, column, `invalid JSON: ${reason}`));
  }
  const fail = (path: string, expected: string): never => {
    throw new UserError(`${label}: ${MANIFEST_FILE}: ${path}: expected ${expected}`);
  };
  const m = object(value, '$', fail);
  if (m.format !== MANIFEST_FORMAT) fail('$.format', `"${MANIFEST_FORMAT}"`);
  if (m.version !== MANIFEST_VERSION) fail('$.version', `${MANIFEST_VERSION} (this trailproof reads version ${MANIFEST_VERSION} packages)`);
  const tool = object(m.tool, '$.tool', fail);
  strings(tool, ['name', 'version'], '$.tool', fail);
  strings(object(m.rulePack, '$.rulePack', fail), ['version', 'sha256'], '$.rulePack', fail);
  strings(object(m.snapshot, '$.snapshot', fail), ['file', 'sha256', 'collectedAt', 'source'], '$.snapshot', fail);
  const config = object(m.config, '$.config', fail);
  strings(config, ['effective'], '$.config', fail);
  if (config.file !== undefined && typeof config.file !== 'string') fail('$.config.file', 'a string');
  const inputs = object(m.inputs, '$.inputs', fail);
  strings(inputs, ['snapshot'], '$.inputs', fail);
  if (inputs.config !== null && typeof inputs.config !== 'string') fail('$.inputs.config', 'a string or null');
  for (const key of ['rules', 'formats']) {
    if (!Array.isArray(inputs[key]) || !(inputs[key] as unknown[]).every((x) => typeof x === 'string')) fail(`$.inputs.${key}`, 'a list of strings');
  }
  if (!SEVERITIES.includes(inputs.failOn as Severity)) fail('$.inputs.failOn', SEVERITIES.join('|'));
  if (typeof inputs.sarifIncludeSuppressed !== 'boolean') fail('$.inputs.sarifIncludeSuppressed', 'a boolean');
  if (inputs.asOf !== undefined && (typeof inputs.asOf !== 'string' || !isCalendarDate(inputs.asOf))) fail('$.inputs.asOf', 'a calendar date YYYY-MM-DD');
  if (!Array.isArray(m.files)) fail('$.files', 'a list');
  (m.files as unknown[]).forEach((f, i) => {
    const file = object(f, `$.files[${i}]`, fail);
    strings(file, ['path', 'sha256'], `$.files[${i}]`, fail);
    if (!/^[0-9a-f]{64}$/.test(file.sha256 as string)) fail(`$.files[${i}].sha256`, '64 hex digits');
    if (!Number.isSafeInteger(file.bytes)) fail(`$.files[${i}].bytes`, 'an integer');
  });
  if (m.signature !== undefined) {
    const sig = object(m.signature, '$.signature', fail);
    strings(sig, ['algorithm', 'publicKey'], '$.signature', fail);
  }
  const manifest = m as unknown as Manifest;
  // Verify reads these paths from the extraction folder: an unsigned manifest must not point outside it.
  const paths = [manifest.snapshot.file, manifest.config.effective, ...(manifest.config.file ? [manifest.config.file] : []), ...manifest.files.map((f) => f.path)];
  if (manifest.signature) paths.push(manifest.signature.publicKey);
  for (const p of paths) checkEntryPath(p, `${label}: ${MANIFEST_FILE}`);
  return manifest;
}

type Fail = (path: string, expected: string) => never;

function object(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, 'an object');
  return value as Record<string, unknown>;
}

function strings(value: Record<string, unknown>, keys: string[], path: string, fail: Fail): void {
  for (const k of keys) if (typeof value[k] !== 'string') fail(`${path}.${k}`, 'a string');
}
