import { ArmError } from './ArmError.js';

/** Encodes a list cursor (the last key served) as an opaque `$skiptoken`. */
export const encodeSkipToken = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeSkipToken(token: string | null): string | undefined {
  if (token === null) return undefined;
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!key) throw new ArmError(400, 'InvalidSkipToken', `The skip token '${token}' is invalid.`);
  return key;
}

export const DEFAULT_PAGE_SIZE = 1000;

/** `$top` as a page size: at most 1000, like ARM. */
export function pageSizeOf(query: URLSearchParams): number {
  const top = query.get('$top');
  if (top === null) return DEFAULT_PAGE_SIZE;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) {
    throw new ArmError(400, 'InvalidTopParameter', `The value '${top}' of $top is invalid.`);
  }
  return Math.min(n, DEFAULT_PAGE_SIZE);
}

/**
 * Takes one page from keys in cursor order: stops at `size` accepted items and returns a
 * `nextLink` (carrying the last key as `$skiptoken`) when more keys remain.
 */
export function takePage<T>(
  keys: Iterator<string>,
  size: number,
  accept: (key: string) => T | undefined,
  nextLinkFor: (cursor: string) => string,
): { value: T[]; nextLink?: string } {
  const value: T[] = [];
  let last: string | undefined;
  for (let next = keys.next(); !next.done; next = keys.next()) {
    if (value.length === size) {
      // Only hand out a next link when another key actually exists.
      return { value, nextLink: nextLinkFor(last as string) };
    }
    last = next.value;
    const item = accept(next.value);
    if (item !== undefined) value.push(item);
  }
  return { value };
}

/** The same request URL with a new `$skiptoken`. */
export function nextLinkOf(endpoint: string, path: string, query: URLSearchParams, cursor: string) {
  const params = new URLSearchParams(query);
  params.set('$skiptoken', encodeSkipToken(cursor));
  return `${endpoint}${path}?${params.toString()}`;
}
