import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/shared/errors.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { SnapshotDefectsError, stableJson, writeSnapshot } from '../../src/snapshot/write.ts';
import type { AccountRecord } from '../../src/snapshot/types.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-snapshot-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same value with every object's keys in reverse order: equal data, different insertion order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .reverse()
      .map((k) => [k, reversedKeys((value as Record<string, unknown>)[k])]),
  ) as T;
}

describe('writeSnapshot', () => {
  for (const ext of ['jsonl', 'jsonl.gz']) {
    it(`gives the same bytes for the same snapshot, whatever the key order (.${ext})`, async () => {
      const snapshot = minimalSnapshot();
      const a = join(dir, `a.${ext}`);
      const b = join(dir, `b.${ext}`);
      const first = await writeSnapshot(a, snapshot.header, snapshot.accounts);
      const reordered = reversedKeys(snapshot);
      const second = await writeSnapshot(b, reordered.header, reordered.accounts);
      expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
      expect(second.sha256).toBe(first.sha256);
      expect(first.accounts).toBe(2);
      // Written, read back, written again: byte-stable.
      const again = await readSnapshotFully(a);
      const c = join(dir, `c.${ext}`);
      await writeSnapshot(c, again.header, again.accounts);
      expect(readFileSync(c).equals(readFileSync(a))).toBe(true);
    });
  }

  it('writes one JSON line per account after a header line that starts with format and version', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'lines.jsonl.gz');
    await writeSnapshot(file, snapshot.header, snapshot.accounts);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]!.startsWith('{"format":"trailproof-snapshot","version":2,')).toBe(true);
    expect((JSON.parse(lines[2]!) as AccountRecord).accountId).toBe('222222222222');
  });

  it('consumes an async iterable of records as they come', async () => {
    const snapshot = minimalSnapshot();
    const produced: string[] = [];
    async function* lazily(): AsyncGenerator<AccountRecord> {
      for (const record of snapshot.accounts) {
        await new Promise((r) => setImmediate(r));
        produced.push(record.accountId);
        yield record;
      }
    }
    const file = join(dir, 'async.jsonl');
    await writeSnapshot(file, snapshot.header, lazily());
    expect(produced).toEqual(['111111111111', '222222222222']);
    expect((await readSnapshotFully(file)).accounts).toEqual(snapshot.accounts);
  });

  it('keeps an answer of unexpected shape as it came, as an UnexpectedAnswer error, and the file reads back', async () => {
    const snapshot = minimalSnapshot();
    const record = snapshot.accounts[0]!;
    const arn = Object.keys(record.trailDetails)[0]!;
    const odd = {
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
    };
    record.trailDetails[arn]!.eventSelectors = { value: odd as never };
    const before = structuredClone(record);
    const file = join(dir, 'kept.jsonl');
    const written = await writeSnapshot(file, snapshot.header, snapshot.accounts);
    expect(record).toEqual(before); // the caller's record is not modified
    expect(written.keptAnswers).toEqual([
      expect.objectContaining({ operation: 'cloudtrail:GetEventSelectors', code: 'UnexpectedAnswer', accountId: record.accountId, region: arn.split(':')[3] }),
    ]);
    const back = await readSnapshotFully(file);
    const kept = back.accounts[0]!.trailDetails[arn]!.eventSelectors;
    expect(kept).toEqual({ error: written.keptAnswers[0], answer: odd });
    expect(kept.error?.message).toBe(
      'the answer is not in the shape trailproof expects, at its top level: EventSelectors and AdvancedEventSelectors cannot both be non-empty (kept in the snapshot as it came)',
    );
  });

  it('keeps only the innermost answer that is odd: one bad bucket listing field, the rest untouched', async () => {
    const snapshot = minimalSnapshot();
    const record = snapshot.accounts[1]!;
    record.buckets = { value: [{ Name: 'a' }, { Name: 7 } as never] };
    const file = join(dir, 'kept-buckets.jsonl');
    const written = await writeSnapshot(file, snapshot.header, snapshot.accounts);
    expect(written.keptAnswers.map((e) => [e.operation, e.message])).toEqual([
      ['s3:ListBuckets', 'the answer is not in the shape trailproof expects, at /1/Name: expected string (kept in the snapshot as it came)'],
    ]);
    const back = await readSnapshotFully(file);
    expect(back.accounts[1]!.buckets).toMatchObject({ error: { code: 'UnexpectedAnswer' }, answer: [{ Name: 'a' }, { Name: 7 }] });
    expect(back.accounts[1]!.regions).toEqual(record.regions);
  });

  it('writes the collection even when its own envelope is wrong, then names the file in the error', async () => {
    const snapshot = minimalSnapshot();
    (snapshot.accounts[1] as unknown as Record<string, unknown>).regions = 'none';
    const file = join(dir, 'invalid.jsonl');
    const failure = writeSnapshot(file, snapshot.header, snapshot.accounts);
    await expect(failure).rejects.toBeInstanceOf(SnapshotDefectsError);
    await expect(failure).rejects.toThrow(`the collected snapshot was written to ${file}, but it does not match the snapshot schema (a trailproof bug; please report it): line 3: /regions: expected array`);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('writes account lines that disagree with the header scope, then says so', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'short.jsonl');
    await expect(writeSnapshot(file, snapshot.header, snapshot.accounts.slice(0, 1))).rejects.toThrow(
      'missing lines: 222222222222; not in scope: none',
    );
    expect(existsSync(file)).toBe(true);
  });

  it('reports an unwritable destination as a user error', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'no-such-dir', 'x.jsonl');
    await expect(writeSnapshot(file, snapshot.header, snapshot.accounts)).rejects.toBeInstanceOf(UserError);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('puts the leading keys of the top-level object first, and only there', () => {
    expect(stableJson({ z: { version: 2, a: 1 }, version: 1, format: 'f' }, ['format', 'version'])).toBe(
      '{"format":"f","version":1,"z":{"a":1,"version":2}}',
    );
  });
});
