import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceRef } from '../../src/contracts/verdict.ts';
import { loadResourceTable, ResourceTable, ResourceTableWriter } from '../../src/evaluate/resource-table.ts';
import { LineWriter } from '../../src/evaluate/spool-files.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function written(resources: readonly unknown[]): { file: string; indexes: number[] } {
  const folder = mkdtempSync(join(tmpdir(), 'resource-table-'));
  folders.push(folder);
  const writer = new ResourceTableWriter(new LineWriter(join(folder, 'resources.jsonl')));
  const indexes = resources.map((resource) => writer.indexOf(resource as ResourceRef));
  writer.close();
  return { file: writer.file, indexes };
}

const plain: ResourceRef[] = [
  { type: 'account', id: '111122223333', accountId: '111122223333', name: 'prod "quoted", \\ back\tslash é', ouPath: 'Root/Prod' },
  { id: 'arn:aws:s3:::b', type: 'bucket', accountId: '444455556666', region: 'eu-west-1', arn: 'arn:aws:s3:::b', name: '' },
  { type: 'trail', id: 't', accountId: '1', region: undefined, name: 'n' },
];
// What the plain form cannot hold: each is written as its JSON.
const odd: unknown[] = [
  { type: 'account', id: 'nul\u0000inside', accountId: '1' },
  { type: 'account', id: 'new\nline', accountId: '1' },
  { type: 'account', id: 'lone \ud800 surrogate', accountId: '1' },
  { type: 'account', id: 'pair 😀', accountId: '1', name: 'x\udc00' },
  { type: 'account', id: 'n', accountId: '1', count: 3 },
  { type: 'account', id: 'o', accountId: '1', tags: { a: 'b' } },
  { type: 'account', id: 'k', accountId: '1', 'odd key': 'v' },
  JSON.parse('{"type":"account","id":"p","__proto__":"v"}'),
  {},
];

describe('resource table', () => {
  it('writes a plain resource as names and values, anything else as JSON, and gives each back as JSON.stringify knew it', () => {
    const resources = [...plain, ...odd];
    const { file, indexes } = written(resources);
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    expect(lines.slice(0, 3)).toEqual([
      'type,id,accountId,name,ouPath\taccount\u0000111122223333\u0000111122223333\u0000prod "quoted", \\ back\tslash é\u0000Root/Prod',
      'id,type,accountId,region,arn,name\tarn:aws:s3:::b\u0000bucket\u0000444455556666\u0000eu-west-1\u0000arn:aws:s3:::b\u0000',
      'type,id,accountId,name\ttrail\u0000t\u00001\u0000n',
    ]);
    expect(lines.slice(3)).toEqual(odd.map((resource) => JSON.stringify(resource)));
    const table = new ResourceTable(loadResourceTable(file));
    expect(table.size).toBe(resources.length);
    expect(indexes.map((i) => JSON.stringify(table.at(i)))).toEqual(resources.map((resource) => JSON.stringify(resource)));
    expect(Object.keys(table.at(1))).toEqual(['id', 'type', 'accountId', 'region', 'arn', 'name']);
    expect(Object.getPrototypeOf(table.at(10))).toBe(Object.prototype);
    expect(() => table.at(resources.length)).toThrow(/no resource 12/);
  });

  it('writes each text once, found again across runs by its hash and compared whole', () => {
    // The two texts have the same 32-bit hash (found by trying ids).
    const colliding = (id: string): ResourceRef => ({ type: 'account', id, accountId: '1' });
    const folder = mkdtempSync(join(tmpdir(), 'resource-table-'));
    folders.push(folder);
    const writer = new ResourceTableWriter(new LineWriter(join(folder, 'resources.jsonl')));
    const first = colliding('a362508');
    expect([writer.indexOf(first), writer.indexOf(colliding('a1289200')), writer.indexOf(first)]).toEqual([0, 1, 0]);
    writer.endRun();
    expect([writer.indexOf(colliding('a1289200')), writer.indexOf(colliding('a362508')), writer.indexOf(colliding('other'))]).toEqual([1, 0, 2]);
    expect(writer.append(written(plain).file, 3)).toBe(3);
    expect(writer.indexOf(colliding('new'))).toBe(6);
    writer.close();
    const table = new ResourceTable(loadResourceTable(writer.file));
    expect([0, 1, 2, 3, 6].map((i) => table.at(i).id)).toEqual(['a362508', 'a1289200', 'other', '111122223333', 'new']);
  });

  it('reads an all-ASCII table as a non-ASCII one, whatever its member names', () => {
    // An all-ASCII table is decoded as Latin-1 (the same text), the others as UTF-8 (the first test).
    const words: unknown[] = [
      { class: 'c', constructor: 'k', $ref: '$', _x: 'u', toString: 't', valueOf: 'v' },
      { type: 'bucket', id: 'b', accountId: '1', default: 'd' },
      { type: 'account', id: 'a', accountId: '1' },
    ];
    for (const resources of [words, [...words, { type: 'account', id: 'caf\u00e9 \u2192', accountId: '1' }]]) {
      const { file, indexes } = written(resources);
      const table = new ResourceTable(loadResourceTable(file));
      expect(indexes.map((i) => JSON.stringify(table.at(i)))).toEqual(resources.map((resource) => JSON.stringify(resource)));
      expect(Object.keys(table.at(0))).toEqual(['class', 'constructor', '$ref', '_x', 'toString', 'valueOf']);
      expect(Object.getPrototypeOf(table.at(0))).toBe(Object.prototype);
    }
  });

  it('builds a fresh object at each read and keeps none', () => {
    const table = new ResourceTable(loadResourceTable(written(plain).file));
    const first = table.at(0);
    expect(table.at(0)).not.toBe(first);
    expect(table.at(0)).toEqual(first);
  });

  it('is handed to another thread as shared memory, not copied', () => {
    const shared = loadResourceTable(written(plain).file);
    const received = structuredClone(shared);
    expect(received.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(received.ends.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A byte changed on one side is seen on the other: one copy of the table for every thread.
    const at = shared.valuesAt[2]!;
    shared.bytes[at] = 'T'.charCodeAt(0);
    expect(new ResourceTable(received).at(2).type).toBe('Trail');
  });

  it('reads an empty table', () => {
    expect(new ResourceTable(loadResourceTable(written([]).file)).size).toBe(0);
  });
});
