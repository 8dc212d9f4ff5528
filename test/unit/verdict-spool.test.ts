/**
 * The verdict spool (evaluate/verdict-spool.ts): a list written to disk in runs and merged gives
 * the verdicts an in-memory sort gives, and every report format renders the same bytes from it.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { VerdictSpool } from '../../src/evaluate/verdict-spool.ts';
import { listFormatters } from '../../src/report/registry.ts';
import { knownRuleIds, verdictsOfRules } from '../../src/report/list-views.ts';
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
