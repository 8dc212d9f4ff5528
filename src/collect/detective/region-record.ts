import type { DetectiveRegionRecord, RegionRecord } from '../../snapshot/types.ts';

/** The region's detective block, made on first use (several readers fill it, each its own fields). */
export function detectiveOf(record: RegionRecord): DetectiveRegionRecord {
  return (record.detective ??= {});
}

/** Items sorted by a text key, so the snapshot does not depend on the order AWS listed them in. */
export function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
