/**
 * Pass 1 walks every validated record for its collection errors (model/errors.ts); a record read
 * from a line whose text cannot hold a member named `error` (no `"error"`, no backslash: the only
 * way to escape a letter) is not walked (snapshot/error-free.ts). The errors found stay the same:
 * every line that holds one, however its `error` is written, is still walked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectErrors } from '../../src/model/errors.ts';
import { holdsQuotedError } from '../../src/snapshot/error-free.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import type { AccountRecord, Snapshot } from '../../src/snapshot/types.ts';
import { minimalSnapshot } from '../fixtures/snapshots/minimal.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-error-free-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The records of pass 1 (the validating pass, as the pipeline reads them), from `lines` after the snapshot's header. */
async function firstPassRecords(snapshot: Snapshot, lines: string[], name: string): Promise<AccountRecord[]> {
  const file = join(dir, name);
  writeFileSync(file, [JSON.stringify(snapshot.header), ...lines].join('\n') + '\n');
  const source = await openSnapshot(file, { validate: 'first-pass' });
  const records: AccountRecord[] = [];
  for await (const { record } of source.numberedRecords()) records.push(record);
  return records;
}

describe('collection errors of records read from a file', () => {
  it('are those of a walk of the same record, on lines with and without errors, written plainly or escaped', async () => {
    const snapshot = minimalSnapshot();
    const [management, member] = snapshot.accounts.map((a) => JSON.stringify(a));
    expect(management).not.toMatch(/"error"|\\/);
    expect(member).toContain('"error"');
    const escaped = member!.replace('"error"', '"\\u0065rror"');
    for (const [name, memberLine] of [['plain.jsonl', member!], ['escaped.jsonl', escaped]] as const) {
      const records = await firstPassRecords(snapshot, [management!, memberLine], name);
      // structuredClone: the same record, not read from a line, so always walked.
      expect(records.map((r) => collectErrors(r))).toEqual(records.map((r) => collectErrors(structuredClone(r))));
      expect(collectErrors(records[1]).map((e) => e.operation)).toEqual(['s3:ListBuckets']);
    }
  });

  it('are not looked for in a record whose line holds no member named error', async () => {
    const snapshot = minimalSnapshot();
    snapshot.header.scope.accountIds = [snapshot.accounts[0]!.accountId];
    const [management] = await firstPassRecords(snapshot, [JSON.stringify(snapshot.accounts[0])], 'clean.jsonl');
    // Only to show the record is not walked: nothing modifies a record once read.
    (management as unknown as { buckets: unknown }).buckets = { error: { operation: 's3:ListBuckets', code: 'AccessDenied', message: 'denied' } };
    expect(collectErrors(management)).toEqual([]);
    expect(collectErrors(structuredClone(management))).toHaveLength(1);
  });
});

describe('a member named error looked for in a line', () => {
  it('is found where the text holds "error", and only there', () => {
    const pieces = ['"error"', 'error', '"', 'rror', 'r', 'e', '"e', 'rror"', '"errors"', 'x', '{', ':', '\\"'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const texts = ['', '"error"', 'rror"', 'e"error"', '""error""', 'terror"', '"eerror"', '"rror"', '"errorr"'];
    for (let i = 0; i < 3000; i++) texts.push(Array.from({ length: 1 + Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join(''));
    for (const text of texts) expect([text, holdsQuotedError(text)]).toEqual([text, text.includes('"error"')]);
  });
});
