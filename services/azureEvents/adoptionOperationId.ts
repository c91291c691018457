import { createHash } from 'node:crypto';

/**
 * The id of the operation that adopts a group: a UUID-shaped (version 8, RFC 9562) hash of the
 * group and when it was created, so every copy of the event that reports its creation adopts it
 * under the same id, and a later group of the same name gets another.
 *
 * @example
 * adoptionOperationId('sub-1', 'rg-ana', '2026-01-01T10:00:00.000Z'); // '…-…-8…'
 */
export function adoptionOperationId(
  subscriptionId: string,
  name: string,
  createdAt: string,
): string {
  const hex = createHash('sha256')
    .update(['adoption', subscriptionId.toLowerCase(), name.toLowerCase(), createdAt].join('\n'))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
