import { describe, expect, it } from 'vitest';
import { PlaceTable, type OutlinePlace } from '../../src/evaluate/verdict-outline.ts';

const place = (accountId: string, type: string, ouPath?: string): OutlinePlace => ({ accountId, type: type as OutlinePlace['type'], ...(ouPath === undefined ? {} : { ouPath }) });

describe('PlaceTable', () => {
  it('numbers each distinct account, type and OU path once, whichever resource object names it', () => {
    const table = new PlaceTable();
    const names = [
      place('111', 'account', 'r-1/ou-a'),
      place('111', 'trail', 'r-1/ou-a'),
      place('222', 'account', 'r-1/ou-a'),
      place('111', 'trail'),
      place('111', 'trail', ''),
      place('111', 'bucket', 'r-1/ou-a'),
      place('222', 'trail', 'r-1/ou-a'),
    ];
    expect(names.map((p) => table.indexOf(p))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Other objects with the same parts, in another order: the same indexes.
    expect([...names].reverse().map((p) => table.indexOf({ ...p }))).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(names.map((p) => table.indexOf(p))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(table.places).toEqual(names);
    expect('ouPath' in table.places[3]!).toBe(false);
  });

  it("adopts another table's places as its own indexes", () => {
    const table = new PlaceTable();
    table.indexOf(place('111', 'account'));
    table.indexOf(place('111', 'trail', 'r-1'));
    const other = [place('333', 'account'), place('111', 'trail', 'r-1'), place('111', 'account')];
    expect([...table.adopt(other, Uint32Array.of(2, 0, 1, 1))]).toEqual([0, 2, 1, 1]);
    expect(table.places).toEqual([place('111', 'account'), place('111', 'trail', 'r-1'), place('333', 'account')]);
  });
});
