import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/shared/errors.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

// openSnapshot validates once; later passes only parse, trusting the bytes because their hash matches.
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
    expect(err.message).toBe(`${file}: the file changed while it was being evaluated (its SHA-256 differs); evaluate a snapshot that is not being written`);
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
