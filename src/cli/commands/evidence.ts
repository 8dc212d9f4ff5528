import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { packEvidence } from '../../evidence/pack.ts';
import { ed25519Signer, kmsSigner, type ManifestSigner } from '../../evidence/signing.ts';
import { verifyEvidence } from '../../evidence/verify.ts';
import { listFormatters } from '../../report/registry.ts';
import { UserError } from '../../shared/errors.ts';
import { DEMO_SNAPSHOT_FILE } from '../../snapshot/demo.ts';
import type { SetExit } from '../register.ts';
import { asOfOption, formatsOption } from '../options.ts';

interface PackFlags {
  snapshot?: string;
  demo?: boolean;
  out: string;
  config?: string;
  rules?: string[];
  signKey?: string;
  kmsKeyId?: string;
  format?: string[];
  asOf?: string;
}

interface VerifyFlags {
  publicKey?: string;
  kmsKeyId?: string;
}

/** Used when --out names a folder. */
const DEFAULT_PACKAGE_NAME = 'trailproof-evidence.tar.gz';

export function register(program: Command, setExit: SetExit): void {
  const evidence = program.command('evidence').description('signed evidence packages for auditors: pack a scan, verify a package');

  evidence
    .command('pack')
    .description(
      'evaluate a snapshot and write one .tar.gz holding the snapshot, rules, config, every report and a manifest of SHA-256 hashes (optionally signed). ' +
        'Exit 0 once the package is written, whatever the verdicts: `scan` is the gate.',
    )
    .option('-s, --snapshot <file>', 'the snapshot to evaluate and pack')
    .option('--demo', 'pack the bundled demo organization')
    .requiredOption('-o, --out <path>', `archive to write (.tar.gz), or a folder to write ${DEFAULT_PACKAGE_NAME} in`)
    .option('-c, --config <file>', 'config file (default: ./config.yaml when present)')
    .option('-r, --rules <path...>', 'rule files or folders instead of config rules.paths')
    .option('--sign-key <file>', 'sign the manifest with this Ed25519 private key (PEM)')
    .option('--kms-key-id <key>', 'sign the manifest with this AWS KMS asymmetric key (ECC_NIST_P256 or RSA; id, alias or ARN)')
    .addOption(formatsOption(`reports to include (default: all: ${listFormatters().map((f) => f.name).join(',')}; json is always included)`))
    .addOption(asOfOption("judge exception expiry on this day (YYYY-MM-DD; default: the snapshot's collection day)"))
    .action(async (flags: PackFlags) => {
      if (Boolean(flags.snapshot) === Boolean(flags.demo)) throw new UserError('evidence pack needs exactly one of --snapshot FILE or --demo');
      if (flags.signKey && flags.kmsKeyId) throw new UserError('--sign-key and --kms-key-id exclude each other');
      const signer = await signerFor(flags);
      const packed = await packEvidence({
        snapshotFile: flags.snapshot ?? DEMO_SNAPSHOT_FILE,
        snapshotLabel: flags.snapshot ? basename(flags.snapshot) : '--demo',
        ...(flags.config ? { configFile: flags.config } : {}),
        ...(flags.rules ? { rulePaths: flags.rules } : {}),
        ...(flags.format ? { formats: flags.format } : {}),
        ...(flags.asOf ? { asOf: flags.asOf } : {}),
        ...(signer ? { signer } : {}),
      });
      const file = await writeArchive(flags.out, packed.archive);
      const { counts } = packed.result.summary;
      const signed = packed.manifest.signature ? `signed ${packed.manifest.signature.algorithm}${packed.manifest.signature.keyId ? ` with ${packed.manifest.signature.keyId}` : ''}` : 'unsigned';
      process.stdout.write(
        `wrote ${file} (${packed.archive.length} bytes, ${packed.manifest.files.length} files + manifest, ${signed})\n` +
          `  snapshot ${packed.manifest.snapshot.sha256} collected ${packed.manifest.snapshot.collectedAt}\n` +
          `  PASS ${counts.PASS}  FAIL ${counts.FAIL} (${counts.suppressed} suppressed)  ERROR ${counts.ERROR}  NOT_APPLICABLE ${counts.NOT_APPLICABLE}\n`,
      );
      setExit(0);
    });

  evidence
    .command('verify')
    .description(
      'check every hash, the signature, and that re-evaluating the packed snapshot with the packed rules and config reproduces every packed report byte for byte. ' +
        'Exit 0 when every check passes, 1 when one fails, 2 when the package cannot be read.',
    )
    .argument('<package>', 'the .tar.gz written by `evidence pack`')
    .option('--public-key <file>', "the signer's public key (PEM) you trust; without it the package's own key is used, which proves integrity but not who signed")
    .option('--kms-key-id <key>', 'verify the signature with AWS KMS Verify on this key')
    .action(async (file: string, flags: VerifyFlags) => {
      if (flags.publicKey && flags.kmsKeyId) throw new UserError('--public-key and --kms-key-id exclude each other');
      const report = await verifyEvidence(readPackage(file), file, {
        ...(flags.publicKey ? { publicKeyFile: flags.publicKey } : {}),
        ...(flags.kmsKeyId ? { kmsKeyId: flags.kmsKeyId } : {}),
      });
      const lines = report.checks.map((c) => `${c.status.padEnd(4)} ${c.check}: ${c.detail}`);
      const failed = report.checks.filter((c) => c.status === 'FAIL').map((c) => c.check);
      lines.push(report.ok ? `verified: ${file}` : `NOT verified: ${file}: ${failed.length} failed check(s): ${[...new Set(failed)].join(', ')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      setExit(report.ok ? 0 : 1);
    });
}

async function signerFor(flags: PackFlags): Promise<ManifestSigner | undefined> {
  if (flags.signKey) return ed25519Signer(flags.signKey);
  if (!flags.kmsKeyId) return undefined;
  const config = loadConfig(flags.config);
  return kmsSigner(flags.kmsKeyId, { region: config.organization.homeRegion, ...(config.organization.profile ? { profile: config.organization.profile } : {}) });
}

async function writeArchive(out: string, archive: Buffer): Promise<string> {
  const file = isDirectory(out) ? join(out, DEFAULT_PACKAGE_NAME) : out;
  // Written beside and renamed, so an interrupted run never leaves half a package under the real name.
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(temp, archive);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw new UserError(`${file}: cannot write the evidence package: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return file;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readPackage(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read the evidence package: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
