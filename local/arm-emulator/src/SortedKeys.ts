/**
 * A sorted set of strings with binary-search insert, delete and seek, so that cursor paging over
 * tens of thousands of keys costs O(log n) per page start instead of a scan.
 *
 * @example
 * const keys = new SortedKeys();
 * keys.add('b'); keys.add('a');
 * [...keys.after('a')]; // ['b']
 */
export class SortedKeys {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  add(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] !== key) this.keys.splice(index, 0, key);
  }

  delete(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] === key) this.keys.splice(index, 1);
  }

  clear(): void {
    this.keys.length = 0;
  }

  /** The keys strictly after `cursor` (all keys when it is undefined), in order. */
  *after(cursor: string | undefined): Generator<string> {
    let index = cursor === undefined ? 0 : this.lowerBound(cursor);
    if (cursor !== undefined && this.keys[index] === cursor) index += 1;
    for (; index < this.keys.length; index += 1) yield this.keys[index] as string;
  }

  /** The keys that start with `prefix`, in order. */
  *withPrefix(prefix: string): Generator<string> {
    for (let index = this.lowerBound(prefix); index < this.keys.length; index += 1) {
      const key = this.keys[index] as string;
      if (!key.startsWith(prefix)) return;
      yield key;
    }
  }

  private lowerBound(key: string): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.keys[mid] as string) < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
