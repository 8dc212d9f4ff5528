/**
 * The formats of a run walk the verdicts in step (report/lockstep.ts, report/write.ts): walks near
 * the front share one read of the list, the same verdict objects; a walk that runs ahead or falls
 * behind goes on alone; and whatever the walks do, each sees the whole list in order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ScanResult, VerdictList } from '../../src/contracts/result.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { canonicalOrder, compareVerdicts } from '../../src/contracts/order.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { Lockstep, type WalkProgress, WINDOW_VERDICTS } from '../../src/report/lockstep.ts';
import { formatterFiles, listFormatters } from '../../src/report/registry.ts';
import type { Formatter } from '../../src/report/types.ts';
import { spooledPace, writeFormats } from '../../src/report/write-formats.ts';
import { writeReports } from '../../src/report/write.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

/** A list that is not an array (as a spooled one), counting how often it is walked. */
function countedList(verdicts: Verdict[]): VerdictList & { walks: number } {
  const list = {
    walks: 0,
    length: verdicts.length,
    *[Symbol.iterator]() {
      list.walks++;
      // Fresh objects per walk, as a spool gives: sharing shows as identical objects across walks.
      for (const v of verdicts) yield { ...v };
    },
  };
  return list;
}

const ids = (verdicts: Iterable<Verdict>) => [...verdicts].map((v) => `${v.ruleId} ${v.resource.id}`);

