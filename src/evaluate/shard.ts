// The account → shard hash is shared with collection (`collect --shard`): one assignment for both.
export { inShard, parseShard, type Shard } from '../shared/shard.ts';
