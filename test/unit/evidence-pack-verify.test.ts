import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTarGz, writeTarGz, type ArchiveEntry } from '../../src/evidence/archive.ts';
import { MANIFEST_FILE, SIGNATURE_FILE, type Manifest } from '../../src/evidence/manifest.ts';
import { sha256Hex } from '../../src/shared/hash.ts';
import { packEvidence, type PackedEvidence } from '../../src/evidence/pack.ts';
import { ed25519Signer } from '../../src/evidence/signing.ts';
import { verifyEvidence, type VerifyReport } from '../../src/evidence/verify.ts';
import { BUILTIN_RULES_DIR } from '../../src/rules/load.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { runMain } from '../cli/run-cli.ts';
import { HTML_LAYOUT } from '../../src/report/html.ts';
import { generateOrg } from '../bench/generate-org.ts';
import { writeSyntheticSnapshot } from '../bench/org-snapshot.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-evidence-test-'));

function keyPair(name: string): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const files = { privateKey: join(dir, `${name}.pem`), publicKey: join(dir, `${name}.pub.pem`) };
  writeFileSync(files.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(files.publicKey, publicKey.export({ type: 'spki', format: 'pem' }));
  return files;
}

const signerKey = keyPair('signer');
const otherKey = keyPair('other');
// An empty config file, so the repository's config.yaml (if any) does not leak into the package.
const emptyConfig = join(dir, 'empty-config.yaml');
writeFileSync(emptyConfig, '# defaults\n');

const demo = (extra: Partial<Parameters<typeof packEvidence>[0]> = {}) =>
  packEvidence({ snapshotFile: DEMO_SNAPSHOT_FILE, snapshotLabel: '--demo', configFile: emptyConfig, ...extra });

/** Opens the archive, lets `edit` change its entries, and packs them again (same layout rules). */
function tamper(archive: Buffer, edit: (entries: Map<string, Buffer>) => void): Buffer {
  const entries = new Map(readTarGz(archive, 'test').map((e) => [e.path, e.data]));
  edit(entries);
  const list: ArchiveEntry[] = [...entries].map(([path, data]) => ({ path, data }));
  return writeTarGz(list, new Date('2026-11-02T09:00:00Z'));
}

function failures(report: VerifyReport): string[] {
  return report.checks.filter((c) => c.status === 'FAIL').map((c) => `${c.check}: ${c.detail}`);
}

function flipByte(data: Buffer): Buffer {
  const copy = Buffer.from(data);
  const at = Math.floor(copy.length / 2);
  // Stay printable ASCII so the file still parses as far as possible: only the hash should notice.
  copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
  return copy;
}

