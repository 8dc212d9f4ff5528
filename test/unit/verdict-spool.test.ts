/**
 * The verdict spool (evaluate/verdict-spool.ts): a list written to disk in runs and merged gives
 * the verdicts an in-memory sort gives, and every report format renders the same bytes from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { EVIDENCE_GENERATION, openSpool, sortKey, type SpoolHandle, spoolSorted, type SpooledVerdicts, type SpoolRuns, VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import type { VerdictOutline } from '../../src/evaluate/verdict-outline.ts';
import { compareVerdicts } from '../../src/contracts/order.ts';
import { mergePart, mergeParts, planParts, type MergedPart, type MergePart } from '../../src/evaluate/run-merge.ts';
import { SEVERITIES, type ResourceType, type Verdict, type VerdictStatus } from '../../src/contracts/verdict.ts';
import { listFormatters } from '../../src/report/registry.ts';
import { HeapCeiling } from '../../src/shared/full-collection.ts';
import { knownRuleIds, outlinesOf, verdictsOfRules } from '../../src/report/list-views.ts';
import { loadRules } from '../../src/rules/load.ts';
import { openDemoSnapshot } from '../../src/snapshot/demo.ts';

async function demoResult(): Promise<ScanResult> {
  return evaluateSnapshot(await openDemoSnapshot(), { config: DEFAULT_CONFIG, rules: await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG) });
}

/** The same verdicts through a spool that writes a run every 7 verdicts, fed in reverse (the spool must sort). */
function spooled(result: ScanResult) {
  const spool = new VerdictSpool(undefined, 7);
  for (const v of [...result.verdicts].reverse()) spool.add(v);
  return spool.finish();
}

const original = (result: ScanResult) => [...result.verdicts];

describe('VerdictSpool', () => {
  it('merges its runs into canonical order, re-readable, with shared evidence one object per walk', async () => {
    const result = await demoResult();
    const list = spooled(result);
    expect(Array.isArray(list)).toBe(false);
    expect(list.length).toBe(result.verdicts.length);
    expect(JSON.parse(JSON.stringify([...list]))).toEqual(JSON.parse(JSON.stringify([...result.verdicts])));
    expect([...list].length).toBe(result.verdicts.length); // a second walk reads the file again

    // Evidence objects the verdict cache shared come back as one object within a walk.
    const original = [...result.verdicts];
    const walked = [...list];
    const sharedPairs = original.flatMap((v, i) => original.slice(i + 1).map((_, j) => [i, i + 1 + j] as const).filter(([, k]) => v.evidence !== null && typeof v.evidence === 'object' && original[k]!.evidence === v.evidence)).slice(0, 20);
    expect(sharedPairs.length).toBeGreaterThan(0);
    for (const [a, b] of sharedPairs) expect(walked[a]!.evidence).toBe(walked[b]!.evidence);
  }, 60_000);

  it('reads just the verdicts of some rules when asked', async () => {
    const result = await demoResult();
    const list = spooled(result);
    const rules = new Set([result.rules[1]!.id, result.rules[3]!.id]);
    const expected = [...result.verdicts].filter((v) => rules.has(v.ruleId));
    expect(expected.length).toBeGreaterThan(0);
    expect(JSON.stringify([...verdictsOfRules(list, rules)])).toBe(JSON.stringify(expected));
  }, 60_000);

  it('gives verdicts whose evidence is read on demand yet behaves as a plain field', async () => {
    const result = await demoResult();
    const list = spooled(result);
    const original = [...result.verdicts];
    const walked = [...list];
    const index = original.findIndex((v) => v.evidence !== null && typeof v.evidence === 'object');
    const verdict = walked[index]!;
    expect(Object.keys(verdict)).toEqual(Object.keys(original[index]!));
    expect({ ...verdict }.evidence).toEqual(original[index]!.evidence);
    expect(verdict.evidence).toBe(verdict.evidence); // parsed once, then the same object
    // Still readable after its walk has ended, and assignable like any field.
    expect(JSON.parse(JSON.stringify(walked[walked.length - 1]))).toEqual(JSON.parse(JSON.stringify(original[original.length - 1])));
    verdict.evidence = { replaced: true };
    expect(verdict.evidence).toEqual({ replaced: true });
    expect(JSON.parse(JSON.stringify(verdict)).evidence).toEqual({ replaced: true });
  }, 60_000);

  it('knows its rules without a walk (an array does not say)', async () => {
    const result = await demoResult();
    expect(knownRuleIds(spooled(result))).toEqual(new Set(original(result).map((v) => v.ruleId)));
    expect(knownRuleIds(result.verdicts)).toBeUndefined();
  }, 60_000);

  it('every report format renders the same bytes from the spooled list as from the array', async () => {
    const result = await demoResult();
    const fromDisk: ScanResult = { ...result, verdicts: spooled(result) };
    const textOf = (formatter: ReturnType<typeof listFormatters>[number], r: ScanResult) =>
      formatter.renderFiles ? [...formatter.renderFiles(r, {})].map((f) => `${f.path}\n${[...f.chunks].join('')}`).join('\n') : [...(formatter.renderChunks?.(r, {}) ?? [formatter.render(r, {})])].join('');
    for (const formatter of listFormatters()) {
      expect(textOf(formatter, fromDisk), formatter.name).toBe(textOf(formatter, result));
      if (!formatter.renderFiles) expect(textOf(formatter, result), formatter.name).toBe(formatter.render(result, {}));
    }
  }, 60_000);
});

