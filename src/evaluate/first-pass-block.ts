/**
 * Pass 1 of one block of consecutive lines, in a thread other than the one that reads the whole
 * file (or in that one, for a worker that ran out of memory): the block's records validated
 * (snapshot/read.ts validatedBlock), what its lines give the model index (IndexBuilder.blockState,
 * merged in file order by the main thread) and their collection errors.
 */
import type { ApiError } from '../contracts/api-error.ts';
import { collectErrors } from '../model/errors.ts';
import { IndexBuilder, type IndexBlockState } from '../model/index.ts';
import { SnapshotLineError, validatedBlock, type BlockSeen, type LineBlock } from '../snapshot/read.ts';
import type { SnapshotHeader } from '../snapshot/types.ts';

/** A block's pass 1 (plain data): its index state when every line was valid, else the first bad line (failure). */
export interface BlockIndexed extends BlockSeen {
  index?: IndexBlockState;
  /** The collection errors recorded on its lines, in file order. */
  errors: ApiError[];
}

export async function indexBlock(file: string, header: SnapshotHeader, headerLine: number, block: LineBlock): Promise<BlockIndexed> {
  const builder = new IndexBuilder(header);
  const seen: BlockIndexed = { lines: [], accountIds: [], errors: [] };
  try {
    for await (const { line, record } of validatedBlock(file, header, headerLine, block)) {
      builder.add(record, line);
      seen.errors.push(...collectErrors(record));
      seen.lines.push(line);
      seen.accountIds.push(record.accountId);
    }
  } catch (err) {
    if (!(err instanceof SnapshotLineError)) throw err;
    return { ...seen, failure: { line: err.line, message: err.message } };
  }
  return { ...seen, index: builder.blockState() };
}
