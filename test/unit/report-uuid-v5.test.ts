import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TRAILPROOF_UUID_NAMESPACE, uuidBytes, uuidTextAt, uuidV5, uuidV5Joined } from '../../src/report/uuid-v5.ts';

/** RFC 4122 section 4.3, written the plain way: what uuidV5 must give. */
function reference(name: string, namespace: string): string {
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

describe('uuidV5', () => {
  it('is RFC 4122 section 4.3 for short, long, non-ASCII and empty names, in any namespace', () => {
    const names = ['', 'www.example.com', 'observation:é — ✓ \ud83d\ude00', 'x'.repeat(10_000), 'y'.repeat(9_999), 'short again'];
    for (const namespace of [TRAILPROOF_UUID_NAMESPACE, '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '6BA7B811-9DAD-11D1-80B4-00C04FD430C8']) {
      for (const name of names) expect(uuidV5(name, namespace)).toBe(reference(name, namespace));
    }
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('names by a head and a tail written apart as by the two joined, a surrogate pair split between them too', () => {
    const pairs: [string, string][] = [['evidence:', '{"a":1}'], ['', 'x'], ['x', ''], ['', ''], ['é — ', '✓ end'], ['high \ud83d', '\ude00 low'], ['lone \ud83d', 'x'], ['y'.repeat(5_000), 'z'.repeat(7_000)]];
    for (const namespace of [TRAILPROOF_UUID_NAMESPACE, '6ba7b810-9dad-11d1-80b4-00c04fd430c8']) {
      for (const [head, tail] of pairs) expect(uuidV5Joined(head, tail, namespace)).toBe(reference(head + tail, namespace));
    }
  });

  it('keeps a uuid as 16 bytes and writes the same text back', () => {
    const bytes = Buffer.alloc(48);
    const uuids = ['00000000-0000-5000-8000-000000000000', 'ffffffff-ffff-5fff-bfff-ffffffffffff', uuidV5('a')];
    uuids.forEach((uuid, i) => uuidBytes(uuid, bytes, i * 16));
    expect(uuids.map((_, i) => uuidTextAt(bytes, i * 16))).toEqual(uuids);
    uuidBytes('ABCDEF01-2345-5789-ABCD-EF0123456789', bytes, 0);
    expect(uuidTextAt(bytes, 0)).toBe('abcdef01-2345-5789-abcd-ef0123456789');
  });
});
