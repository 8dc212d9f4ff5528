/**
 * Three-valued logic over facts that may be unknown (src/model/known-logic.ts): an unknown part
 * decides the answer only when the known parts leave it open, and the reason kept is the first.
 */
import { describe, expect, it } from 'vitest';
import { known, unknownBecause, type Known } from '../../src/model/known.ts';
import { allTrue, anyTrue } from '../../src/model/known-logic.ts';

const T = known(true);
const F = known(false);
const U = (why: string): Known<boolean> => unknownBecause(why);

describe('anyTrue', () => {
  it('is true when one part is true, whatever the others', () => {
    expect(anyTrue([U('a'), F, T])).toEqual({ value: true });
    expect(anyTrue([T, U('a')])).toEqual({ value: true });
  });

  it('is false when every part is false, or there are none', () => {
    expect(anyTrue([F, F])).toEqual({ value: false });
    expect(anyTrue([])).toEqual({ value: false });
  });

  it('is unknown, with the first reason, when no part is true and one is unknown', () => {
    expect(anyTrue([F, U('first'), U('second'), F])).toEqual({ reason: 'first' });
  });

  it('stops at the first true part (a generator is not read further)', () => {
    const read: number[] = [];
    function* parts(): Generator<Known<boolean>> {
      for (const [i, p] of [F, T, U('never')].entries()) {
        read.push(i);
        yield p;
      }
    }
    expect(anyTrue(parts())).toEqual({ value: true });
    expect(read).toEqual([0, 1]);
  });
});

describe('allTrue', () => {
  it('is false when one part is false, whatever the others', () => {
    expect(allTrue([U('a'), T, F])).toEqual({ value: false });
  });

  it('is true when every part is true, or there are none', () => {
    expect(allTrue([T, T])).toEqual({ value: true });
    expect(allTrue([])).toEqual({ value: true });
  });

  it('is unknown, with the first reason, when no part is false and one is unknown', () => {
    expect(allTrue([T, U('first'), U('second')])).toEqual({ reason: 'first' });
  });
});

describe('known / unknownBecause', () => {
  it('hold a value or a reason, never both', () => {
    expect(known(0)).toEqual({ value: 0 });
    expect(unknownBecause('denied')).toEqual({ reason: 'denied' });
    expect(Object.keys(known(false))).toEqual(['value']);
    expect(Object.keys(unknownBecause('x'))).toEqual(['reason']);
  });
});