describe('Lockstep', () => {
  const verdicts = sampleResult().verdicts as Verdict[];

  it('hands an array over as a list in canonical order, which formatters do not sort again: the array itself when in order, else a sorted copy', () => {
    const inOrder = [...verdicts].sort(compareVerdicts);
    const view = new Lockstep(inOrder).verdicts;
    expect(Array.isArray(view)).toBe(false);
    expect(canonicalOrder({ ...sampleResult(), verdicts: view }).verdicts).toBe(view);
    expect([...view].every((v, i) => v === inOrder[i])).toBe(true);
    const shuffled = [...inOrder].reverse();
    expect([...new Lockstep(shuffled).verdicts]).toEqual(inOrder);
    expect(shuffled).toEqual([...inOrder].reverse()); // the caller's array is not sorted in place
  });

  it('lets a walk of an array go on alone from where it was, past the window and the read-ahead limit', () => {
    const inOrder = [...verdicts].sort(compareVerdicts);
    const lockstep = new Lockstep(inOrder, 2);
    lockstep.readAheadTo(3);
    const lagging = lockstep.verdicts[Symbol.iterator]();
    const first = lagging.next().value as Verdict;
    expect([...lockstep.verdicts]).toEqual(inOrder);
    expect([first, ...{ [Symbol.iterator]: () => lagging }]).toEqual(inOrder);
  });

  it('paces the formats\' walks of an array, so that each evidence object is made into text once for all of them (EvidenceTexts)', async () => {
    // Evidence counts how often it is serialised; a verbose format yields many chunks per verdict,
    // a terse one a chunk per verdict: left to their own pace they drift further apart than the
    // texts' memory of recent objects (oncePerObject) reaches.
    let serialised = 0;
    const many = Array.from({ length: 6_000 }, (_, i) => ({ ...verdicts[0]!, resource: { ...verdicts[0]!.resource, id: `r-${String(i).padStart(5, '0')}` }, evidence: { n: i, toJSON: () => (serialised++, { n: i }) } }));
    const format = (name: string, chunksPerVerdict: number): Formatter => ({
      name,
      fileName: `${name}.txt`,
      description: name,
      render: () => '',
      *renderChunks(result, options) {
        for (const v of result.verdicts) for (let c = 0; c < chunksPerVerdict; c++) yield c === 0 ? options.evidenceTexts!.compact(v.evidence) : '.';
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'lockstep-array-'));
    try {
      const { failures } = await writeFormats({ ...sampleResult(), verdicts: many }, [format('verbose', 8), format('terse', 1)], out, {});
      expect(failures).toEqual([]);
      expect(readFileSync(join(out, 'terse.txt'), 'utf8')).toBe(many.map((v) => JSON.stringify(v.evidence)).join(''));
      expect(serialised).toBe(2 * many.length); // the check above, and the formats' one text per object
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gives walks in step the same verdict objects from one read of the list, and records each format\'s position', () => {
    const list = countedList(verdicts);
    const lockstep = new Lockstep(list, 4);
    const a: WalkProgress = { position: undefined };
    const b: WalkProgress = { position: undefined };
    const walkA = lockstep.as(a, () => lockstep.verdicts[Symbol.iterator]());
    const walkB = lockstep.as(b, () => lockstep.verdicts[Symbol.iterator]());
    const seenA: Verdict[] = [];
    const seenB: Verdict[] = [];
    for (let i = 0; i < verdicts.length; i++) {
      seenA.push(lockstep.as(a, () => walkA.next().value as Verdict));
      seenB.push(lockstep.as(b, () => walkB.next().value as Verdict));
      expect(a.position).toBe(i + 1);
    }
    expect(seenB.every((v, i) => v === seenA[i])).toBe(true);
    expect(ids(seenA)).toEqual(ids(verdicts));
    expect(lockstep.as(a, () => walkA.next().done)).toBe(true);
    expect(a.position).toBeUndefined(); // the walk is over
    expect(list.walks).toBe(1);
  });

  it('lets a walk that runs past the read-ahead limit go on alone, the others still sharing what was read', () => {
    const list = countedList(verdicts);
    const lockstep = new Lockstep(list, 8);
    lockstep.readAheadTo(2);
    const follower = lockstep.verdicts[Symbol.iterator]();
    const firstOfFollower = follower.next().value as Verdict;
    const front = [...lockstep.verdicts];
    expect(ids(front)).toEqual(ids(verdicts));
    expect(front[0]).toBe(firstOfFollower); // shared up to the limit
    expect(list.walks).toBe(2); // the shared read (stopped at the limit) and the front's own
    expect(ids([firstOfFollower, ...{ [Symbol.iterator]: () => follower }])).toEqual(ids(verdicts));
    expect(list.walks).toBe(3); // the follower went on alone past the limit too
  });

  it('lets a walk that has fallen out of the window go on alone from where it was', () => {
    const list = countedList(verdicts);
    const lockstep = new Lockstep(list, 2);
    const lagging = lockstep.verdicts[Symbol.iterator]();
    const first = lagging.next().value as Verdict;
    expect(ids(lockstep.verdicts)).toEqual(ids(verdicts)); // the front reads everything; the window keeps the last 2
    expect(ids([first, ...{ [Symbol.iterator]: () => lagging }])).toEqual(ids(verdicts));
    expect(list.walks).toBe(2);
  });

  it('takes a walk that went on alone back to the shared read once that holds its next verdict', () => {
    const list = countedList(verdicts);
    const lockstep = new Lockstep(list, 2);
    const front = lockstep.verdicts[Symbol.iterator]();
    const frontSeen = [0, 1, 2, 3].map(() => front.next().value as Verdict);
    // Behind the window (it keeps verdicts 2 and 3): on its own read for 0 and 1, then the window's own objects.
    const lagging = lockstep.verdicts[Symbol.iterator]();
    const laggingSeen = [0, 1, 2, 3].map(() => lagging.next().value as Verdict);
    expect(laggingSeen[0]).not.toBe(frontSeen[0]);
    expect(laggingSeen[2]).toBe(frontSeen[2]);
    expect(laggingSeen[3]).toBe(frontSeen[3]);
    // At the front, both read on the shared read: one more read of the list in all.
    expect(lagging.next().value).toBe(front.next().value);
    expect(ids([...laggingSeen, ...verdicts.slice(4, 5), ...{ [Symbol.iterator]: () => lagging }])).toEqual(ids(verdicts));
    expect(list.walks).toBe(2);
  });

  it('takes a walk that ran past the read-ahead limit back to the shared read once the others catch up', () => {
    const list = countedList(verdicts);
    const lockstep = new Lockstep(list, 8);
    lockstep.readAheadTo(2);
    const follower = lockstep.verdicts[Symbol.iterator]();
    const ahead = lockstep.verdicts[Symbol.iterator]();
    const aheadSeen = [0, 1, 2].map(() => ahead.next().value as Verdict); // the third on its own read
    lockstep.readAheadTo(Infinity);
    const followerSeen = [0, 1, 2, 3, 4].map(() => follower.next().value as Verdict);
    expect(followerSeen[0]).toBe(aheadSeen[0]);
    expect(followerSeen[2]).not.toBe(aheadSeen[2]);
    // The shared read has passed it: back on it.
    expect(ahead.next().value).toBe(followerSeen[3]);
    expect(ahead.next().value).toBe(followerSeen[4]);
    expect(ids([...aheadSeen, ...followerSeen.slice(3), ...{ [Symbol.iterator]: () => ahead }])).toEqual(ids(verdicts));
    expect(list.walks).toBe(2);
  });

  it('fails every walk that reaches a failed read, not only the first', () => {
    const list: VerdictList = {
      length: verdicts.length,
      *[Symbol.iterator]() {
        yield { ...verdicts[0]! };
        throw new Error('spool file gone');
      },
    };
    const lockstep = new Lockstep(list, 8);
    const second = lockstep.verdicts[Symbol.iterator]();
    expect(() => [...lockstep.verdicts]).toThrow('spool file gone');
    expect(second.next().done).toBe(false);
    expect(() => second.next()).toThrow('spool file gone');
  });
});

describe('writeReports of a spooled list', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailproof-lockstep-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets one format written alone read as far ahead as it likes on the one read of the list (a paged HTML report gathering a page)', async () => {
    const one = (sampleResult().verdicts as Verdict[])[0]!;
    const many = Array.from({ length: 3 * WINDOW_VERDICTS }, (_, i) => ({ ...one, resource: { ...one.resource, id: `r-${String(i).padStart(5, '0')}` } }));
    const list = countedList(many);
    // One chunk for the whole list: its walk runs past any read-ahead limit before the turn ends.
    const gathering: Formatter = {
      name: 'gathering',
      fileName: 'gathering.txt',
      description: 'gathering',
      render: () => '',
      *renderChunks(result) {
        yield ids(result.verdicts).join('\n');
      },
    };
    const written = await writeFormats({ ...sampleResult(), verdicts: list }, [gathering], dir, {});
    expect(written.failures).toEqual([]);
    expect(list.walks).toBe(1);
    expect(readFileSync(join(dir, 'gathering.txt'), 'utf8')).toBe(ids(many).join('\n'));
  });

  /** A format that gathers 600 verdicts before it writes them (a page), beside one that writes one per verdict: 3 windows of verdicts. */
  function gathererBesideEach(gathersVerdicts?: number) {
    const one = (sampleResult().verdicts as Verdict[])[0]!;
    const many = Array.from({ length: 3 * WINDOW_VERDICTS }, (_, i) => ({ ...one, resource: { ...one.resource, id: `r-${String(i).padStart(5, '0')}` } }));
    const gathering: Formatter = {
      name: 'gathering',
      fileName: 'gathering.txt',
      description: 'gathering',
      ...(gathersVerdicts === undefined ? {} : { gathersVerdicts }),
      render: () => '',
      *renderChunks(result) {
        // As HTML: a page gathered whole, then written a line at a time.
        let page: string[] = [];
        for (const v of result.verdicts) {
          page.push(`${v.ruleId} ${v.resource.id}\n`);
          if (page.length === 600) {
            yield* page;
            page = [];
          }
        }
        yield* page;
      },
    };
    const each: Formatter = {
      name: 'each',
      fileName: 'each.txt',
      description: 'each',
      render: () => '',
      *renderChunks(result) {
        for (const v of result.verdicts) yield `${v.ruleId} ${v.resource.id}\n`;
      },
    };
    return { formatters: [gathering, each], spooled: countedList(many), expected: ids(many).map((id) => `${id}\n`).join('') };
  }

  it('keeps at most 512 verdicts of a spooled list for formats in step: a format that gathers 600 before it writes goes on alone, with the same bytes', async () => {
    // The gatherer's walk runs 600 verdicts past the other's within one turn. A window of 2,048
    // verdicts kept it on the shared read; of a spooled list each kept verdict survives a scavenge.
    const { formatters, spooled, expected } = gathererBesideEach();
    const written = await writeFormats({ ...sampleResult(), verdicts: spooled }, formatters, dir, {});
    expect(written.failures).toEqual([]);
    expect(spooled.walks).toBeGreaterThan(1);
    for (const name of ['gathering', 'each']) expect(readFileSync(join(dir, `${name}.txt`), 'utf8'), name).toBe(expected);
  });

  it('widens the window of a spooled list by the page a format of the group says it gathers: the list is read once, with the same bytes', async () => {
    const { formatters, spooled, expected } = gathererBesideEach(600);
    const written = await writeFormats({ ...sampleResult(), verdicts: spooled }, formatters, dir, {});
    expect(written.failures).toEqual([]);
    expect(spooled.walks).toBe(1);
    for (const name of ['gathering', 'each']) expect(readFileSync(join(dir, `${name}.txt`), 'utf8'), name).toBe(expected);
  });

  it('paces a spooled list per group: narrow without a format that gathers pages (JSON + SARIF), wide enough for HTML\'s page beside it', () => {
    const [json, sarif, html, md] = ['json', 'sarif', 'html', 'md'].map((name) => listFormatters().find((f) => f.name === name)!);
    const narrow = spooledPace([json!, sarif!]);
    expect(narrow).toEqual({ turn: 128, window: 512, readAhead: 256 });
    const wide = spooledPace([html!, md!]);
    expect(wide.turn).toBe(128);
    expect(wide.readAhead).toBeGreaterThanOrEqual(html!.gathersVerdicts!);
    expect(wide.window).toBe(wide.readAhead + 2 * wide.turn);
  });

  it('writes every format at once with the bytes each renders alone, reading the list once for all of them', async () => {
    const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG) });
    const spool = new VerdictSpool(undefined, 7);
    for (const v of result.verdicts) spool.add(v);
    const list = spool.finish();
    let walks = 0;
    const counted: VerdictList = { ...list, length: list.length, [Symbol.iterator]: () => (walks++, list[Symbol.iterator]()) };
    const fromDisk: ScanResult = { ...result, verdicts: counted };
    const formats = listFormatters().map((f) => f.name);
    const written = await writeReports(fromDisk, formats, dir, {}, { threads: 1 });
    // One shared read: the demo's verdicts fit in the read-ahead, so even the formats that count before writing share it.
    expect(list.length).toBeLessThan(1_024);
    expect(walks).toBe(1);
    for (const formatter of listFormatters()) {
      const alone = [...formatterFiles(formatter, result, {})];
      for (const file of alone) {
        const report = written.find((w) => w.file === join(dir, file.path));
        expect(report, `${formatter.name} ${file.path}`).toBeDefined();
        expect(readFileSync(report!.file, 'utf8'), `${formatter.name} ${file.path}`).toBe([...file.chunks].join(''));
      }
    }
  }, 60_000);

  it('beyond the read-ahead, the formats that count before they write read no list of their own: HTML and JUnit count from the outline, Markdown keeps in step', async () => {
    const result = await evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG) });
    // The demo's verdicts 30 times over (each copy its own resources): more than the shared read keeps or reads ahead.
    const copies = Array.from({ length: 30 }, (_, k) => k).flatMap((k) => [...result.verdicts].map((v) => ({ ...v, resource: { ...v.resource, id: `${v.resource.id}#${k}` } })));
    const spool = new VerdictSpool(undefined, 1_000);
    for (const v of copies) spool.add(v);
    const list = spool.finish();
    expect(list.length).toBeGreaterThan(WINDOW_VERDICTS + 1_024);
    // Verdicts read from the file, by whole walks and by walks that start part-way (a walk gone on alone).
    let read = 0;
    function* counting(walk: Iterator<Verdict>): Generator<Verdict> {
      for (let next = walk.next(); !next.done; next = walk.next(), read++) yield next.value;
    }
    const seekable = list as typeof list & { from(index: number): Iterator<Verdict> };
    const counted = { ...list, length: list.length, [Symbol.iterator]: () => counting(list[Symbol.iterator]()), from: (index: number) => counting(seekable.from(index)) };
    const large: ScanResult = { ...result, verdicts: counted };
    const formats = listFormatters()
      .map((f) => f.name)
      .filter((name) => name !== 'oscal');
    const written = await writeReports(large, formats, dir, {}, { threads: 1 });
    // Once, but for what SARIF reads ahead over passing verdicts (it goes on alone, and back).
    expect(read).toBeGreaterThanOrEqual(list.length);
    expect(read).toBeLessThan(list.length * 1.25);
    const inMemory: ScanResult = { ...result, verdicts: [...list] };
    for (const name of ['md', 'junit', 'html']) {
      const formatter = listFormatters().find((f) => f.name === name)!;
      for (const file of formatterFiles(formatter, inMemory, {})) {
        expect(readFileSync(written.find((w) => w.file === join(dir, file.path))!.file, 'utf8'), `${name} ${file.path}`).toBe([...file.chunks].join(''));
      }
    }
  }, 60_000);
});
