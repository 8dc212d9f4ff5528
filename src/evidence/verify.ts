/**
 * `evidence verify`: every hash, the signature, and a fresh evaluation of the packed snapshot with
 * the packed rules and config whose outputs must equal the packed ones byte for byte. Each check is
 * one line; an unreadable package is a UserError (exit 2), a failed check is a result (exit 1).
 */
import { readFileSync } from 'node:fs';
import { toolVersion } from '../shared/version.ts';
import { UserError } from '../shared/errors.ts';
import { readTarGz, type ArchiveEntry } from './archive.ts';
import { evaluateLayout, REPORTS_DIR, withStagedLayout } from './layout.ts';
import { sha256Hex } from '../shared/hash.ts';
import { MANIFEST_FILE, parseManifest, SIGNATURE_FILE, type Manifest } from './manifest.ts';
import { verifyWithKms, verifyWithPublicKey, type KmsOptions } from './signing.ts';

export type CheckStatus = 'OK' | 'FAIL' | 'NOTE';

export interface VerifyCheck {
  status: CheckStatus;
  /** What was checked: "hash", "missing", "added", "signature", "re-evaluation", ... */
  check: string;
  detail: string;
}

export interface VerifyOptions {
  /** A public key (PEM) the verifier trusts; preferred over the one inside the package. */
  publicKeyFile?: string;
  /** Verify through KMS with this key instead of a public key file. */
  kmsKeyId?: string;
  kms?: KmsOptions;
}

export interface VerifyReport {
  manifest: Manifest;
  checks: VerifyCheck[];
  ok: boolean;
}

export async function verifyEvidence(archive: Buffer, label: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const entries = new Map(readTarGz(archive, label).map((e) => [e.path, e.data]));
  const manifestBytes = entries.get(MANIFEST_FILE);
  if (!manifestBytes) throw new UserError(`${label}: not an evidence package: no ${MANIFEST_FILE}`);
  const manifest = parseManifest(manifestBytes, label);

  const checks: VerifyCheck[] = [...checkFiles(manifest, entries)];
  checks.push(await checkSignature(manifest, manifestBytes, entries, options));
  if (manifest.tool.version !== toolVersion()) {
    checks.push({
      status: 'NOTE',
      check: 'tool',
      detail: `packed by trailproof ${manifest.tool.version}, verified with ${toolVersion()}: a different version may evaluate differently`,
    });
  }
  checks.push(...(await checkReevaluation(manifest, entries)));
  return { manifest, checks, ok: checks.every((c) => c.status !== 'FAIL') };
}

function* checkFiles(manifest: Manifest, entries: Map<string, Buffer>): Generator<VerifyCheck> {
  const listed = new Set<string>();
  let failed = false;
  for (const f of manifest.files) {
    listed.add(f.path);
    const data = entries.get(f.path);
    if (!data) {
      failed = true;
      yield { status: 'FAIL', check: 'missing', detail: `${f.path}: listed in the manifest but not in the package` };
    } else if (sha256Hex(data) !== f.sha256) {
      failed = true;
      yield { status: 'FAIL', check: 'hash', detail: `${f.path}: SHA-256 ${sha256Hex(data)} differs from the manifest's ${f.sha256}` };
    }
  }
  for (const path of [...entries.keys()].sort()) {
    if (listed.has(path) || path === MANIFEST_FILE || path === SIGNATURE_FILE) continue;
    failed = true;
    yield { status: 'FAIL', check: 'added', detail: `${path}: in the package but not in the manifest` };
  }
  if (!failed) yield { status: 'OK', check: 'hashes', detail: `${manifest.files.length} files match their SHA-256 in the manifest; none missing, none added` };
}

