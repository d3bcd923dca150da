// A bounded map that forgets the least recently used entries first. Map keeps insertion order, so
// eviction takes the first key; a hit re-inserts its entry only when it has drifted into the older
// half, so hot entries stay cheap to read (a Map delete + set on every hit costs more than the lookup).

interface Entry<V> {
  readonly value: V;
  /** The insertion count when the entry was last (re)inserted. */
  stamp: number;
}

export class Lru<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private inserted = 0;

  constructor(private readonly max: number) {
    if (!(max >= 1)) throw new RangeError('Lru: max must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (this.inserted - e.stamp > this.max / 2) {
      this.entries.delete(key);
      this.entries.set(key, e);
      e.stamp = ++this.inserted;
    }
    return e.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, stamp: ++this.inserted });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** The cached value, or `make()`'s result stored (a throwing `make` stores nothing). */
  getOrSet(key: K, make: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const v = make();
    this.set(key, v);
    return v;
  }
}
