import { createHash } from 'node:crypto';

/**
 * A SHA-256 of the value's canonical JSON (object keys sorted at every depth), so two bodies that
 * differ only in key order or whitespace hash the same.
 *
 * @example
 * hashRequest({ b: 1, a: [2] }) === hashRequest({ a: [2], b: 1 }); // true
 */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
