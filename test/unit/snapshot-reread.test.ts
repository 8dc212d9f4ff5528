import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/shared/errors.ts';
import { openSnapshot, reopenSnapshot } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

// openSnapshot validates (and hashes) once; later passes only parse, trusting the bytes because the file kept its identity (inode, size, times).
const dir = mkdtempSync(join(tmpdir(), 'trailproof-snapshot-reread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (snapshot: Snapshot) => [JSON.stringify(snapshot.header), ...snapshot.accounts.map((a) => JSON.stringify(a))].join('\n') + '\n';

async function drain(records: AsyncIterable<AccountRecord>): Promise<AccountRecord[]> {
  const out: AccountRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

async function failure(records: AsyncIterable<AccountRecord>): Promise<UserError> {
  const err = await drain(records).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('openSnapshot: passes after the first', () => {
  it('reads the same records on every pass', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'same.jsonl');
    writeFileSync(file, text(snapshot));
    const source = await openSnapshot(file);
    expect(await drain(source.records())).toEqual(snapshot.accounts);
    expect(await drain(source.records())).toEqual(snapshot.accounts);
  });

  it('fails when the file was replaced by different but valid content after it was opened', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'replaced.jsonl');
    writeFileSync(file, text(snapshot));
    const source = await openSnapshot(file);
    const edited = structuredClone(snapshot);
    edited.accounts[0]!.regions = [];
    writeFileSync(file, text(edited));
    const err = await failure(source.records());
    expect(err.message).toBe(`${file}: the file changed while it was being evaluated (its size, modification time or inode changed); evaluate a snapshot that is not being written`);
  });

  it('fails when bytes of the same length were rewritten after it was opened', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'same-size.jsonl');
    writeFileSync(file, text(snapshot));
    const source = await openSnapshot(file);
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the file system's timestamp tick
    const edited = text(snapshot).replace(/"region":"us-east-1"/, '"region":"us-east-2"');
    expect(edited).not.toBe(text(snapshot));
    expect(edited.length).toBe(text(snapshot).length);
    writeFileSync(file, edited);
    const err = await failure(source.records());
    expect(err.message).toContain('(its size, modification time or inode changed)');
  });

  it('fails at the end of the first pass when the file is rewritten while it is read', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'during-first-pass.jsonl');
    writeFileSync(file, text(snapshot));
    const source = await openSnapshot(file, { validate: 'first-pass' });
    const firstPass = source.records()[Symbol.asyncIterator]();
    await firstPass.next();
    writeFileSync(file, text(snapshot) + '\n');
    const err = await drain({ [Symbol.asyncIterator]: () => firstPass }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe(`${file}: the file changed while it was being evaluated (its size, modification time or inode changed); evaluate a snapshot that is not being written`);
    expect(source.sha256).toBeUndefined();
  });

  it('fails naming the line when the changed file no longer parses', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'broken.jsonl.gz');
    writeFileSync(file, gzipSync(text(snapshot)));
    const source = await openSnapshot(file);
    writeFileSync(file, gzipSync(`${JSON.stringify(snapshot.header)}\n{"accountId": \n`));
    const err = await failure(source.records());
    expect(err.message).toContain('(line 2 is no longer valid JSON)');
  });
});

describe("openSnapshot with validate: 'first-pass': the header is validated once", () => {
  it('refuses, as changed, a header rewritten after it was opened, even into one the schema refuses', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'header-rewritten.jsonl');
    writeFileSync(file, text(snapshot));
    const source = await openSnapshot(file, { validate: 'first-pass' });
    // Not parsed nor validated again by the pass (openSnapshot did both): its text is compared with
    // the one validated, so the pass says the file changed rather than judging the new header.
    writeFileSync(file, text({ ...snapshot, header: { ...snapshot.header, collectedAt: 'yesterday' } }));
    const err = await failure(source.records());
    expect(err.message).toBe(`${file}: the file changed while it was being evaluated (its header on line 1 changed); evaluate a snapshot that is not being written`);
  });
});

describe('reopenSnapshot with the identity of the validating source (a worker thread)', () => {
  it('reads the records without hashing while the file keeps that identity, and fails once it changed', async () => {
    const snapshot = minimalSnapshot();
    const file = join(dir, 'reopened.jsonl');
    writeFileSync(file, text(snapshot));
    const validated = await openSnapshot(file);
    expect(validated.identity).toMatch(/^\d+:\d+:\d+:\d+:\d+$/);
    const reopened = await reopenSnapshot(file, { identity: validated.identity! });
    expect(await drain(reopened.records())).toEqual(snapshot.accounts);
    expect(reopened.sha256).toBeUndefined(); // proved by identity, not by a hash of every byte
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the file system's timestamp tick
    writeFileSync(file, text(snapshot).replace(/"region":"us-east-1"/, '"region":"us-east-2"'));
    const err = await failure(reopened.records());
    expect(err.message).toContain(`${file}: the file changed while it was being evaluated (its size, modification time or inode changed)`);
  });
});