async function checkSignature(manifest: Manifest, manifestBytes: Buffer, entries: Map<string, Buffer>, options: VerifyOptions): Promise<VerifyCheck> {
  const fail = (detail: string): VerifyCheck => ({ status: 'FAIL', check: 'signature', detail });
  const signature = entries.get(SIGNATURE_FILE);
  const declared = manifest.signature;
  if (!declared) {
    if (signature) return fail(`${SIGNATURE_FILE} is present but the manifest declares no signature`);
    if (options.publicKeyFile || options.kmsKeyId) return fail('the package is unsigned, but a key to verify it with was given');
    return {
      status: 'NOTE',
      check: 'signature',
      detail: 'unsigned package: the hashes show the files agree with the manifest, not who made them',
    };
  }
  if (!signature) return fail(`the manifest declares a ${declared.algorithm} signature but ${SIGNATURE_FILE} is missing`);
  const what = `${declared.algorithm}${declared.keyId ? ` key ${declared.keyId}` : ''}`;
  if (options.kmsKeyId) {
    const valid = await verifyWithKms(options.kmsKeyId, declared.algorithm, manifestBytes, signature, options.kms);
    return valid
      ? { status: 'OK', check: 'signature', detail: `${what}: KMS Verify with ${options.kmsKeyId} accepts the manifest's signature` }
      : fail(`${what}: KMS Verify with ${options.kmsKeyId} rejects the manifest's signature`);
  }
  if (options.publicKeyFile) {
    const key = readKey(options.publicKeyFile);
    return verifyWithPublicKey(declared.algorithm, key, manifestBytes, signature, options.publicKeyFile)
      ? { status: 'OK', check: 'signature', detail: `${what}: valid for the public key in ${options.publicKeyFile}` }
      : fail(`${what}: not a signature of this manifest by the public key in ${options.publicKeyFile}`);
  }
  const embedded = entries.get(declared.publicKey);
  if (!embedded) return fail(`no --public-key given and the package's own key ${declared.publicKey} is missing`);
  return verifyWithPublicKey(declared.algorithm, embedded, manifestBytes, signature, declared.publicKey)
    ? {
        status: 'OK',
        check: 'signature',
        detail: `${what}: valid for the package's OWN public key ${declared.publicKey} (trusted only because no --public-key was given: this proves the manifest is intact, not who signed it)`,
      }
    : fail(`${what}: not a signature of this manifest by the package's own key ${declared.publicKey}`);
}

async function checkReevaluation(manifest: Manifest, entries: Map<string, Buffer>): Promise<VerifyCheck[]> {
  const staged: ArchiveEntry[] = [...entries].map(([path, data]) => ({ path, data }));
  const files = { snapshot: manifest.snapshot.file, ...(manifest.config.file ? { config: manifest.config.file } : {}) };
  let evaluation: Awaited<ReturnType<typeof evaluateLayout>>;
  try {
    evaluation = await withStagedLayout(staged, (root) => evaluateLayout(root, files, manifest.inputs));
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return [{ status: 'FAIL', check: 're-evaluation', detail: `the packed snapshot, rules and config cannot be evaluated: ${err.message.replace(/\s*\n\s*/g, ' | ')}` }];
  }
  const { result, outputs } = evaluation;
  const checks: VerifyCheck[] = [];
  const mismatch = (detail: string) => checks.push({ status: 'FAIL', check: 're-evaluation', detail });
  if (result.snapshot.sha256 !== manifest.snapshot.sha256) mismatch(`the packed snapshot's SHA-256 ${result.snapshot.sha256 ?? '?'} is not the manifest's ${manifest.snapshot.sha256}`);
  if (result.rulePack.sha256 !== manifest.rulePack.sha256) mismatch(`the packed rules hash to rule pack ${result.rulePack.sha256}, the manifest says ${manifest.rulePack.sha256}`);
  for (const [path, fresh] of outputs) {
    const packed = entries.get(path);
    if (!packed) mismatch(`${path}: not in the package`);
    else if (!packed.equals(fresh)) mismatch(`${path}: differs from a fresh evaluation of the packed snapshot, rules and config (${firstDifference(packed, fresh)})`);
    else checks.push({ status: 'OK', check: 're-evaluation', detail: `${path}: identical to a fresh evaluation (${result.verdicts.length} verdicts)` });
  }
  for (const f of manifest.files) {
    if (f.path.startsWith(`${REPORTS_DIR}/`) && !outputs.has(f.path)) mismatch(`${f.path}: a packed report that no packed format produces`);
  }
  return checks;
}

function firstDifference(packed: Buffer, fresh: Buffer): string {
  const a = packed.toString('utf8').split('\n');
  const b = fresh.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `first difference on line ${i + 1}`;
  return 'the bytes differ';
}

function readKey(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read the public key: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
