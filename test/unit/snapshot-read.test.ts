import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openSnapshot, readSnapshotFully, SnapshotLineError, snapshotFromMemory } from '../../src/snapshot/read.ts';
import { writeSnapshot } from '../../src/snapshot/write.ts';
import { SNAPSHOT_VERSION, type AccountRecord, type Snapshot } from '../../src/snapshot/types.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';
import { readError } from '../fixtures/snapshots/read-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-snapshot-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function tempFile(name: string): string {
  counter++;
  return join(dir, `${counter}-${name}`);
}

/** The snapshot as the lines a file would hold, so a test can break one of them. */
function linesOf(snapshot: Snapshot): string[] {
  return [JSON.stringify(snapshot.header), ...snapshot.accounts.map((a) => JSON.stringify(a))];
}

function fileWith(lines: string[], name = 'snap.jsonl'): string {
  const file = tempFile(name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}


async function collect(records: AsyncIterable<AccountRecord>): Promise<AccountRecord[]> {
  const out: AccountRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

describe('openSnapshot: round trip', () => {
  for (const name of ['org.jsonl', 'org.jsonl.gz']) {
    it(`reads back exactly what was written (${name}) and reports the stored bytes' sha256`, async () => {
      const snapshot = minimalSnapshot();
      const file = tempFile(name);
      const written = await writeSnapshot(file, snapshot.header, snapshot.accounts);
      const source = await openSnapshot(file);
      expect(source.label).toBe(file);
      expect(source.header).toEqual({ ...snapshot.header, version: SNAPSHOT_VERSION });
      expect(await collect(source.records())).toEqual(snapshot.accounts);
      const stored = readFileSync(file);
      expect(source.sha256).toBe(createHash('sha256').update(stored).digest('hex'));
      expect(written.sha256).toBe(source.sha256);
      expect(stored[0] === 0x1f && stored[1] === 0x8b).toBe(name.endsWith('.gz'));
    });
  }

  it('recognises gzip by its magic bytes, not by the file name', async () => {
    const snapshot = minimalSnapshot();
    const gz = tempFile('org.jsonl.gz');
    await writeSnapshot(gz, snapshot.header, snapshot.accounts);
    const renamed = tempFile('org.jsonl');
    copyFileSync(gz, renamed);
    expect((await readSnapshotFully(renamed)).accounts).toEqual(snapshot.accounts);
  });

  it('streams the records again on every call, giving equal records', async () => {
    const snapshot = minimalSnapshot();
    const file = tempFile('twice.jsonl.gz');
    await writeSnapshot(file, snapshot.header, snapshot.accounts);
    const source = await openSnapshot(file);
    const first = await collect(source.records());
    const second = await collect(source.records());
    expect(first.map((r) => r.accountId)).toEqual(['111111111111', '222222222222']);
    expect(second).toEqual(first);
    // Separate passes parse the file anew: no shared objects a caller could mutate for the next.
    expect(second[0]).not.toBe(first[0]);
  });

  it('lets a reader stop early and start again', async () => {
    const snapshot = minimalSnapshot();
    const file = tempFile('early.jsonl.gz');
    await writeSnapshot(file, snapshot.header, snapshot.accounts);
    const source = await openSnapshot(file);
    for await (const first of source.records()) {
      expect(first.accountId).toBe('111111111111');
      break;
    }
    expect((await collect(source.records())).map((r) => r.accountId)).toEqual(['111111111111', '222222222222']);
  });

  it('accepts CRLF line ends, a byte-order mark and a blank last line', async () => {
    const snapshot = minimalSnapshot();
    const file = tempFile('crlf.jsonl');
    writeFileSync(file, '\uFEFF' + linesOf(snapshot).join('\r\n') + '\r\n\r\n');
    expect(await readSnapshotFully(file)).toEqual(snapshot);
  });
});

describe('openSnapshot: malformed snapshots name the file, the line and the JSON path', () => {
  it('invalid JSON on line 3', async () => {
    const lines = linesOf(minimalSnapshot());
    lines[2] = lines[2]!.slice(0, -5);
    const file = fileWith(lines);
    expect((await readError(file)).message).toMatch(new RegExp(`^${escape(file)}:3:\\d+: invalid JSON: `));
  });

  it('names the column and what was expected there, in words that do not depend on the Node version', async () => {
    const lines = linesOf(minimalSnapshot());
    lines[2] = lines[2]!.replace(/,"regions":/, ',"regions" ');
    const column = lines[2]!.indexOf('"regions"') + '"regions" '.length + 1;
    const file = fileWith(lines);
    expect((await readError(file)).message).toBe(`${file}:3:${column}: invalid JSON: expected ':' after the property name`);
  });

  it('a wrong type deep inside an AWS answer', async () => {
    const snapshot = minimalSnapshot();
    (snapshot.accounts[1]!.regions[0]!.trails.value![0] as unknown as Record<string, unknown>).IsMultiRegionTrail = 'yes';
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(`${file}:3: /regions/0/trails/value/0/IsMultiRegionTrail: expected boolean`);
  });

  it('a missing header field', async () => {
    const snapshot = minimalSnapshot();
    delete (snapshot.header as unknown as Record<string, unknown>).collectedAt;
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(`${file}:1: /collectedAt: missing required field`);
  });

  it('an unknown field in trailproof\'s envelope', async () => {
    const snapshot = minimalSnapshot();
    (snapshot.accounts[0] as unknown as Record<string, unknown>).note = 'hand edited';
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(`${file}:2: /note: unknown field (not part of the snapshot format)`);
  });

  it('but extra fields inside AWS answers are kept (AWS adds fields over time)', async () => {
    const snapshot = minimalSnapshot();
    (snapshot.accounts[0]!.regions[0]!.trails.value![0] as unknown as Record<string, unknown>).NewAwsField = 'x';
    const file = fileWith(linesOf(snapshot));
    const read = await readSnapshotFully(file);
    expect(read.accounts[0]!.regions[0]!.trails.value![0]).toHaveProperty('NewAwsField', 'x');
  });

  it('an answer that is both a value and an error', async () => {
    const snapshot = minimalSnapshot();
    const record = snapshot.accounts[0] as unknown as { buckets: Record<string, unknown> };
    record.buckets.error = { operation: 's3:ListBuckets', code: 'AccessDenied', message: 'no' };
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(
      `${file}:2: /buckets: expected exactly one of {"value": ...}, {"value": null, "absent": "<code>"} or {"error": {...}}`,
    );
  });

  it('a value: null without the reason it is absent', async () => {
    const snapshot = minimalSnapshot();
    snapshot.accounts[0]!.buckets = { value: null } as never;
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(`${file}:2: /buckets/absent: missing required field`);
  });

  it('a version this trailproof does not read, saying which it does', async () => {
    const snapshot = minimalSnapshot();
    (snapshot.header as unknown as Record<string, unknown>).version = 3;
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(
      `${file}:1: /version: snapshot version 3 is not supported; supported versions: 1, 2`,
    );
  });

  it('a file that is not a snapshot (no header line)', async () => {
    const file = fileWith(linesOf(minimalSnapshot()).slice(1));
    expect((await readError(file)).message).toBe(
      `${file}:1: /format: not a trailproof snapshot: expected "trailproof-snapshot", found no format field`,
    );
  });

  it('a duplicate account', async () => {
    const lines = linesOf(minimalSnapshot());
    const file = fileWith([...lines, lines[2]!]);
    expect((await readError(file)).message).toBe(
      `${file}:4: /accountId: account 222222222222 appears twice (first on line 3)`,
    );
  });

  it('an account line missing from the scope (a truncated file)', async () => {
    const file = fileWith(linesOf(minimalSnapshot()).slice(0, 2));
    expect((await readError(file)).message).toBe(
      `${file}:1: /scope/accountIds: no account line for 222222222222 (the snapshot may be truncated)`,
    );
  });

  it('an account line the header does not list', async () => {
    const snapshot = minimalSnapshot();
    snapshot.header.scope.accountIds = ['111111111111'];
    const file = fileWith(linesOf(snapshot));
    expect((await readError(file)).message).toBe(
      `${file}:3: /accountId: account 222222222222 is not listed in the header's /scope/accountIds`,
    );
  });

  it('an empty file', async () => {
    const file = tempFile('empty.jsonl');
    writeFileSync(file, '');
    expect((await readError(file)).message).toBe(`${file}: empty file: expected a snapshot header on line 1`);
  });

  it('a missing file', async () => {
    const file = join(dir, 'does-not-exist.jsonl');
    expect((await readError(file)).message).toBe(`${file}: no such file`);
  });

  it('garbage after the gzip magic bytes', async () => {
    const file = tempFile('garbage.jsonl.gz');
    writeFileSync(file, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02, 0x03, 0x04]));
    expect((await readError(file)).message).toMatch(new RegExp(`^${escape(file)}: corrupt or truncated gzip data after line 0 `));
  });

  it('a truncated gzip file', async () => {
    const whole = gzipSync(linesOf(minimalSnapshot()).join('\n') + '\n');
    const file = tempFile('cut.jsonl.gz');
    writeFileSync(file, whole.subarray(0, whole.length - 12));
    expect((await readError(file)).message).toMatch(new RegExp(`^${escape(file)}: corrupt or truncated gzip data after line \\d+ `));
  });
});

describe('snapshotFromMemory', () => {
  it('validates like a file, naming the line the object would have', () => {
    const snapshot = minimalSnapshot();
    (snapshot.accounts[1]!.trailDetails as Record<string, unknown>).x = { TrailARN: 'x', status: { value: { IsLogging: 'yes' } }, eventSelectors: { value: {} } };
    expect(() => snapshotFromMemory(snapshot, 'demo')).toThrow(
      new SnapshotLineError('demo:3: /trailDetails/x/status/value/IsLogging: expected boolean', 3),
    );
  });

  it('iterates the records as many times as asked', async () => {
    const snapshot = minimalSnapshot();
    const source = snapshotFromMemory(snapshot, 'mem');
    expect(source.sha256).toBeUndefined();
    expect(await collect(source.records())).toEqual(snapshot.accounts);
    expect(await collect(source.records())).toEqual(snapshot.accounts);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
