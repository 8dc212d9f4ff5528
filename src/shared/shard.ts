import { createHash } from 'node:crypto';
import { UserError } from '../shared/errors.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard "${text}": expected K/N with 1 ≤ K ≤ N, e.g. 2/8`);
  }
  return { index, count };
}

/**
 * Stable assignment: the same account always lands in the same shard for a given N, whatever the
 * order or size of the organization (a hash, not a position).
 */
export function inShard(accountId: string, shard: Shard): boolean {
  const bucket = createHash('sha256').update(accountId).digest().readUInt32BE(0) % shard.count;
  return bucket === shard.index - 1;
}
