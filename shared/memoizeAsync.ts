/**
 * Remembers the promise `create` returns for each key, so an expensive async resource (an SDK
 * client, a checked container) is made once per process and shared. A failed promise is
 * forgotten, so the next caller tries again instead of inheriting the failure.
 *
 * @example
 * const storeFor = memoizeAsync((container: string) => BlobRecordStore.open(container));
 * await storeFor('records'); // made once
 * await storeFor('records'); // the same instance
 */
export function memoizeAsync<K, V>(
  create: (key: K) => Promise<V>,
  /** What makes two keys the same; default the key itself (by identity for objects). */
  keyOf: (key: K) => unknown = (key) => key,
): (key: K) => Promise<V> {
  const cache = new Map<unknown, Promise<V>>();
  return (input) => {
    const key = keyOf(input);
    let value = cache.get(key);
    if (!value) {
      value = create(input);
      cache.set(key, value);
      value.catch(() => {
        if (cache.get(key) === value) cache.delete(key);
      });
    }
    return value;
  };
}

/**
 * `memoizeAsync` for a resource without a key.
 *
 * @example
 * const ready = onceAsync(() => container.createIfNotExists());
 * await ready();
 */
export function onceAsync<V>(create: () => Promise<V>): () => Promise<V> {
  const byKey = memoizeAsync((_: undefined) => create());
  return () => byKey(undefined);
}
