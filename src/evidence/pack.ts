/**
 * `evidence pack`: one archive an auditor can check offline — the snapshot as stored, the rules
 * and config used, every report, and a manifest of SHA-256 hashes, optionally signed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { toolVersion } from '../shared/version.ts';
import { formatterFor, listFormatters } from '../report/registry.ts';
import { loadRules } from '../rules/load.ts';
import type { ScanResult } from '../contracts/result.ts';
import { UserError } from '../shared/errors.ts';
import { writeTarGz, type ArchiveEntry } from './archive.ts';
import { CONFIG_DIR, EFFECTIVE_CONFIG_FILE, evaluateLayout, PUBLIC_KEY_FILE, RULES_DIR, SNAPSHOT_DIR, withStagedLayout, type LayoutFiles } from './layout.ts';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  manifestFile,
  serializeManifest,
  SIGNATURE_FILE,
  type EvidenceInputs,
  type Manifest,
} from './manifest.ts';
import type { ManifestSigner } from './signing.ts';

export interface PackOptions {
  snapshotFile: string;
  /** How the manifest names the snapshot input: "--demo", or the file as given. */
  snapshotLabel: string;
  /** Config file as given; without one, ./config.yaml when present, else the defaults (as on `scan`). */
  configFile?: string;
  /** Rule paths overriding config rules.paths. */
  rulePaths?: string[];
  /** Report formats; default every registered format. JSON is always included: verify re-renders it. */
  formats?: string[];
  asOf?: string;
  signer?: ManifestSigner;
}

export interface PackedEvidence {
  archive: Buffer;
  manifest: Manifest;
  result: ScanResult;
}

export async function packEvidence(options: PackOptions): Promise<PackedEvidence> {
  const configFile = options.configFile ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  const config = loadConfig(configFile);
  const rulePaths = options.rulePaths ?? config.rules.paths;
  const rules = await loadRules(rulePaths, config);
  const formats = packFormats(options.formats);

  const staged: ArchiveEntry[] = [];
  const stage = (path: string, file: string) => staged.push({ path, data: readInput(file) });
  const files: LayoutFiles = { snapshot: `${SNAPSHOT_DIR}/${basename(options.snapshotFile)}` };
  stage(files.snapshot, options.snapshotFile);
  if (configFile) {
    files.config = `${CONFIG_DIR}/${basename(configFile)}`;
    stage(files.config, configFile);
  }
  // Rule ids are unique and equal to their file names, so rules/<id>.yaml cannot collide.
  for (const rule of rules) {
    stage(`${RULES_DIR}/${basename(rule.file)}`, rule.file);
    const tests = rule.file.replace(/\.yaml$/, '.test.yaml');
    if (existsSync(tests)) stage(`${RULES_DIR}/${basename(tests)}`, tests);
  }

  const inputs: EvidenceInputs = {
    snapshot: options.snapshotLabel,
    config: configFile ? portablePath(configFile) : null,
    rules: rulePaths.map((p) => (p === 'builtin' ? p : portablePath(p))),
    formats,
    failOn: config.output.failOn,
    sarifIncludeSuppressed: config.output.sarifIncludeSuppressed,
    ...(options.asOf ? { asOf: options.asOf } : {}),
  };
  const { result, outputs } = await withStagedLayout(staged, (root) => evaluateLayout(root, files, inputs));
  const entries = [...staged, ...[...outputs].map(([path, data]) => ({ path, data }))];
  if (options.signer) entries.push({ path: PUBLIC_KEY_FILE, data: Buffer.from(options.signer.publicKeyPem, 'utf8') });

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    tool: { name: 'trailproof', version: toolVersion() },
    rulePack: result.rulePack,
    snapshot: { file: files.snapshot, sha256: result.snapshot.sha256 ?? '', collectedAt: result.snapshot.collectedAt, source: result.snapshot.source },
    config: { ...(files.config ? { file: files.config } : {}), effective: EFFECTIVE_CONFIG_FILE },
    inputs,
    files: entries.map((e) => manifestFile(e.path, e.data)),
    ...(options.signer
      ? { signature: { algorithm: options.signer.algorithm, ...(options.signer.keyId ? { keyId: options.signer.keyId } : {}), publicKey: PUBLIC_KEY_FILE } }
      : {}),
  };
  const manifestBytes = serializeManifest(manifest);
  entries.push({ path: MANIFEST_FILE, data: manifestBytes });
  if (options.signer) entries.push({ path: SIGNATURE_FILE, data: await options.signer.sign(manifestBytes) });
  return { archive: writeTarGz(entries, new Date(result.snapshot.collectedAt)), manifest, result };
}

function packFormats(requested: string[] | undefined): string[] {
  const names = requested ?? listFormatters().map((f) => f.name);
  for (const n of names) formatterFor(n);
  return [...new Set(['json', ...names])];
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** A path as the manifest records it: its last part only, so nothing of the packer's disk leaves it. */
function portablePath(path: string): string {
  return basename(path) || path;
}
