/**
 * Snapshot format 2's references (src/snapshot/same-as.ts): the writer refers to an earlier
 * region's equal answer only at the positions allowed, the reader gives back the records a
 * version-1 line gives (a repeated answer as one shared object), every pass agrees, and every
 * wrong reference is a `file:line: path: message` error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { loadRules } from '../../src/rules/load.ts';
import { lineBlocks, openSnapshot, readSnapshotFully, reopenSnapshot, snapshotFromMemory, validatedBlock, type NumberedRecord } from '../../src/snapshot/read.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';
import type { AccountRecord, RegionRecord, Snapshot } from '../../src/snapshot/types.ts';
import { stableJson, writeSnapshot } from '../../src/snapshot/write.ts';
import { collectDemoSnapshot } from '../../examples/demo/collect.ts';
import { readError } from '../fixtures/snapshots/read-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-same-as-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const tempFile = (name: string) => join(dir, `${++counter}-${name}`);

const ORG_TRAIL = {
  value: [{ Name: 'org-trail', TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, IsOrganizationTrail: true }],
};
const quietHistory = () => ({ events: { StopLogging: { value: [] }, DeleteTrail: { value: [] } }, window: { start: '2026-08-04T09:00:00.000Z', end: '2026-11-02T09:00:00.000Z' } });
const detectors = (id: string) => ({ value: [{ DetectorId: id, Status: 'ENABLED' }] });

/** Three regions: the same trails everywhere, the same quiet history, detectors of their own; the third's detective equal to the second's. */
function region(name: string, detectorId: string): RegionRecord {
  return {
    region: name,
    trails: structuredClone(ORG_TRAIL),
    eventDataStores: { value: [] },
    logGroups: {},
    detective: { guardDutyDetectors: detectors(detectorId), tamperHistory: quietHistory(), eventRules: { value: [] } },
  } as RegionRecord;
}

function account(): AccountRecord {
  return {
    accountId: '111111111111',
    regions: [region('eu-west-1', 'd1'), region('us-east-1', 'd2'), region('us-west-2', 'd2')],
    trailDetails: {},
  } as AccountRecord;
}

const header = (accountIds: string[], version: 1 | 2 = 2): Snapshot['header'] =>
  ({
    format: 'trailproof-snapshot',
    version,
    tool: { name: 'trailproof', version: '0.0.0-test' },
    collectedAt: '2026-11-02T09:00:00.000Z',
    source: 'synthetic',
    partition: 'aws',
    scope: { regions: ['eu-west-1', 'us-east-1', 'us-west-2'], accountIds, skipped: [] },
    organization: { value: null, absent: 'AWSOrganizationsNotInUseException' },
    roots: { value: [] },
    organizationalUnits: { value: [] },
    accounts: { value: [] },
    policies: { value: [] },
    errors: [],
  }) as unknown as Snapshot['header'];

async function written(record: AccountRecord): Promise<{ file: string; line: Record<string, unknown> }> {
  const file = tempFile('one.jsonl');
  await writeSnapshot(file, header([record.accountId]), [record]);
  return { file, line: JSON.parse(readFileSync(file, 'utf8').split('\n')[1]!) as Record<string, unknown> };
}

/** A file whose account line is `line` (its text as given), under a header of `version`. */
function fileWithLine(line: unknown, version: 1 | 2 = 2): string {
  const file = tempFile('line.jsonl');
  writeFileSync(file, `${JSON.stringify(header(['111111111111'], version))}\n${JSON.stringify(line)}\n`);
  return file;
}

const readMessage = async (file: string): Promise<string> => (await readError(file)).message;

