import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { readTarGz, writeTarGz } from '../../src/evidence/archive.ts';

const when = new Date('2026-11-02T09:00:00Z');
const longPath = `reports/${'a'.repeat(60)}/${'b'.repeat(70)}.json`;
const entries = [
  { path: 'z.txt', data: Buffer.from('last\n') },
  { path: 'a/b.txt', data: Buffer.alloc(1000, 0x61) },
  { path: longPath, data: Buffer.from('{}\n') },
  { path: 'empty', data: Buffer.alloc(0) },
];

/** A one-entry tar whose header we can corrupt field by field. */
function rawTar(path: string, type = '0'): Buffer {
  const tar = gunzipSync(writeTarGz([{ path: 'x', data: Buffer.from('x') }], when));
  tar.fill(0, 0, 100);
  tar.write(path, 0, 'utf8');
  tar.write(type, 156, 'ascii');
  tar.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += tar[i]!;
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return gzipSync(tar);
}

describe('evidence archive', () => {
  it('round-trips entries sorted by path, byte for byte, including paths over 100 bytes', () => {
    const archive = writeTarGz(entries, when);
    const back = readTarGz(archive, 't');
    expect(back.map((e) => e.path)).toEqual(['a/b.txt', 'empty', longPath, 'z.txt']);
    for (const e of entries) expect(back.find((b) => b.path === e.path)?.data.equals(e.data)).toBe(true);
  });

  it('is deterministic: no gzip timestamp, fixed owner, mode and mtime, whatever the input order', () => {
    const a = writeTarGz(entries, when);
    const b = writeTarGz([...entries].reverse(), when);
    expect(a.equals(b)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0); // gzip MTIME
    expect(a[9]).toBe(255); // gzip OS: unknown, so every platform writes the same byte
  });

  it('is read by the system tar with the metadata we set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-tar-'));
    const file = join(dir, 'p.tar.gz');
    writeFileSync(file, writeTarGz(entries, when));
    const listing = execFileSync('tar', ['--numeric-owner', '--utc', '-tvzf', file], { encoding: 'utf8' });
    expect(listing).toContain('-rw-r--r-- 0/0            1000 2026-11-02 09:00 a/b.txt');
    expect(listing).toContain(longPath);
    execFileSync('tar', ['-xzf', file, '-C', dir]);
    expect(readFileSync(join(dir, longPath), 'utf8')).toBe('{}\n');
  });

  it('refuses what could escape the extraction folder or is not a plain file', () => {
    expect(() => readTarGz(rawTar('../etc/passwd'), 'pkg.tar.gz')).toThrow(/pkg\.tar\.gz: unsafe path "\.\.\/etc\/passwd"/);
    expect(() => readTarGz(rawTar('/abs'), 'pkg.tar.gz')).toThrow(/unsafe path "\/abs"/);
    expect(() => readTarGz(rawTar('link', '2'), 'pkg.tar.gz')).toThrow(/link: only regular files are allowed .*tar type "2"/);
    expect(() => readTarGz(Buffer.from('plain text'), 'pkg.tar.gz')).toThrow(/pkg\.tar\.gz: not a gzip archive/);
    const corrupt = gunzipSync(writeTarGz(entries, when));
    corrupt[0] = 0x41;
    expect(() => readTarGz(gzipSync(corrupt), 'pkg.tar.gz')).toThrow(/corrupt tar header at byte 0/);
    const twice = Buffer.concat([gunzipSync(rawTar('same')).subarray(0, 1024), gunzipSync(rawTar('same'))]);
    expect(() => readTarGz(gzipSync(twice), 'pkg.tar.gz')).toThrow(/same appears twice/);
  });
});
