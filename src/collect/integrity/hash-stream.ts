import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';

/**
 * SHA-256 of a log file's uncompressed content, computed as the bytes arrive (CloudTrail hashes
 * the uncompressed JSON, so a log re-gzipped with other settings still verifies). `bytes` counts
 * what was transferred.
 */
export async function hashUncompressed(body: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  let decided = false;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    if (!decided) {
      decided = true;
      if (chunk[0] === 0x1f && chunk[1] === 0x8b) {
        gunzip = createGunzip();
        gunzip.on('data', (c: Buffer) => hash.update(c));
      }
    }
    if (!gunzip) hash.update(chunk);
    else if (!gunzip.write(chunk)) await once(gunzip, 'drain');
  }
  if (gunzip) {
    const ended = once(gunzip, 'end');
    gunzip.end();
    await ended;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function collectBytes(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
