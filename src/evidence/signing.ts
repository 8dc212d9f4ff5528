/**
 * Signing the manifest: an Ed25519 key file (node:crypto), or an AWS KMS asymmetric key that never
 * leaves KMS. KMS signs the manifest's SHA-256 digest (MessageType DIGEST) rather than the bytes,
 * because RAW messages are limited to 4096 bytes and a manifest of a large rule pack is longer;
 * a DIGEST signature verifies like an ordinary signature over the message with SHA-256.
 */
import { constants, createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KMSClient, SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { UserError } from '../shared/errors.ts';

export type SignatureAlgorithm = 'ED25519' | 'ECDSA_SHA_256' | 'RSASSA_PSS_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256';

export interface ManifestSigner {
  algorithm: SignatureAlgorithm;
  keyId?: string;
  publicKeyPem: string;
  sign(message: Buffer): Promise<Buffer>;
}

export function ed25519Signer(privateKeyFile: string): ManifestSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(privateKeyFile));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${privateKeyFile}: cannot read the private key: ${code && !code.startsWith('ERR_') ? code : 'not a PEM private key'}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UserError(`${privateKeyFile}: expected an Ed25519 private key, found ${key.asymmetricKeyType ?? 'another kind of key'}`);
  return {
    algorithm: 'ED25519',
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
    sign: async (message) => sign(null, message, key),
  };
}

/** KMS key specs we sign with, and the algorithm for each (SHA-256 throughout). */
const KMS_ALGORITHMS: Record<string, SignatureAlgorithm[]> = {
  ECC_NIST_P256: ['ECDSA_SHA_256'],
  RSA_2048: ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'],
  RSA_3072: ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'],
  RSA_4096: ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'],
};

export interface KmsOptions {
  region?: string;
  profile?: string;
  client?: KMSClient;
}

/** The KMS client loads with the first KMS call: packing or verifying with a key file never needs it. */
const loadKms = () => import('@aws-sdk/client-kms');

export async function kmsClient(keyId: string, options: KmsOptions): Promise<KMSClient> {
  if (options.client) return options.client;
  // A key ARN names its region; an alias or bare id uses the configured one.
  const region = /^arn:aws[\w-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1] ?? options.region;
  const { KMSClient } = await loadKms();
  return new KMSClient({ ...(region ? { region } : {}), ...(options.profile ? { profile: options.profile } : {}) });
}

export async function kmsSigner(keyId: string, options: KmsOptions = {}): Promise<ManifestSigner> {
  const client = await kmsClient(keyId, options);
  const { GetPublicKeyCommand, SignCommand } = await loadKms();
  const described = await kmsCall(keyId, 'GetPublicKey', () => client.send(new GetPublicKeyCommand({ KeyId: keyId })));
  if (described.KeyUsage !== 'SIGN_VERIFY') throw new UserError(`KMS key ${keyId}: key usage is ${described.KeyUsage ?? 'unknown'}; an evidence signature needs SIGN_VERIFY`);
  const candidates = KMS_ALGORITHMS[described.KeySpec ?? ''];
  const algorithm = candidates?.find((a) => described.SigningAlgorithms?.includes(a as SigningAlgorithmSpec));
  if (!candidates || !algorithm || !described.PublicKey) {
    throw new UserError(`KMS key ${keyId}: key spec ${described.KeySpec ?? 'unknown'} is not supported; use ${Object.keys(KMS_ALGORITHMS).join(', ')}`);
  }
  const arn = described.KeyId ?? keyId;
  return {
    algorithm,
    keyId: arn,
    publicKeyPem: createPublicKey({ key: Buffer.from(described.PublicKey), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString(),
    async sign(message) {
      const signed = await kmsCall(keyId, 'Sign', () =>
        client.send(new SignCommand({ KeyId: arn, Message: digest(message), MessageType: 'DIGEST', SigningAlgorithm: algorithm as SigningAlgorithmSpec })),
      );
      if (!signed.Signature) throw new UserError(`KMS key ${keyId}: Sign returned no signature`);
      return Buffer.from(signed.Signature);
    },
  };
}

/** Offline check with a public key (PEM). False for a wrong key or signature; throws UserError for an unusable key. */
export function verifyWithPublicKey(algorithm: SignatureAlgorithm, publicKeyPem: string | Buffer, message: Buffer, signature: Buffer, keyLabel: string): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    throw new UserError(`${keyLabel}: not a PEM public key`);
  }
  try {
    switch (algorithm) {
      case 'ED25519':
        return key.asymmetricKeyType === 'ed25519' && verify(null, message, key, signature);
      case 'ECDSA_SHA_256':
        return key.asymmetricKeyType === 'ec' && verify('sha256', message, key, signature);
      case 'RSASSA_PKCS1_V1_5_SHA_256':
        return key.asymmetricKeyType === 'rsa' && verify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'RSASSA_PSS_SHA_256':
        // KMS uses a salt as long as the digest.
        return key.asymmetricKeyType === 'rsa' && verify('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      default:
        throw new UserError(`unknown signature algorithm "${String(algorithm)}"`);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    return false;
  }
}

/** Online check: KMS Verify with the key itself (needs kms:Verify on it). */
export async function verifyWithKms(keyId: string, algorithm: SignatureAlgorithm, message: Buffer, signature: Buffer, options: KmsOptions = {}): Promise<boolean> {
  if (algorithm === 'ED25519') throw new UserError(`--kms-key-id: the package is signed with an Ed25519 key file, not KMS; use --public-key`);
  const client = await kmsClient(keyId, options);
  const { VerifyCommand } = await loadKms();
  try {
    const r = await client.send(
      new VerifyCommand({ KeyId: keyId, Message: digest(message), MessageType: 'DIGEST', Signature: signature, SigningAlgorithm: algorithm as SigningAlgorithmSpec }),
    );
    return r.SignatureValid === true;
  } catch (err) {
    // KMS answers a signature that does not verify with an exception, not SignatureValid false.
    if ((err as Error).name === 'KMSInvalidSignatureException') return false;
    throw new UserError(`KMS key ${keyId}: Verify failed: ${(err as Error).name}: ${(err as Error).message}`);
  }
}

function digest(message: Buffer): Buffer {
  return createHash('sha256').update(message).digest();
}

async function kmsCall<T>(keyId: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new UserError(`KMS key ${keyId}: ${operation} failed: ${(err as Error).name}: ${(err as Error).message}`);
  }
}
