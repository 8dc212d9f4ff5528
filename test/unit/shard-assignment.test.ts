import { describe, expect, it } from 'vitest';
import { inShard, parseShard } from '../../src/evaluate/shard.ts';
import { UserError } from '../../src/shared/errors.ts';
import { accountIdFor } from '../bench/generate-org.ts';

const ids = Array.from({ length: 3000 }, (_, i) => accountIdFor(i, 42));
const shardsOf = (id: string, n: number) => Array.from({ length: n }, (_, k) => k + 1).filter((k) => inShard(id, { index: k, count: n }));

describe('--shard K/N', () => {
  it('puts every account in exactly one shard', () => {
    for (const id of ids) expect(shardsOf(id, 7)).toHaveLength(1);
  });

  it('spreads accounts evenly (each shard within 15% of N-th of the accounts)', () => {
    const n = 8;
    const sizes = Array.from({ length: n }, (_, k) => ids.filter((id) => inShard(id, { index: k + 1, count: n })).length);
    for (const size of sizes) expect(Math.abs(size - ids.length / n)).toBeLessThan((0.15 * ids.length) / n);
  });

  it('depends on the account id alone: the same split whatever the order or the rest of the organization', () => {
    const before = new Map(ids.slice(0, 500).map((id) => [id, shardsOf(id, 5)[0]]));
    const grown = [...ids].reverse();
    for (const id of grown) if (before.has(id)) expect(shardsOf(id, 5)[0]).toBe(before.get(id));
  });

  it('rejects malformed or out-of-range shard labels with a usage error', () => {
    for (const bad of ['0/3', '4/3', '1/0', '1-3', 'a/b', '']) expect(() => parseShard(bad)).toThrow(UserError);
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
  });
});
