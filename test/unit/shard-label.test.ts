/** `--shard K/N`: exactly two whole numbers with 1 ≤ K ≤ N, or a usage error that repeats the label. */
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/evaluate/shard.ts';
import { UserError } from '../../src/shared/errors.ts';

describe('parseShard', () => {
  it('reads numbers of more than one digit', () => {
    expect(parseShard('10/12')).toEqual({ index: 10, count: 12 });
    expect(parseShard('2/16')).toEqual({ index: 2, count: 16 });
  });

  it('accepts a single shard (1/1)', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it('rejects anything before or after K/N', () => {
    for (const bad of ['x1/3', ' 1/3', '1/3x', '1/3 ', '1/3/4', '-1/3']) expect(() => parseShard(bad), bad).toThrow(UserError);
  });

  it('says which label was wrong and what is expected', () => {
    expect(() => parseShard('4/3')).toThrow('--shard "4/3": expected K/N with 1 ≤ K ≤ N, e.g. 2/8');
  });
});