describe('VerdictSpool pending verdicts', () => {
  it('are written as a run when asked once the spool writes runs, and kept in memory while it writes none; the list is the same', async () => {
    const next = generator(5);
    const verdicts = Array.from({ length: 25 }, (_, i) => oddVerdict(next, i));
    const runsOf = (spool: VerdictSpool) => (spool as unknown as { runs: string[] }).runs.length;
    const inMemory = new VerdictSpool(undefined, 10);
    for (const v of verdicts.slice(0, 9)) inMemory.add(v);
    inMemory.writePending();
    expect(runsOf(inMemory)).toBe(0);
    expect(inMemory.finish()).toEqual([...verdicts.slice(0, 9)].sort(compareVerdicts));
    const spool = new VerdictSpool(undefined, 10);
    for (const v of verdicts) spool.add(v);
    expect(runsOf(spool)).toBe(2);
    spool.writePending();
    expect(runsOf(spool)).toBe(3);
    const list = spool.finish() as SpooledVerdicts;
    expect([...list].map((v) => JSON.stringify(v))).toEqual([...verdicts].sort(compareVerdicts).map((v) => JSON.stringify(v)));
  });
});

describe('VerdictSpool outline', () => {
  const outlineOf = (v: VerdictOutline) => ({ ruleId: v.ruleId, status: v.status, severity: v.severity, suppressed: Boolean(v.suppressed), resource: { accountId: v.resource.accountId, type: v.resource.type, ouPath: v.resource.ouPath } });

  it("keeps what the counting walks read of each verdict, in canonical order, also for another thread's runs merged in", () => {
    const next = generator(7);
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const verdicts = Array.from({ length: 400 }, (_, i) => {
      const v = oddVerdict(next, i);
      v.severity = severities[i % severities.length]!;
      v.resource.accountId = `1111${i % 13}`;
      if (i % 4 !== 0) v.resource.ouPath = `r/ou-${i % 3}`;
      if (v.status === 'FAIL' && i % 2 === 0) v.suppressed = { exceptionId: `exceptions[${i}]`, reason: 'accepted', approver: 'ciso@example.com', expires: '2099-12-31' };
      return v;
    });
    expect(verdicts.some((v) => v.suppressed)).toBe(true);
    // Two "threads": this spool and another whose runs (and place table) it merges.
    const other = new VerdictSpool(undefined, 11);
    for (const v of verdicts.slice(0, 150)) other.add(v);
    const spool = new VerdictSpool(undefined, 17);
    for (const v of verdicts.slice(150)) spool.add(v);
    const list = spool.finish([other.finishRuns() as SpoolRuns]) as SpooledVerdicts;
    // Equal keys keep the order the runs were merged in: this spool's, then the other's.
    const expected = [...verdicts.slice(150), ...verdicts.slice(0, 150)].sort(compareVerdicts).map(outlineOf);
    expect([...list.outlines()].map(outlineOf)).toEqual(expected);
    expect([...outlinesOf(list)].map(outlineOf)).toEqual([...list].map(outlineOf));
    // An array is its own outline.
    expect([...outlinesOf(verdicts)]).toEqual(verdicts);
  });

  it("gives back another thread's verdicts whole, their evidence found at its place in the merged evidence", () => {
    const next = generator(11);
    const verdicts = Array.from({ length: 300 }, (_, i) => {
      const v = oddVerdict(next, i);
      v.severity = SEVERITIES[i % SEVERITIES.length]!;
      // Evidence texts that look like an evidence reference, and suppressions after it.
      if (i % 5 === 0) v.evidence = { ref: '[12,34]', list: [[1, 2], ',', '"],['] };
      if (i % 7 === 0) v.suppressed = { exceptionId: `exceptions[${i}]`, reason: '[0,0],', approver: 'a', expires: '2099-12-31' };
      return v;
    });
    const other = new VerdictSpool(undefined, 11);
    for (const v of verdicts.slice(0, 140)) other.add(v);
    const spool = new VerdictSpool(undefined, 17);
    for (const v of verdicts.slice(140)) spool.add(v);
    const list = spool.finish([other.finishRuns() as SpoolRuns]) as SpooledVerdicts;
    const expected = [...verdicts.slice(140), ...verdicts.slice(0, 140)].sort(compareVerdicts).map((v) => JSON.stringify(v));
    expect([...list].map((v) => JSON.stringify(v)).join('\n') === expected.join('\n')).toBe(true);
  });
});

