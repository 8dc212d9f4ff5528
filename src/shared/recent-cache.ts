/**
 * Values made for the most recently used keys, kept in two generations rather than as an exact
 * LRU: a hit in the older generation moves the entry to the recent one, and when the recent one is
 * full it becomes the older and the older is dropped whole. An exact LRU over a Map deletes at its
 * front, and every look for its oldest entry then steps over the holes, which cost more than the
 * work the cache saves (measured on the spool's evidence). Keeps between `generation` and twice
 * that many entries.
 */
export class RecentCache<K, V> {
  private recent = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(private readonly generation: number) {}

  /** The value kept for `key`, else `make(key)`, kept. An undefined or null value is made again each time. */
  get(key: K, make: (key: K) => V): V {
    const hot = this.recent.get(key);
    if (hot !== undefined && hot !== null) return hot;
    const value = this.older.get(key) ?? make(key);
    if (this.recent.size >= this.generation) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, value);
    return value;
  }

  /** Whether a value is kept for `key` (not counted as a use). */
  has(key: K): boolean {
    return this.recent.has(key) || this.older.has(key);
  }

  /** The value kept for `key`, if any, without making one or counting as a use. */
  peek(key: K): V | undefined {
    return this.recent.get(key) ?? this.older.get(key);
  }

  clear(): void {
    this.recent.clear();
    this.older.clear();
  }
}
