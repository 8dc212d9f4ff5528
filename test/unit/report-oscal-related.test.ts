import { describe, expect, it } from 'vitest';
import { LazyList, stableJson, stableJsonChunks } from '../../src/report/canonical.ts';
import { RelatedObservations, UuidsByRule } from '../../src/report/oscal-related.ts';
import { uuidV5 } from '../../src/report/uuid-v5.ts';

/** A document holding `list` where OSCAL holds a finding's related observations (nested five levels deep). */
const documentWith = (list: unknown) => ({ a: [{ findings: [{ uuid: 'f', 'related-observations': list }] }], b: 1 });

/** The uuids recorded for three rules: more than a run's worth for one, one for another. */
function recorded(): { byRule: UuidsByRule; uuids: Map<string, string[]> } {
  const byRule = new UuidsByRule();
  const uuids = new Map<string, string[]>([
    ['r-many', Array.from({ length: 401 }, (_, i) => uuidV5(`many:${i}`))],
    ['r-one', [uuidV5('one')]],
    ['r-other', Array.from({ length: 3 }, (_, i) => uuidV5(`other:${i}`))],
  ]);
  for (const [rule, list] of uuids) for (const uuid of list) byRule.record(rule, uuid);
  return { byRule, uuids };
}

describe("OSCAL's related observations written from the uuids' bytes", () => {
  it('writes the bytes of a list of one `{ "observation-uuid" }` item per uuid, at any depth, whole or in chunks', () => {
    const { byRule, uuids } = recorded();
    for (const rules of [['r-many'], ['r-one'], ['r-many', 'r-other'], ['r-one', 'r-other', 'r-many']]) {
      const expected = [...uuids].filter(([rule]) => rules.includes(rule)).flatMap(([, list]) => list.map((uuid) => ({ 'observation-uuid': uuid })));
      const list = new RelatedObservations({ [Symbol.iterator]: () => byRule.runsOfRules(new Set(rules)) });
      // As a list of plain items would be written: LazyList items one by one, and JSON.stringify.
      const itemByItem = new LazyList(expected, (item) => item, (item, indent) => JSON.stringify(item, null, 2).replace(/\n/g, `\n${indent}`));
      const text = stableJson(documentWith(expected));
      expect([...stableJsonChunks(documentWith(list))].join('')).toBe(text);
      expect([...stableJsonChunks(documentWith(itemByItem))].join('')).toBe(text);
      expect(JSON.parse(JSON.stringify(list))).toEqual(expected);
    }
  });

  it('lists the rules in the order first recorded, each in runs of its uuids in the order recorded', () => {
    const { byRule, uuids } = recorded();
    const runs = [...byRule.runsOfRules(new Set(['r-other', 'r-many']))];
    expect(runs.length).toBeGreaterThan(2);
    const texts = runs.flatMap((run) => {
      const out: string[] = [];
      for (let at = run.from; at < run.to; at += 16) out.push(Buffer.from(run.bytes.subarray(at, at + 16)).toString('hex'));
      return out;
    });
    expect(texts).toEqual([...uuids.get('r-many')!, ...uuids.get('r-other')!].map((uuid) => uuid.replace(/-/g, '')));
  });

  it('writes an empty list as []', () => {
    expect([...stableJsonChunks(documentWith(new RelatedObservations([])))].join('')).toBe(stableJson(documentWith([])));
  });
});