/** Code units that the sort key escapes, their neighbours, a surrogate pair and plain text. */
const PIECES = ['', 'a', 'b', 'ab', '\u0000', '\u0001', '\t', '\n', '\u000b', '\u000c', ' ', '~', '\u0fff', '\u1000', '\ud7fe', '\ud7ff', '\ud800', '\udbff', '\udc00', '\udfff', '\ue000', '\uffff', '😀', 'é'];

/** A deterministic pseudo-random generator (tests stay reproducible). */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function oddVerdict(next: () => number, index: number): Verdict {
  const text = (pieces: number) => Array.from({ length: Math.floor(next() * pieces) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  const statuses: VerdictStatus[] = ['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE'];
  const types: ResourceType[] = ['account', 'bucket', 'trail', 'organization'];
  return {
    ruleId: `rule-${text(2)}`,
    status: statuses[Math.floor(next() * statuses.length)]!,
    severity: 'high',
    message: text(4),
    evidence: index % 3 === 0 ? { index, text: text(3), nested: { undefinedMember: undefined, list: [1, 'x'] } } : index % 3 === 1 ? text(2) : {},
    resource: { type: types[Math.floor(next() * types.length)]!, id: text(3), accountId: '111122223333', name: text(2) },
  };
}

describe('VerdictSpool walks from a verdict', () => {
  it('start at any index, across checkpoints and rules, with the verdicts a whole walk gives from there', () => {
    const next = generator(5);
    const spool = new VerdictSpool(undefined, 300);
    for (let i = 0; i < 2_600; i++) spool.add(oddVerdict(next, i));
    const list = spool.finish();
    if (Array.isArray(list)) throw new Error('expected a spooled list');
    expect(list.spool.checkpoints.length).toBe(3); // verdicts 0, 1,024 and 2,048
    const whole = [...list].map((v) => JSON.stringify(v));
    for (const index of [0, 1, 500, 1_023, 1_024, 1_025, 2_047, 2_048, 2_599, 2_600, 3_000]) {
      const walked: string[] = [];
      for (let it = list.from(index), step = it.next(); !step.done; step = it.next()) walked.push(JSON.stringify(step.value));
      expect(walked, `from ${index}`).toEqual(whole.slice(index));
    }
  });
});

describe('VerdictSpool written once (spoolSorted)', () => {
  /** A handle's plain parts, its files' bytes instead of their paths. */
  const comparable = (handle: SpoolHandle) => {
    const { verdictsFile, evidenceFile, resourcesFile, resourceTable: _table, ...plain } = handle;
    return { ...plain, verdicts: readFileSync(verdictsFile, 'utf8'), evidence: readFileSync(evidenceFile, 'utf8'), resources: readFileSync(resourcesFile, 'utf8') };
  };

  it('is the finished spool a merge of one run gives: the same files, rule ranges, checkpoints and outline, and the same walks', () => {
    const next = generator(9);
    const sorted = Array.from({ length: 2_600 }, (_, i) => oddVerdict(next, i)).sort(compareVerdicts);
    const once = spoolSorted(sorted);
    const merge = new VerdictSpool(undefined, sorted.length);
    for (const v of sorted) merge.add(v);
    const merged = merge.finish() as SpooledVerdicts;
    expect(Array.isArray(merged)).toBe(false);
    expect(once.checkpoints).toHaveLength(3); // verdicts 0, 1,024 and 2,048
    expect(new Set(once.ruleRanges.map(([id]) => id)).size).toBeGreaterThan(1);
    expect(comparable(once)).toEqual(comparable(merged.spool));
    const list = openSpool(once);
    expect(JSON.stringify([...list])).toBe(JSON.stringify(sorted));
    const from = list.from(1_500);
    expect(JSON.stringify(Array.from({ [Symbol.iterator]: () => from }))).toBe(JSON.stringify(sorted.slice(1_500)));
    expect([...list.outlines()].map((v) => [v.ruleId, v.status, v.severity, v.resource.accountId])).toEqual(sorted.map((v) => [v.ruleId, v.status, v.severity, v.resource.accountId]));
  });

  it('writes the shared evidence of an evaluated list once, and every format renders the array\'s bytes from it', async () => {
    const result = await demoResult();
    const sorted = original(result);
    const handle = spoolSorted(sorted);
    const distinct = new Set(sorted.map((v) => v.evidence).filter((e) => e !== null && typeof e === 'object'));
    expect(readFileSync(handle.evidenceFile, 'utf8').trimEnd().split('\n')).toHaveLength(distinct.size);
    for (const formatter of listFormatters()) expect(formatter.render({ ...result, verdicts: openSpool(handle) }, {}), formatter.name).toBe(formatter.render(result, {}));
  }, 60_000);
});

describe('VerdictSpool merged in parts', () => {
  /** Three "threads": this spool and two others whose runs it merges; odd keys, equal keys across threads. */
  const spools = () => {
    const next = generator(13);
    const verdicts = Array.from({ length: 2_600 }, (_, i) => {
      const v = oddVerdict(next, i);
      v.severity = SEVERITIES[i % SEVERITIES.length]!;
      if (i % 7 === 0) v.suppressed = { exceptionId: `exceptions[${i}]`, reason: 'accepted', approver: 'a', expires: '2099-12-31' };
      return v;
    });
    const others = [new VerdictSpool(undefined, 90), new VerdictSpool(undefined, 130)];
    const spool = new VerdictSpool(undefined, 110);
    verdicts.forEach((v, i) => (i % 3 === 0 ? spool : others[i % 3 === 1 ? 0 : 1]!).add(v));
    return { spool, others: others.map((o) => o.finishRuns() as SpoolRuns), verdicts };
  };
  const everything = (list: SpooledVerdicts) => ({
    verdicts: [...list].map((v) => JSON.stringify(v)),
    outlines: [...list.outlines()].map((o) => JSON.stringify(o)),
    resources: [...list.resources()].map((r) => JSON.stringify(r)),
    rules: [...list.ruleIds()].sort(),
    byRule: [...list.ruleIds()].map((id) => [...list.ofRules(new Set([id]))].map((v) => JSON.stringify(v))),
    from: [0, 1, 1_023, 1_024, 1_300, 2_048, 2_599].map((index) => {
      const walked: string[] = [];
      for (let it = list.from(index), step = it.next(); !step.done; step = it.next()) walked.push(JSON.stringify(step.value));
      return walked;
    }),
  });

  it('gives the list one merge gives, whichever thread merges which part, and this thread the part of one that could not', async () => {
    const one = spools();
    const whole = everything(one.spool.finish(one.others) as SpooledVerdicts);
    expect(whole.verdicts).toHaveLength(2_600);
    const given: number[] = [];
    // Another thread's merge of its part, or none (it ran out of memory): this thread merges that part.
    const elsewhere = async (part: MergePart) => {
      given.push(part.length);
      return mergePart(structuredClone(part));
    };
    const outOfMemory = async () => undefined;
    for (const mergers of [[elsewhere, elsewhere], [outOfMemory, elsewhere], [elsewhere]]) {
      given.length = 0;
      const split = spools();
      const list = (await split.spool.finishInParts(split.others, mergers)) as SpooledVerdicts;
      expect(everything(list)).toEqual(whole);
      // Parts of about equal shares were merged elsewhere, and the first here.
      const parts = mergers.length + 1;
      expect(given.length).toBe(mergers.filter((m) => m === elsewhere).length);
      for (const lines of given) expect(Math.abs(lines - 2_600 / parts)).toBeLessThan(2_600 / parts / 2);
    }
  });

  it("merges the runs' lines as bytes: none decoded into a string but each rule's first, a line longer than the merge's reads whole", async () => {
    const split = spools();
    // Inline evidence (a string) of 3 MB: one line across several of a run's 1 MiB reads.
    const huge: Verdict = { ...split.verdicts[5]!, evidence: `\u20ac${'x'.repeat(3 << 20)}` };
    split.spool.add(huge);
    const toString = vi.spyOn(Buffer.prototype, 'toString');
    const decodedAndRules: [number, number][] = [];
    const elsewhere = async (part: MergePart) => {
      toString.mockClear();
      const merged = mergePart(structuredClone(part));
      decodedAndRules.push([toString.mock.calls.length, merged.ruleRanges.length]);
      return merged;
    };
    const list = (await split.spool.finishInParts(split.others, [elsewhere, elsewhere])) as SpooledVerdicts;
    toString.mockRestore();
    expect(decodedAndRules).toHaveLength(2);
    for (const [decoded, rules] of decodedAndRules) expect(decoded).toBeLessThanOrEqual(rules);
    // Every verdict whole (threads' equal keys come out in the threads' order, not the verdicts').
    const expected = [...split.verdicts, huge].sort(compareVerdicts);
    expect([...list].map(sortKey)).toEqual(expected.map(sortKey));
    expect([...list].map((v) => JSON.stringify(v)).sort()).toEqual(expected.map((v) => JSON.stringify(v)).sort());
  });

  it('fails with the error of a part merged elsewhere, even one that fails while an earlier part is awaited', async () => {
    const split = spools();
    const later = (part: MergePart) => new Promise<MergedPart>((resolve) => setTimeout(() => resolve(mergePart(structuredClone(part))), 50));
    const failing = async () => {
      throw new Error('a worker failed');
    };
    await expect(split.spool.finishInParts(split.others, [later, failing])).rejects.toThrow('a worker failed');
  });

  it('runs what it is given to do meanwhile once this thread merged its part, before the parts merged elsewhere are in', async () => {
    const runs = spools().others[1]!;
    const out = join(mkdtempSync(join(tmpdir(), 'trailproof-parts-')), 'merged.jsonl');
    writeFileSync(out, '');
    const parts = planParts(runs.runs.map((file, i) => ({ file, evidenceBase: 0, resourceBase: 0, outline: runs.outlines[i]!, samples: runs.samples[i]! })), 2, out);
    const events: string[] = [];
    const later = (part: MergePart) => new Promise<MergedPart>((resolve) => setTimeout(() => resolve(mergePart(structuredClone(part))), 50)).finally(() => events.push('elsewhere'));
    const merged = await mergeParts(parts, [later], undefined, () => events.push('meanwhile'));
    expect(events).toEqual(['meanwhile', 'elsewhere']);
    expect(merged.places).toHaveLength(runs.length);
    rmSync(dirname(out), { recursive: true, force: true });
  });

  it('with nothing spooled to disk, is the array one spool sorts', async () => {
    const spool = new VerdictSpool();
    const next = generator(3);
    const verdicts = Array.from({ length: 50 }, (_, i) => oddVerdict(next, i));
    for (const v of verdicts) spool.add(v);
    const merger = async () => {
      throw new Error('nothing to merge');
    };
    expect(await spool.finishInParts([], [merger])).toEqual([...verdicts].sort(compareVerdicts));
  });
});

describe('VerdictSpool sort keys', () => {
  it('compare as strings exactly as compareVerdicts compares the verdicts, and survive UTF-8', () => {
    const next = generator(16);
    const verdicts = Array.from({ length: 400 }, (_, i) => oddVerdict(next, i));
    for (const v of verdicts) {
      const key = sortKey(v);
      expect(Buffer.from(key, 'utf8').toString('utf8')).toBe(key);
      expect(key).not.toMatch(/[\t\n]/);
    }
    for (let i = 0; i < verdicts.length; i++) {
      for (let j = 0; j < verdicts.length; j += 7) {
        const a = sortKey(verdicts[i]!);
        const b = sortKey(verdicts[j]!);
        expect(Math.sign(a < b ? -1 : a > b ? 1 : 0), `${JSON.stringify(verdicts[i])} vs ${JSON.stringify(verdicts[j])}`).toBe(Math.sign(compareVerdicts(verdicts[i]!, verdicts[j]!)));
      }
    }
    // Made in canonical order (consecutive verdicts share fields), the keys are those made one by one between others.
    const sorted = [...verdicts].sort(compareVerdicts);
    const apart = sorted.map((v, i) => {
      sortKey(verdicts[(i * 13) % verdicts.length]!);
      return sortKey(v);
    });
    expect(sorted.map((v) => sortKey(v))).toEqual(apart);
  });

  it('gives back odd verdicts as they went in: control characters, lone surrogates, undefined members, empty and huge evidence, suppressions', () => {
    const next = generator(7);
    const verdicts = Array.from({ length: 300 }, (_, i) => oddVerdict(next, i));
    const huge = { blob: 'x'.repeat(3 << 20), unicode: '😀\u2028\ud800' };
    verdicts.push({ ruleId: 'rule-huge', status: 'FAIL', severity: 'critical', message: 'm\ttab\nnewline', evidence: huge, resource: { type: 'bucket', id: 'huge-b', accountId: '1', region: 'us-east-1', arn: 'arn:aws:s3:::b' } });
    verdicts.push({ ruleId: 'rule-huge', status: 'FAIL', severity: 'critical', message: '', evidence: null, resource: { type: 'bucket', id: 'huge-c', accountId: '1' }, suppressed: { reason: 'r\u0000', approver: 'a', expires: '2027-01-01', exceptionId: 'exceptions[0]' } });
    const spool = new VerdictSpool(undefined, 13);
    for (const v of verdicts) spool.add(v);
    const list = spool.finish();
    expect(Array.isArray(list)).toBe(false);
    const expected = [...verdicts].sort(compareVerdicts);
    const walked = [...list];
    expect(walked.length).toBe(expected.length);
    // JSON drops undefined members as the spool does; everything else comes back equal, in order.
    expect(walked.map((v) => JSON.stringify(v)).join('\n') === expected.map((v) => JSON.stringify(v)).join('\n')).toBe(true);
    expect(walked.map((v) => v.message)).toEqual(expected.map((v) => v.message));
    expect(walked.map((v) => v.resource.id)).toEqual(expected.map((v) => v.resource.id));
    // Compared as text: a failure must not print megabytes.
    expect(JSON.stringify(walked.find((v) => v.resource.id === 'huge-b')!.evidence) === JSON.stringify(huge)).toBe(true);
    expect(walked.find((v) => v.resource.id === 'huge-c')!.suppressed).toEqual(verdicts[verdicts.length - 1]!.suppressed);
    expect(Object.keys(walked.find((v) => v.resource.id === 'huge-c')!)).toEqual(['ruleId', 'status', 'severity', 'message', 'evidence', 'resource', 'suppressed']);
    expect(new Set(walked.map((v) => v.ruleId))).toEqual(new Set(expected.map((v) => v.ruleId)));
    if (!Array.isArray(list)) expect([...list.ruleIds()].sort()).toEqual([...new Set(expected.map((v) => v.ruleId))].sort());
  });
});

describe('VerdictSpool resources', () => {
  it('gives each resource (type and id) once, as its first verdict in canonical order holds it, odd ids included', () => {
    const next = generator(11);
    const verdicts = Array.from({ length: 900 }, (_, i) => oddVerdict(next, i));
    // The same type and id with other members: the first in canonical order is the one given.
    verdicts.push({ ...verdicts[5]!, ruleId: 'rule-\uffffz', resource: { type: 'trail', id: 'twice\u0000\t', accountId: '1', name: 'last' } });
    verdicts.push({ ...verdicts[5]!, ruleId: 'rule-\u0000first', resource: { type: 'trail', id: 'twice\u0000\t', accountId: '1', name: 'first' } });
    // Ids and types that a joined key without a separator would confuse.
    verdicts.push({ ...verdicts[6]!, resource: { type: 'bucket', id: 'account', accountId: '1' } });
    verdicts.push({ ...verdicts[6]!, resource: { type: 'account', id: 'bucket', accountId: '1' } });
    const spool = new VerdictSpool(undefined, 97);
    for (const v of verdicts) spool.add(v);
    const list = spool.finish();
    if (Array.isArray(list)) throw new Error('expected a spooled list');
    const expected = new Map<string, unknown>();
    for (const v of [...verdicts].sort(compareVerdicts)) {
      const key = JSON.stringify([v.resource.type, v.resource.id]);
      if (!expected.has(key)) expected.set(key, v.resource);
    }
    const given = [...list.resources()];
    expect(given.length).toBeGreaterThan(100);
    expect(given.length).toBeLessThan(verdicts.length);
    expect(JSON.stringify(given)).toBe(JSON.stringify([...expected.values()]));
    expect(given.filter((r) => r.id === 'twice\u0000\t').map((r) => r.name)).toEqual(['first']);
  });
});

describe('VerdictSpool runs', () => {
  it('write the resource every rule of a subject shares once per run, and give each verdict back whole', () => {
    const shared = { type: 'account' as const, id: '111122223333', accountId: '111122223333', name: 'prod "main"', ouPath: 'Root/Prod' };
    const other = { type: 'account' as const, id: '444455556666', accountId: '444455556666', name: 'dev' };
    const verdicts: Verdict[] = [];
    for (const [i, rule] of ['rule-a', 'rule-b', 'rule-c', 'rule-d', 'rule-e'].entries()) {
      for (const resource of [shared, other]) {
        const verdict: Verdict = { ruleId: rule, status: i % 2 ? 'FAIL' : 'PASS', severity: i % 2 ? 'high' : 'low', message: `${rule} on ${resource.name}`, evidence: i === 2 ? 'scalar' : { i }, resource };
        if (i === 3 && resource === shared) verdict.suppressed = { reason: 'accepted', approver: 'a', expires: '2027-01-01', exceptionId: 'exceptions[0]' };
        verdicts.push(verdict);
      }
    }
    const spool = new VerdictSpool(undefined, 3);
    for (const v of verdicts) spool.add(v);
    const walked = [...spool.finish()];
    expect(walked.map((v) => JSON.stringify({ ...v }))).toEqual([...verdicts].sort(compareVerdicts).map((v) => JSON.stringify(v)));
  });
});

describe('VerdictSpool merge under a heap ceiling', () => {
  it("consults the ceiling it is given every 4,096 merged lines (not at the first), its own runs and another thread's alike, and collects when over it", () => {
    const next = generator(23);
    const verdicts = Array.from({ length: 9_000 }, (_, i) => oddVerdict(next, i));
    const other = new VerdictSpool(undefined, 1_000);
    for (const v of verdicts.slice(0, 4_000)) other.add(v);
    const spool = new VerdictSpool(undefined, 1_000);
    for (const v of verdicts.slice(4_000)) spool.add(v);
    // No room and a heap that grows at every look: each check is over the ceiling and collects.
    let heap = 0;
    const collectedAt: number[] = [];
    const ceiling = new HeapCeiling(0, () => ++heap, () => collectedAt.push(heap));
    const list = spool.finish([other.finishRuns() as SpoolRuns], ceiling) as SpooledVerdicts;
    expect(list.length).toBe(9_000);
    // Lines 4,095 and 8,191: not the first, after which judging's garbage has just been collected.
    expect(ceiling.collections).toBe(Math.floor(9_000 / 4_096));
    expect(collectedAt).toHaveLength(2);
    expect([...list].map(sortKey)).toEqual([...verdicts].sort(compareVerdicts).map(sortKey));
  });
});

describe('VerdictSpool evidence texts', () => {
  it("lends the text it read each evidence object from, which is JSON.stringify's text of the object", () => {
    const awkward: unknown[] = [
      { '2': 'b', '10': 'c', '1': 'a', z: 1, a: 2 },
      JSON.parse('{"__proto__": {"x": 1}, "y": [1, 2]}'),
      { lone: '\ud800 and \udfff', pair: '😀', latin: 'é', controls: '\u0000\u001f\n"\\', markup: '</script>' },
      { numbers: [-0, 1e21, 5e-7, 0.1, 123456789012345680000, -1.5e-300, Number.MAX_SAFE_INTEGER] },
      [null, true, false, {}, [], ''],
      { undefinedMember: undefined, nested: { deeper: [{ a: null }] } },
    ];
    const spool = new VerdictSpool(undefined, 2);
    awkward.forEach((evidence, i) => spool.add({ ruleId: 'r', status: 'FAIL', severity: 'high', message: 'm', evidence, resource: { type: 'account', id: `a${i}`, accountId: `a${i}` } }));
    const list = spool.finish();
    if (Array.isArray(list)) throw new Error('expected a spooled list');
    const walked = [...list];
    expect(walked).toHaveLength(awkward.length);
    for (const v of walked) {
      const text = list.evidenceText(v.evidence);
      expect(text).toBeDefined();
      expect(text).toBe(JSON.stringify(v.evidence));
    }
    expect(list.evidenceText({ not: 'read from the list' })).toBeUndefined();
    expect(list.evidenceText('text')).toBeUndefined();
  });

  it('keeps the texts of the recently read objects only, however long their objects live', () => {
    // A text kept as long as its object (a WeakMap) stayed until a major collection: the report
    // phase's peak RSS rose with it.
    const count = EVIDENCE_GENERATION * 2 + 10;
    const spool = new VerdictSpool(undefined, 1_000);
    for (let i = 0; i < count; i++) spool.add({ ruleId: 'r', status: 'FAIL', severity: 'high', message: 'm', evidence: { i }, resource: { type: 'account', id: `a${i}`, accountId: `a${i}` } });
    const list = spool.finish();
    if (Array.isArray(list)) throw new Error('expected a spooled list');
    const kept = Array.from(list, (v) => v.evidence);
    expect(list.evidenceText(kept[0])).toBeUndefined();
    expect(list.evidenceText(kept[count - 1])).toBe(JSON.stringify(kept[count - 1]));
    // A walk that reads the first again lends its text again.
    const again = list[Symbol.iterator]().next().value!.evidence;
    expect(list.evidenceText(again)).toBe('{"i":0}');
  });
});

describe('VerdictSpool resource table', () => {
  /** Verdicts of 4 rules on 3 subjects: one resource object per subject, as the judging hands on. */
  function subjectsVerdicts(resources: Verdict['resource'][]): Verdict[] {
    return ['rule-a', 'rule-b', 'rule-c', 'rule-d'].flatMap((ruleId, r) =>
      resources.map((resource, s): Verdict => {
        const verdict: Verdict = { ruleId, status: r % 2 ? 'FAIL' : 'PASS', severity: SEVERITIES[(r + s) % SEVERITIES.length]!, message: `${ruleId} "${s}",[1,2]\t`, evidence: { r, s }, resource };
        if (r === 1 && s === 0) verdict.suppressed = { reason: '",[3,4]]', approver: 'a', expires: '2099-12-31', exceptionId: 'exceptions[0]' };
        return verdict;
      }),
    );
  }
  const resources = (): Verdict['resource'][] => [
    { type: 'account', id: '111122223333', accountId: '111122223333', name: 'prod ",[0,1]', ouPath: 'Root/Prod' },
    { type: 'trail', id: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', accountId: '111122223333', region: 'us-east-1', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t', name: 't' },
    { id: 'b', type: 'bucket', accountId: '444455556666' },
  ];

  it('writes each resource once and builds each verdict its own object from it, members in their order', () => {
    const verdicts = subjectsVerdicts(resources());
    const spool = new VerdictSpool(undefined, 5);
    for (const v of verdicts) spool.add(v);
    const list = spool.finish() as SpooledVerdicts;
    expect(readFileSync(list.spool.resourcesFile, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    const walked = [...list];
    expect(walked.map((v) => JSON.stringify(v))).toEqual([...verdicts].sort(compareVerdicts).map((v) => JSON.stringify(v)));
    // No object per resource is kept for the walks (the fifteenth round's table of objects).
    expect(new Set(walked.map((v) => v.resource)).size).toBe(walked.length);
    expect(list.spool.resourceTable.ends).toHaveLength(3);
    expect(Object.keys(walked.find((v) => v.resource.id === 'b')!.resource)).toEqual(['id', 'type', 'accountId']);
    expect(JSON.stringify([...list.resources()])).toBe(JSON.stringify([...new Map([...verdicts].sort(compareVerdicts).map((v) => [v.resource.id, v.resource])).values()]));
  });

  it('keeps one entry per resource text when every verdict brings its own object (a merge of shard reports)', () => {
    const verdicts = subjectsVerdicts(resources()).map((v) => JSON.parse(JSON.stringify(v)) as Verdict);
    const spool = new VerdictSpool(undefined, 5);
    for (const v of verdicts) spool.add(v);
    const list = spool.finish() as SpooledVerdicts;
    expect(readFileSync(list.spool.resourcesFile, 'utf8').trimEnd().split('\n')).toHaveLength(3);
    expect([...list].map((v) => JSON.stringify(v))).toEqual([...verdicts].sort(compareVerdicts).map((v) => JSON.stringify(v)));
  });

  it("numbers another thread's resources after this spool's, whatever the digits", () => {
    // 120 resources on this thread, so the other thread's indexes gain a digit when shifted.
    const mine = Array.from({ length: 120 }, (_, i): Verdict['resource'] => ({ type: 'account', id: `m${String(i).padStart(3, '0')}`, accountId: `m${i}` }));
    const theirs = resources();
    const spool = new VerdictSpool(undefined, 50);
    for (const v of subjectsVerdicts(mine)) spool.add(v);
    const other = new VerdictSpool(undefined, 4);
    // Inline evidence (a string with the separators) before a suppression, and evidence by reference.
    for (const v of subjectsVerdicts(theirs)) other.add(v.suppressed ? { ...v, evidence: '"],[5,6],' } : v);
    const list = spool.finish([other.finishRuns() as SpoolRuns]) as SpooledVerdicts;
    const expected = [...subjectsVerdicts(mine), ...subjectsVerdicts(theirs).map((v) => (v.suppressed ? { ...v, evidence: '"],[5,6],' } : v))].sort(compareVerdicts);
    expect([...list].map((v) => JSON.stringify(v)).join('\n') === expected.map((v) => JSON.stringify(v)).join('\n')).toBe(true);
    expect([...list.resources()].map((r) => r.id)).toEqual([...new Set(expected.map((v) => v.resource.id))]);
  });
});

describe('VerdictSpool evidence already read', () => {
  it('is given as a plain member to the next verdict that shares it; evidence not read yet stays lazy', () => {
    const shared = { shared: [1, 2] };
    const spool = new VerdictSpool(undefined, 2);
    for (let i = 0; i < 6; i++) spool.add({ ruleId: 'r', status: 'PASS', severity: 'low', message: 'm', evidence: i < 3 ? shared : { own: i }, resource: { type: 'account', id: `a${i}`, accountId: `a${i}` } });
    const list = spool.finish() as SpooledVerdicts;
    const walk = list[Symbol.iterator]();
    const first = walk.next().value!;
    expect(Object.getOwnPropertyDescriptor(first, 'evidence')!.get).toBeTypeOf('function');
    expect(first.evidence).toEqual(shared);
    const second = walk.next().value!;
    expect(Object.getOwnPropertyDescriptor(second, 'evidence')).toEqual({ value: first.evidence, writable: true, enumerable: true, configurable: true });
    expect(Object.keys(second)).toEqual(['ruleId', 'status', 'severity', 'message', 'evidence', 'resource']);
    walk.next();
    const fourth = walk.next().value!;
    expect(Object.getOwnPropertyDescriptor(fourth, 'evidence')!.get).toBeTypeOf('function');
    expect(JSON.stringify(fourth)).toBe('{"ruleId":"r","status":"PASS","severity":"low","message":"m","evidence":{"own":3},"resource":{"type":"account","id":"a3","accountId":"a3"}}');
  });
});
