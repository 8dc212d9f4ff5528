/**
 * Writing snapshots: one JSON line per account after the header line, gzipped when the file name
 * ends in .gz. Lines are written as they come (the collector can stream an organization without
 * holding it), with object keys sorted so the same snapshot always gives the same bytes, in format
 * version 2: a region's answer equal to an earlier region's is written as a reference (same-as.ts).
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
import { withSameAsReferences } from './same-as.ts';
import { tolerateAnswers } from './tolerate.ts';
import { SNAPSHOT_VERSION, type AccountRecord, type ApiError, type SnapshotHeader } from './types.ts';

export interface WrittenSnapshot {
  file: string;
  /** SHA-256 (hex) of the bytes written (compressed when gzipped): what openSnapshot reports. */
  sha256: string;
  accounts: number;
  /** Answers whose shape was not the expected one, kept as they came and recorded as UnexpectedAnswer errors. */
  keptAnswers: ApiError[];
}

/**
 * The snapshot was written (evidence first), but some of trailproof's own envelope does not match
 * the schema: a bug in whoever built it, not in what AWS answered. The file stays where it is.
 */
export class SnapshotDefectsError extends Error {
  constructor(
    readonly file: string,
    readonly defects: string[],
  ) {
    super(`the collected snapshot was written to ${file}, but it does not match the snapshot schema (a trailproof bug; please report it): ${defects.join('; ')}`);
    this.name = 'SnapshotDefectsError';
  }
}

/**
 * Writes a snapshot. What AWS answered is written whatever its shape: an answer the schema does
 * not expect is kept as it came and recorded as an UnexpectedAnswer error (tolerate.ts), so
 * the model treats its facts as unknown. The file appears only when complete: it is written next
 * to its final name and renamed at the end, so a crash never leaves a half snapshot behind. A
 * problem in trailproof's own envelope (a collector bug) does not lose the collection either:
 * the file is written, then SnapshotDefectsError names it.
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
  const defects: string[] = [];
  const keptAnswers: ApiError[] = [];
  const tolerate = <T extends object>(line: number, value: T, validate: (v: unknown) => LineProblem | undefined): T => {
    const checked = tolerateAnswers(value, validate);
    keptAnswers.push(...checked.kept);
    if (checked.defect) defects.push(`line ${line}: ${checked.defect.pointer || '/'}: ${checked.defect.message}`);
    return checked.line;
  };
  try {
    // Whatever version the header came with (a merge of version-1 shards): its lines are written in this one.
    await write(stableJson({ ...tolerate(1, header, validateHeader), version: SNAPSHOT_VERSION }, ['format', 'version']) + '\n');
    const written = new Set<string>();
    let line = 1;
    for await (const record of records) {
      line++;
      if (written.has(record.accountId)) defects.push(`line ${line}: account ${record.accountId} written twice`);
      written.add(record.accountId);
      await write(stableJson(withSameAsReferences(tolerate(line, record, validateRecord), (answer) => stableJson(answer))) + '\n');
    }
    const missing = header.scope.accountIds.filter((id) => !written.has(id));
    const inScope = new Set(header.scope.accountIds);
    const extra = [...written].filter((id) => !inScope.has(id));
    if (missing.length > 0 || extra.length > 0) {
      defects.push(`header scope.accountIds and account lines differ (missing lines: ${missing.join(', ') || 'none'}; not in scope: ${extra.join(', ') || 'none'})`);
    }
    sink.end();
    await outDone;
    await rename(partial, file);
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
  if (defects.length > 0) throw new SnapshotDefectsError(file, defects);
  return { file, sha256: hash.digest('hex'), accounts: header.scope.accountIds.length, keptAnswers };
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
