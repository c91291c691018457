import { createHash } from 'node:crypto';

/**
 * A name-based GUID (RFC 4122 version 5 layout over SHA-1): the same parts always give the same
 * GUID, so ids the emulator derives (seeded role assignments, directory objects) survive restarts.
 *
 * @example
 * deterministicGuid('user', 'alice@sandbox.test'); // always the same GUID
 */
export function deterministicGuid(...parts: string[]): string {
  const bytes = createHash('sha1').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
