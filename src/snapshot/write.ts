/**
 * Writing snapshots: one JSON line per account after the header line, gzipped when the file name
 * ends in .gz. Lines are written as they come (the collector can stream an organization without
 * holding it), with object keys sorted so the same snapshot always gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { UserError } from '../shared/errors.ts';
import { validateHeader, validateRecord, type LineProblem } from './schema.ts';
import type { AccountRecord, SnapshotHeader } from './types.ts';

export interface WrittenSnapshot {
  file: string;
  /** SHA-256 (hex) of the bytes written (compressed when gzipped): what openSnapshot reports. */
  sha256: string;
  accounts: number;
}

/**
 * Writes a snapshot. The lines are validated as they are written (a collector bug must not leave
 * evidence that the reader would refuse), and the file appears only when complete: it is written
 * next to its final name and renamed at the end, so a crash never leaves a half snapshot behind.
 */
export async function writeSnapshot(
  file: string,
  header: SnapshotHeader,
  records: Iterable<AccountRecord> | AsyncIterable<AccountRecord>,
): Promise<WrittenSnapshot> {
  const partial = `${file}.partial-${process.pid}`;
  const out = createWriteStream(partial);
  // Subscribed at once, so an early error (no such directory, disk full) is never missed.
  const outDone = finished(out);
  outDone.catch(() => undefined);
  const hash = createHash('sha256');
  const gzip = file.endsWith('.gz') ? createGzip({ level: 9 }) : undefined;
  const sink: Writable = gzip ?? out;
  if (gzip) {
    gzip.on('data', (chunk: Buffer) => hash.update(chunk));
    gzip.pipe(out);
  }
  const write = async (text: string) => {
    if (!gzip) hash.update(text, 'utf8');
    if (!sink.write(text, 'utf8')) await Promise.race([once(sink, 'drain'), outDone]);
  };
  try {
    refuseInvalid(file, 1, validateHeader(header));
    await write(stableJson(header, ['format', 'version']) + '\n');
    const written = new Set<string>();
    let line = 1;
    for await (const record of records) {
      line++;
      refuseInvalid(file, line, validateRecord(record));
      if (written.has(record.accountId)) throw new Error(`${file}:${line}: account ${record.accountId} written twice`);
      written.add(record.accountId);
      await write(stableJson(record) + '\n');
    }
    const missing = header.scope.accountIds.filter((id) => !written.has(id));
    const inScope = new Set(header.scope.accountIds);
    const extra = [...written].filter((id) => !inScope.has(id));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(
        `${file}: header scope.accountIds and account lines differ (missing lines: ${missing.join(', ') || 'none'}; not in scope: ${extra.join(', ') || 'none'})`,
      );
    }
    sink.end();
    await outDone;
    await rename(partial, file);
    return { file, sha256: hash.digest('hex'), accounts: written.size };
  } catch (err) {
    out.destroy();
    gzip?.destroy();
    await rm(partial, { force: true });
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UserError(`${file}: cannot write: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** A snapshot the writer refuses is a bug in whoever built it, not a user's mistake. */
function refuseInvalid(file: string, line: number, problem: LineProblem | undefined): void {
  if (problem) throw new Error(`refusing to write an invalid snapshot: ${file}:${line}: ${problem.pointer}: ${problem.message}`);
}

/**
 * JSON with object keys in code-point order at every depth (`undefined` members are dropped as
 * JSON.stringify does). `leading` keys of the top-level object come first, so the header line
 * starts with "format" and "version" for anyone sniffing the file.
 */
export function stableJson(value: unknown, leading: string[] = []): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v).sort();
    const first = key === '' && this !== null && typeof this === 'object' && '' in this ? leading.filter((k) => k in v) : [];
    const sorted: Record<string, unknown> = {};
    for (const k of [...first, ...keys.filter((k) => !first.includes(k))]) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