async function collect(records: AsyncIterable<NumberedRecord>): Promise<NumberedRecord[]> {
  const out: NumberedRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

describe('writing format 2: references only where allowed, only for equal answers', () => {
  it('refers to the first region that gave an answer, member by member, keeps what differs or is shorter than a reference', async () => {
    const { line } = await written(account());
    const [first, second, third] = line.regions as Record<string, unknown>[];
    expect(first).toEqual(JSON.parse(stableJson(account().regions[0])));
    expect(second).toEqual({
      region: 'us-east-1',
      trails: { $sameAs: 'eu-west-1' },
      eventDataStores: { value: [] }, // `{"value":[]}` is shorter than a reference
      logGroups: {},
      detective: { guardDutyDetectors: detectors('d2'), tamperHistory: { $sameAs: 'eu-west-1' }, eventRules: { value: [] } },
    });
    // The third's whole detective equals the second's: one reference, to the second.
    expect(third).toEqual({ region: 'us-west-2', trails: { $sameAs: 'eu-west-1' }, eventDataStores: { value: [] }, logGroups: {}, detective: { $sameAs: 'us-east-1' } });
  });

  it('never refers outside the positions: equal trail details, buckets and region names stay written out', async () => {
    const record = account();
    const detail = { TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/a', status: { value: { IsLogging: true } }, eventSelectors: { value: { EventSelectors: [] } } };
    record.trailDetails = { a: detail, b: { ...structuredClone(detail), TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/b' } } as never;
    const { file, line } = await written(record);
    const text = readFileSync(file, 'utf8');
    // The second's trails and tamperHistory, the third's trails and detective: nothing else.
    expect(text.match(/"\$sameAs"/g)).toHaveLength(4);
    expect(JSON.stringify(line.trailDetails)).not.toContain('$sameAs');
  });

  it('leaves a line whose regions are not named uniquely as it is (a reference names its region)', async () => {
    const record = account();
    record.regions[2]!.region = 'us-east-1';
    const { file } = await written(record);
    expect(readFileSync(file, 'utf8')).not.toContain('$sameAs');
  });

  it('does not modify the record it writes', async () => {
    const record = account();
    const before = structuredClone(record);
    await written(record);
    expect(record).toEqual(before);
  });
});

describe('reading format 2: the records a version-1 line gives', () => {
  it('round trip: a version-1 file and its version-2 rewrite read as deep-equal records, the repeated answers as one object', async () => {
    const demo = await collectDemoSnapshot();
    const v1 = tempFile('demo-v1.jsonl');
    writeFileSync(v1, [stableJson({ ...demo.header, version: 1 }, ['format', 'version']), ...demo.accounts.map((a) => stableJson(a))].join('\n') + '\n');
    const fromV1 = await readSnapshotFully(v1);
    const v2 = tempFile('demo-v2.jsonl');
    await writeSnapshot(v2, fromV1.header, fromV1.accounts);
    expect(readFileSync(v2, 'utf8')).toContain('"$sameAs"');
    expect(readFileSync(v2).length).toBeLessThan(readFileSync(v1).length * 0.8);
    const fromV2 = await readSnapshotFully(v2);
    expect(fromV2.accounts).toEqual(fromV1.accounts);
    expect(fromV2.accounts).toEqual(JSON.parse(JSON.stringify(demo.accounts)));
    const shared = fromV2.accounts.find((a) => a.regions.length > 1)!;
    expect(shared.regions[1]!.trails).toBe(shared.regions[0]!.trails);
    expect(shared.regions[1]!.trails).toEqual(shared.regions[0]!.trails);
  });

  it('the committed demo snapshot is version 2 and reads as what the demo collector records', async () => {
    const source = await openDemoSnapshot();
    expect(source.header.version).toBe(2);
    const read = await readSnapshotFully(source.file!);
    expect(read.accounts).toEqual(JSON.parse(JSON.stringify((await collectDemoSnapshot()).accounts)));
  });

  it('pass 1 in blocks (validatedBlock), pass 1 whole, pass 2 and a pass over some lines give the same records', async () => {
    const demo = await collectDemoSnapshot();
    const file = tempFile('demo.jsonl.gz');
    await writeSnapshot(file, demo.header, demo.accounts);
    const source = await openSnapshot(file, { validate: 'first-pass' });
    // The validating pass also says each line's length (what keeping its record costs); the records are what count here.
    const firstPass = (await collect(source.numberedRecords())).map(({ line, record }) => ({ line, record }));
    const blocks = lineBlocks(source.headerLine, source.header.scope.accountIds.length, 3);
    const inBlocks = (await Promise.all(blocks.map((block) => collect(validatedBlock(file, source.header, source.headerLine, block))))).flat();
    const secondPass = await collect(source.numberedRecords());
    const reopened = await collect((await reopenSnapshot(file, { identity: source.identity })).numberedRecords());
    const some = await collect(source.numberedRecords(new Set([3, 5])));
    expect(firstPass.length).toBe(demo.accounts.length);
    expect(inBlocks).toEqual(firstPass);
    expect(secondPass).toEqual(firstPass);
    expect(reopened).toEqual(firstPass);
    expect(some).toEqual(firstPass.filter((r) => r.line === 3 || r.line === 5));
    const second = secondPass.find((r) => r.record.regions.length > 1)!.record;
    expect(second.regions[1]!.trails).toBe(second.regions[0]!.trails);
  });

  it('nothing above the snapshot modifies a record: the evaluation of deep-frozen records gives the same verdicts', async () => {
    const config = DEFAULT_CONFIG;
    const rules = await loadRules(['builtin'], config);
    const demo = await readSnapshotFully((await openDemoSnapshot()).file!);
    const frozen = { header: deepFreeze(demo.header), accounts: demo.accounts.map(deepFreeze) };
    const fromFrozen = await evaluateSnapshot(snapshotFromMemory(frozen, 'frozen'), { config, rules });
    const fromFile = await evaluateSnapshot(await openDemoSnapshot(), { config, rules });
    expect(fromFrozen.verdicts.length).toBeGreaterThan(100);
    expect([...fromFrozen.verdicts]).toEqual([...fromFile.verdicts]);
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

describe('a wrong reference is a snapshot error naming file:line, the path and what was expected', () => {
  const line = () => JSON.parse(stableJson(account())) as { regions: Record<string, unknown>[] } & Record<string, unknown>;

  it('to a region later in the line, to its own region, to no region of the line', async () => {
    const later = line();
    later.regions[1]!.trails = { $sameAs: 'us-west-2' };
    let file = fileWithLine(later);
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/1/trails: {"$sameAs": "us-west-2"}: region us-west-2 is not earlier in this line (it is /regions/2); expected the name of an earlier region of this line`,
    );
    const own = line();
    own.regions[1]!.detective = { $sameAs: 'us-east-1' };
    file = fileWithLine(own);
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/1/detective: {"$sameAs": "us-east-1"}: region us-east-1 is not earlier in this line (it is /regions/1); expected the name of an earlier region of this line`,
    );
    const unknown = line();
    (unknown.regions[2]!.detective as Record<string, unknown>).tamperHistory = { $sameAs: 'mars-north-1' };
    file = fileWithLine(unknown);
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/2/detective/tamperHistory: {"$sameAs": "mars-north-1"}: no region "mars-north-1" in this line; expected the name of an earlier region of this line`,
    );
  });

  it('to a region that has no such answer', async () => {
    const missing = line();
    delete (missing.regions[0]!.detective as Record<string, unknown>).eventRules;
    (missing.regions[1]!.detective as Record<string, unknown>).eventRules = { $sameAs: 'eu-west-1' };
    const file = fileWithLine(missing);
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/1/detective/eventRules: {"$sameAs": "eu-west-1"}: region eu-west-1 has no detective/eventRules to refer to; expected an earlier region that has one`,
    );
  });

  it('not of the form {"$sameAs": "<region>"}', async () => {
    const extra = line();
    extra.regions[1]!.trails = { $sameAs: 'eu-west-1', value: [] };
    let file = fileWithLine(extra);
    expect(await readMessage(file)).toBe(`${file}:2: /regions/1/trails: expected a reference {"$sameAs": "<an earlier region of this line>"} (one member, a region name)`);
    const number = line();
    number.regions[1]!.logGroups = { $sameAs: 0 };
    file = fileWithLine(number);
    expect(await readMessage(file)).toBe(`${file}:2: /regions/1/logGroups: expected a reference {"$sameAs": "<an earlier region of this line>"} (one member, a region name)`);
  });

  it('at a position where references are not allowed', async () => {
    const region = line();
    region.regions[1]!.region = { $sameAs: 'eu-west-1' };
    let file = fileWithLine(region);
    const notHere = 'a reference {"$sameAs": ...} is not allowed here; expected the answer itself (references stand only for a region\'s trails, eventDataStores, logGroups or detective, or a member of its detective)';
    expect(await readMessage(file)).toBe(`${file}:2: /regions/1/region: ${notHere}`);
    const inside = line();
    inside.regions[1]!.trails = { value: [{ $sameAs: 'eu-west-1' }] };
    file = fileWithLine(inside);
    expect(await readMessage(file)).toBe(`${file}:2: /regions/1/trails/value/0: ${notHere}`);
    const outside = line();
    outside.buckets = { $sameAs: 'eu-west-1' };
    file = fileWithLine(outside);
    expect(await readMessage(file)).toBe(`${file}:2: /buckets: ${notHere}`);
  });

  it('in a version-1 file, even at a position version 2 allows', async () => {
    const v1 = line();
    v1.regions[1]!.trails = { $sameAs: 'eu-west-1' };
    const file = fileWithLine(v1, 1);
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/1/trails: a reference {"$sameAs": ...} needs snapshot format version 2 (the header says version 1); expected the answer itself`,
    );
    // The same line under a version-2 header is read, as the version-1 line written out.
    const records = (await readSnapshotFully(fileWithLine(v1))).accounts;
    expect(records).toEqual([JSON.parse(stableJson(account()))]);
  });

  it('two wrong references in one region: the one first in the positions\' order is named, whatever the line\'s key order', async () => {
    // The line's keys are sorted (detective before trails); the references are resolved in that
    // order, but a problem is said in the order of REGION_REFERENCE_POSITIONS, as before.
    const both = line();
    both.regions[1]!.detective = { $sameAs: 'mars-north-1' };
    both.regions[1]!.trails = { $sameAs: 'mars-north-1' };
    const file = fileWithLine(both);
    expect(readFileSync(file, 'utf8').split('\n')[1]!.indexOf('"detective"')).toBeLessThan(readFileSync(file, 'utf8').split('\n')[1]!.indexOf('"trails"'));
    expect(await readMessage(file)).toBe(
      `${file}:2: /regions/1/trails: {"$sameAs": "mars-north-1"}: no region "mars-north-1" in this line; expected the name of an earlier region of this line`,
    );
  });

  it('a region named twice: a reference to it is the first one\'s answer, in both passes', async () => {
    const twice = line();
    // eu-west-1, us-east-1, eu-west-1 again (its own trails), us-west-2 refers to eu-west-1.
    const again = structuredClone(twice.regions[0]!);
    again.trails = { value: [] };
    twice.regions.splice(2, 0, again);
    twice.regions[3]!.trails = { $sameAs: 'eu-west-1' };
    const file = fileWithLine(twice);
    const first = (await readSnapshotFully(file)).accounts[0]!;
    expect(first.regions[3]!.trails).toBe(first.regions[0]!.trails);
    expect(first.regions[3]!.trails).toEqual(ORG_TRAIL);
    const source = await openSnapshot(file);
    for await (const { record } of source.numberedRecords()) {
      expect(record.regions[3]!.trails).toBe(record.regions[0]!.trails);
      expect(record.regions[2]!.trails).toEqual({ value: [] });
    }
  });

  it('a version-1 file without references reads as before', async () => {
    const records = (await readSnapshotFully(fileWithLine(line(), 1))).accounts;
    expect(records).toEqual([JSON.parse(stableJson(account()))]);
    expect(records[0]!.regions[1]!.trails).not.toBe(records[0]!.regions[0]!.trails);
  });
});