describe('evidence pack + verify on the demo organization', () => {
  let unsigned: PackedEvidence;
  let signed: PackedEvidence;

  beforeAll(async () => {
    unsigned = await demo();
    signed = await demo({ signer: ed25519Signer(signerKey.privateKey) });
  });

  it('packs the snapshot as stored, every rule with its tests, the config, every format, and a manifest hashing each', () => {
    const entries = new Map(readTarGz(signed.archive, 'pkg').map((e) => [e.path, e.data]));
    expect(entries.get('snapshot/demo-org.snapshot.jsonl')?.equals(readFileSync(DEMO_SNAPSHOT_FILE))).toBe(true);
    for (const rule of signed.result.rules) {
      expect(entries.get(`rules/${rule.id}.yaml`)?.equals(readFileSync(join(BUILTIN_RULES_DIR, `${rule.id}.yaml`)))).toBe(true);
      expect(entries.has(`rules/${rule.id}.test.yaml`)).toBe(true);
    }
    expect(entries.get('config/empty-config.yaml')?.toString()).toBe('# defaults\n');
    const effective = JSON.parse(entries.get('effective-config.json')!.toString()) as { rules: { paths: string[] }; source: string };
    expect(effective.rules.paths).toEqual(['rules']);
    expect(effective.source).toBe('config/empty-config.yaml');
    for (const f of ['trailproof.json', 'trailproof.sarif', 'trailproof.html', 'trailproof.md', 'trailproof.junit.xml', 'trailproof.oscal.json', 'trailproof.ocsf.jsonl', 'trailproof.asff.json']) {
      expect(entries.has(`reports/${f}`), f).toBe(true);
    }
    const manifest = JSON.parse(entries.get(MANIFEST_FILE)!.toString()) as Manifest;
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...entries.keys()].filter((p) => p !== MANIFEST_FILE && p !== SIGNATURE_FILE).sort());
    for (const f of manifest.files) expect(f.sha256).toBe(sha256Hex(entries.get(f.path)!));
    expect(manifest.snapshot).toEqual({
      file: 'snapshot/demo-org.snapshot.jsonl',
      sha256: sha256Hex(readFileSync(DEMO_SNAPSHOT_FILE)),
      collectedAt: '2026-11-02T09:00:00.000Z',
      source: signed.result.snapshot.source,
    });
    expect(manifest.inputs).toMatchObject({ snapshot: '--demo', config: 'empty-config.yaml', rules: ['builtin'] });
    expect(manifest.signature).toEqual({ algorithm: 'ED25519', publicKey: 'signer.pub.pem' });
    expect(entries.get('signer.pub.pem')?.toString()).toBe(readFileSync(signerKey.publicKey, 'utf8'));
  });

  it('holds no absolute path, so a package verifies on another machine', () => {
    const entries = readTarGz(signed.archive, 'pkg');
    const text = entries
      .filter((e) => !e.path.startsWith('snapshot/'))
      .map((e) => e.data.toString('utf8'))
      .join('\n');
    for (const local of [dir, process.cwd(), BUILTIN_RULES_DIR, tmpdir()]) expect(text.includes(local), local).toBe(false);
    for (const e of entries) expect(e.path.startsWith('/')).toBe(false);
  });

  it('verifies: every hash, the signature with the given public key, and a byte-identical re-evaluation of every output', async () => {
    const report = await verifyEvidence(signed.archive, 'pkg', { publicKeyFile: signerKey.publicKey });
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.check === 'signature')).toMatchObject({ status: 'OK', detail: expect.stringContaining(signerKey.publicKey) });
    const reproduced = report.checks.filter((c) => c.check === 're-evaluation' && c.status === 'OK').map((c) => c.detail.split(':')[0]);
    expect(reproduced.sort()).toEqual(signed.manifest.files.map((f) => f.path).filter((p) => p.startsWith('reports/') || p === 'effective-config.json').sort());
  });

  it('says plainly when it trusts the key inside the package', async () => {
    const report = await verifyEvidence(signed.archive, 'pkg');
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.check === 'signature')?.detail).toMatch(/package's OWN public key signer\.pub\.pem .*not who signed it/);
  });

  it('packs the same inputs to the same bytes', async () => {
    expect((await demo()).archive.equals(unsigned.archive)).toBe(true);
    expect((await demo({ signer: ed25519Signer(signerKey.privateKey) })).archive.equals(signed.archive)).toBe(true);
  });

  it('detects a changed byte in every packed file, naming the file', { timeout: 180_000 }, async () => {
    for (const file of signed.manifest.files) {
      const changed = tamper(signed.archive, (e) => e.set(file.path, flipByte(e.get(file.path)!)));
      const report = await verifyEvidence(changed, 'pkg', { publicKeyFile: signerKey.publicKey });
      expect(report.ok, file.path).toBe(false);
      expect(failures(report), file.path).toContainEqual(expect.stringMatching(new RegExp(`^hash: ${file.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: SHA-256`)));
    }
  });

  it('detects a missing file and an added file', async () => {
    const missing = await verifyEvidence(tamper(unsigned.archive, (e) => e.delete('reports/trailproof.md')), 'pkg');
    expect(failures(missing)).toContain('missing: reports/trailproof.md: listed in the manifest but not in the package');
    expect(missing.ok).toBe(false);
    const added = await verifyEvidence(tamper(unsigned.archive, (e) => e.set('reports/notes.txt', Buffer.from('trust me\n'))), 'pkg');
    expect(failures(added)).toContain('added: reports/notes.txt: in the package but not in the manifest');
    expect(added.ok).toBe(false);
  });

  it('refuses a manifest that points outside the package (unreadable: exit 2, not a failed check)', async () => {
    const escaping = tamper(unsigned.archive, (e) => {
      e.set(MANIFEST_FILE, Buffer.from(e.get(MANIFEST_FILE)!.toString().replace('"file": "snapshot/demo-org.snapshot.jsonl"', '"file": "../../etc/passwd"')));
    });
    await expect(verifyEvidence(escaping, 'pkg')).rejects.toThrow(/pkg: manifest\.json: unsafe path "\.\.\/\.\.\/etc\/passwd"/);
  });

  it('rejects a signature by another key, and a manifest altered after signing', async () => {
    const otherSigner = await verifyEvidence(signed.archive, 'pkg', { publicKeyFile: otherKey.publicKey });
    expect(failures(otherSigner)).toEqual([expect.stringMatching(/^signature: ED25519: not a signature of this manifest by the public key in .*other\.pub\.pem/)]);

    const altered = tamper(signed.archive, (e) => {
      const text = e.get(MANIFEST_FILE)!.toString().replace('"failOn": "high"', '"failOn": "critical"');
      e.set(MANIFEST_FILE, Buffer.from(text));
    });
    for (const options of [{ publicKeyFile: signerKey.publicKey }, {}]) {
      const report = await verifyEvidence(altered, 'pkg', options);
      expect(failures(report)).toContainEqual(expect.stringMatching(/^signature: ED25519: not a signature of this manifest/));
    }

    const resigned = tamper(signed.archive, (e) => e.set(SIGNATURE_FILE, flipByte(e.get(SIGNATURE_FILE)!)));
    expect(failures(await verifyEvidence(resigned, 'pkg', { publicKeyFile: signerKey.publicKey }))).toHaveLength(1);
  });

  it('verifies an unsigned package by its hashes and says it is unsigned; a key given for it fails', async () => {
    const report = await verifyEvidence(unsigned.archive, 'pkg');
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.check === 'signature')).toMatchObject({ status: 'NOTE', detail: expect.stringMatching(/^unsigned package/) });
    expect(report.checks.find((c) => c.check === 'hashes')?.status).toBe('OK');
    const withKey = await verifyEvidence(unsigned.archive, 'pkg', { publicKeyFile: signerKey.publicKey });
    expect(failures(withKey)).toEqual(['signature: the package is unsigned, but a key to verify it with was given']);
  });

  it('fails when a report no longer follows from the snapshot, even with its hash fixed in an unsigned manifest', async () => {
    const forged = tamper(unsigned.archive, (e) => {
      const report = e.get('reports/trailproof.json')!.toString();
      const edited = report.replace('"status": "FAIL"', '"status": "PASS"');
      expect(edited).not.toBe(report);
      e.set('reports/trailproof.json', Buffer.from(edited));
      const manifest = e.get(MANIFEST_FILE)!.toString().replace(sha256Hex(report), sha256Hex(edited)).replace(`"bytes": ${Buffer.byteLength(report)}`, `"bytes": ${Buffer.byteLength(edited)}`);
      e.set(MANIFEST_FILE, Buffer.from(manifest));
    });
    const report = await verifyEvidence(forged, 'pkg');
    expect(report.checks.find((c) => c.check === 'hashes')?.status).toBe('OK');
    expect(failures(report)).toEqual([expect.stringMatching(/^re-evaluation: reports\/trailproof\.json: differs from a fresh evaluation .*first difference on line \d+/)]);
  });

  it('fails, without crashing, when a packed rule no longer loads', async () => {
    const broken = tamper(unsigned.archive, (e) => {
      const rule = 'rules/cloudtrail-log-file-validation.yaml';
      const text = e.get(rule)!.toString().replace('severity: medium', 'severity: [');
      e.set(rule, Buffer.from(text));
    });
    const report = await verifyEvidence(broken, 'pkg');
    expect(failures(report)).toContainEqual(expect.stringMatching(/^re-evaluation: the packed snapshot, rules and config cannot be evaluated: .*cloudtrail-log-file-validation\.yaml/));
  });
});

