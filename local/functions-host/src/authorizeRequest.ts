import { timingSafeEqual } from 'node:crypto';

export type AuthLevel = 'anonymous' | 'function' | 'admin';

export interface HostKeys {
  masterKey: string;
  /** Function keys by name; `default` applies to every function. */
  functionKeys: Record<string, string>;
}

/** The key a caller presented: the `x-functions-key` header wins over the `code` query parameter. */
export function presentedKey(headers: Headers, query: URLSearchParams): string | undefined {
  return headers.get('x-functions-key') ?? query.get('code') ?? undefined;
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Decides whether a presented key satisfies an authorization level, as the host's key
 * authorization does: anonymous needs nothing, function accepts any function key or the master
 * key, admin accepts only the master key.
 *
 * @example
 * authorizeRequest('function', 'abc', { masterKey: 'm', functionKeys: { default: 'abc' } }); // true
 */
export function authorizeRequest(level: string, key: string | undefined, keys: HostKeys): boolean {
  const normalized = level.toLowerCase();
  if (normalized === 'anonymous') return true;
  if (!key) return false;
  if (sameKey(key, keys.masterKey)) return true;
  if (normalized === 'admin' || normalized === 'system') return false;
  return Object.values(keys.functionKeys).some((candidate) => sameKey(key, candidate));
}
