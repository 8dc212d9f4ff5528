import { afterEach, describe, expect, it } from 'vitest';
import { createHash, generateKeyPairSync, privateEncrypt, constants, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { GetPublicKeyCommand, KMSClient, KMSInvalidSignatureException, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { readTarGz } from '../../src/evidence/archive.ts';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../../src/evidence/manifest.ts';
import { packEvidence } from '../../src/evidence/pack.ts';
import { kmsSigner } from '../../src/evidence/signing.ts';
import { verifyEvidence } from '../../src/evidence/verify.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { UserError } from '../../src/shared/errors.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const dir = mkdtempSync(join(tmpdir(), 'trailproof-kms-test-'));
const emptyConfig = join(dir, 'config.yaml');
writeFileSync(emptyConfig, '{}\n');

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2): what RSASSA-PKCS1-v1_5 signs before padding. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** KMS signs a DIGEST message as-is; for PKCS#1 v1.5 that is DigestInfo ‖ digest, padded and encrypted with the private key. */
function kmsLikeRsaSignature(privateKey: KeyObject, digest: Uint8Array): Uint8Array {
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest]));
}

/** GetPublicKey response shape from the KMS API reference. */
function publicKeyResponse(publicKey: KeyObject, keySpec: string, signingAlgorithms: string[], keyUsage = 'SIGN_VERIFY') {
  return {
    KeyId: KEY_ARN,
    KeySpec: keySpec,
    CustomerMasterKeySpec: keySpec,
    KeyUsage: keyUsage,
    SigningAlgorithms: signingAlgorithms,
    PublicKey: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  } as never;
}

const pack = (signer: Awaited<ReturnType<typeof kmsSigner>>) =>
  packEvidence({ snapshotFile: DEMO_SNAPSHOT_FILE, snapshotLabel: '--demo', configFile: emptyConfig, formats: ['json'], signer });

describe('evidence signed with an AWS KMS asymmetric key', () => {
  it('RSA: signs the manifest digest via KMS Sign, records key and algorithm, and verifies offline with the exported public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    kms.on(GetPublicKeyCommand, { KeyId: 'alias/trailproof-evidence' }).resolves(publicKeyResponse(publicKey, 'RSA_2048', ['RSASSA_PKCS1_V1_5_SHA_256']));
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      KeyId: KEY_ARN,
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      Signature: kmsLikeRsaSignature(privateKey, input.Message),
    }));

    const packed = await pack(await kmsSigner('alias/trailproof-evidence', { region: 'eu-west-1' }));
    const entries = new Map(readTarGz(packed.archive, 'pkg').map((e) => [e.path, e.data]));
    const manifestBytes = entries.get(MANIFEST_FILE)!;

    const sign = kms.commandCalls(SignCommand);
    expect(sign).toHaveLength(1);
    expect(sign[0]!.args[0].input).toEqual({
      KeyId: KEY_ARN,
      Message: createHash('sha256').update(manifestBytes).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
    });
    expect(packed.manifest.signature).toEqual({ algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', keyId: KEY_ARN, publicKey: 'signer.pub.pem' });
    expect(entries.get('signer.pub.pem')!.toString()).toBe(publicKey.export({ type: 'spki', format: 'pem' }));

    const pem = join(dir, 'kms-rsa.pub.pem');
    writeFileSync(pem, publicKey.export({ type: 'spki', format: 'pem' }));
    const report = await verifyEvidence(packed.archive, 'pkg', { publicKeyFile: pem });
    expect(report.checks.filter((c) => c.status === 'FAIL')).toEqual([]);
    expect(report.checks.find((c) => c.check === 'signature')?.detail).toContain(`RSASSA_PKCS1_V1_5_SHA_256 key ${KEY_ARN}: valid`);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const otherPem = join(dir, 'other-rsa.pub.pem');
    writeFileSync(otherPem, other.export({ type: 'spki', format: 'pem' }));
    expect((await verifyEvidence(packed.archive, 'pkg', { publicKeyFile: otherPem })).ok).toBe(false);
  });

  it('ECC_NIST_P256: signs with ECDSA_SHA_256 and verify --kms-key-id asks KMS Verify with the same digest and signature', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    kms.on(GetPublicKeyCommand).resolves(publicKeyResponse(publicKey, 'ECC_NIST_P256', ['ECDSA_SHA_256']));
    const signature = Buffer.from('3045022100aa', 'hex');
    kms.on(SignCommand).resolves({ KeyId: KEY_ARN, SigningAlgorithm: 'ECDSA_SHA_256', Signature: new Uint8Array(signature) });
    kms.on(VerifyCommand).resolves({ KeyId: KEY_ARN, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });

    const packed = await pack(await kmsSigner(KEY_ARN));
    const entries = new Map(readTarGz(packed.archive, 'pkg').map((e) => [e.path, e.data]));
    expect(entries.get(SIGNATURE_FILE)?.equals(signature)).toBe(true);
    expect(kms.commandCalls(SignCommand)[0]!.args[0].input).toMatchObject({ SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'DIGEST' });

    const accepted = await verifyEvidence(packed.archive, 'pkg', { kmsKeyId: KEY_ARN });
    expect(accepted.ok).toBe(true);
    expect(kms.commandCalls(VerifyCommand)[0]!.args[0].input).toEqual({
      KeyId: KEY_ARN,
      Message: createHash('sha256').update(entries.get(MANIFEST_FILE)!).digest(),
      MessageType: 'DIGEST',
      Signature: signature,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });

    // KMS answers a signature that does not match with KMSInvalidSignatureException.
    kms.on(VerifyCommand).rejects(new KMSInvalidSignatureException({ message: 'invalid', $metadata: {} }));
    const rejected = await verifyEvidence(packed.archive, 'pkg', { kmsKeyId: KEY_ARN });
    expect(rejected.checks.find((c) => c.check === 'signature')).toMatchObject({ status: 'FAIL', detail: expect.stringContaining('rejects') });

    // Offline, the placeholder signature is not a valid ECDSA signature by the embedded key.
    expect((await verifyEvidence(packed.archive, 'pkg')).ok).toBe(false);
  });

  it('refuses keys that cannot sign, and reports KMS errors as user errors', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    kms.on(GetPublicKeyCommand).resolves(publicKeyResponse(publicKey, 'RSA_2048', [], 'ENCRYPT_DECRYPT'));
    await expect(kmsSigner(KEY_ARN)).rejects.toThrow(/key usage is ENCRYPT_DECRYPT; an evidence signature needs SIGN_VERIFY/);

    kms.on(GetPublicKeyCommand).resolves(publicKeyResponse(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey, 'ECC_NIST_P384', ['ECDSA_SHA_384']));
    await expect(kmsSigner(KEY_ARN)).rejects.toThrow(/key spec ECC_NIST_P384 is not supported/);

    kms.on(GetPublicKeyCommand).rejects(Object.assign(new Error('User is not authorized to perform kms:GetPublicKey'), { name: 'AccessDeniedException' }));
    const denied = kmsSigner(KEY_ARN);
    await expect(denied).rejects.toBeInstanceOf(UserError);
    await expect(denied).rejects.toThrow(/GetPublicKey failed: AccessDeniedException/);
  });
});