describe('evidence pack with a user config and rule folder given by absolute path', () => {
  it('records portable inputs, names rules by their packed path, and verifies from the package alone', async () => {
    const config = join(dir, 'with-exception.yaml');
    writeFileSync(
      config,
      [
        'exceptions:',
        '  - rule: cloudtrail-log-file-validation',
        '    resource: "101010101010"',
        '    reason: sandbox',
        '    approver: lead@example.com',
        '    expires: 2027-01-31',
      ].join('\n'),
    );
    const packed = await packEvidence({ snapshotFile: DEMO_SNAPSHOT_FILE, snapshotLabel: '--demo', configFile: config, rulePaths: [BUILTIN_RULES_DIR], formats: ['md'] });
    expect(packed.manifest.inputs.formats).toEqual(['json', 'md']);
    expect(packed.manifest.inputs.rules.every((p) => !p.startsWith('/'))).toBe(true);
    expect([...packed.result.verdicts].filter((v) => v.suppressed).map((v) => v.resource.id)).toEqual(['101010101010']);
    const json = JSON.parse(readTarGz(packed.archive, 'pkg').find((e) => e.path === 'reports/trailproof.json')!.data.toString()) as { rules: { id: string; source: string }[] };
    for (const r of json.rules) expect(r.source).toBe(`rules/${r.id}.yaml`);
    const report = await verifyEvidence(packed.archive, 'pkg');
    expect(failures(report)).toEqual([]);
  });
});

describe('trailproof evidence (CLI)', () => {
  const run = runMain;

  it('packs, verifies with one line per check, exits 1 naming a failed check and 2 for an unreadable package', async () => {
    const archive = join(dir, 'cli.tar.gz');
    const packed = await run(['evidence', 'pack', '--demo', '--config', emptyConfig, '--out', archive, '--format', 'sarif', '--sign-key', signerKey.privateKey]);
    expect(packed.stderr).toBe('');
    expect(packed.code).toBe(0);
    expect(packed.stdout).toMatch(/^wrote .*cli\.tar\.gz \(\d+ bytes, \d+ files \+ manifest, signed ED25519\)/);

    const ok = await run(['evidence', 'verify', archive, '--public-key', signerKey.publicKey]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n').map((l) => l.split(':')[0])).toEqual([
      'OK   hashes',
      'OK   signature',
      'OK   re-evaluation',
      'OK   re-evaluation',
      'OK   re-evaluation',
      `verified`,
    ]);

    const bad = await run(['evidence', 'verify', archive, '--public-key', otherKey.publicKey]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/NOT verified: .*: 1 failed check\(s\): signature\n$/);

    const garbage = join(dir, 'garbage.tar.gz');
    writeFileSync(garbage, 'not an archive');
    const unreadable = await run(['evidence', 'verify', garbage]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/garbage\.tar\.gz: not a gzip archive/);
    const noManifest = join(dir, 'empty.tar.gz');
    writeFileSync(noManifest, writeTarGz([{ path: 'a.txt', data: Buffer.from('a') }], new Date(0)));
    expect((await run(['evidence', 'verify', noManifest])).stderr).toMatch(/not an evidence package: no manifest\.json/);
    expect((await run(['evidence', 'pack', '--out', archive])).code).toBe(2);
  });
});

describe('evidence package of an organization above the HTML single-page threshold', () => {
  it('holds the paged HTML (summary + pages, as evaluate writes it) and verifies', async () => {
    const snapshot = join(dir, 'org-200.snapshot.jsonl.gz');
    await writeSyntheticSnapshot(generateOrg({ accounts: 200 }), snapshot);
    const packed = await packEvidence({ snapshotFile: snapshot, snapshotLabel: 'org-200', configFile: emptyConfig, formats: ['html'] });
    expect(packed.result.verdicts.length).toBeGreaterThan(HTML_LAYOUT.singlePageMaxVerdicts);
    const entries = new Map(readTarGz(packed.archive, 'pkg').map((e) => [e.path, e.data]));
    const pages = [...entries.keys()].filter((p) => p.startsWith(`reports/${HTML_LAYOUT.folder}/`));
    expect(entries.get('reports/trailproof.html')!.toString('utf8')).toContain(`${HTML_LAYOUT.folder}/accounts-001.html`);
    expect(pages).toContain(`reports/${HTML_LAYOUT.folder}/accounts-001.html`);
    expect(pages.filter((p) => /\.(fail|error|other)-\d{3}\.html$/.test(p)).length).toBeGreaterThan(1);
    const report = await verifyEvidence(packed.archive, 'pkg');
    expect(failures(report)).toEqual([]);
  }, 300_000);
});
