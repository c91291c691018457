/**
 * The one event format of the app. Every feature emits `AppEvent`s; the notification workers turn
 * each into a CloudEvents 1.0 message (or a Teams card, or a Slack message) per receiver.
 *
 * An event's `id` is derived from what it is about, never random: the same event emitted twice
 * (a retried step, a redelivered message) has the same id, so receivers can drop duplicates.
 */
import { createHash } from 'node:crypto';

/** Every event the app emits. */
export const APP_EVENT_TYPES = [
  'sandbox.provisioned',
  'sandbox.provisioning-failed',
  'sandbox.expiring',
  'sandbox.extended',
  'sandbox.deleted',
  'sandbox.adopted',
  'cleanup.run.blocked',
  'cleanup.run.completed',
  'power.run.completed',
  'vm.deallocated',
  'vm.started',
] as const;

export type AppEventType = (typeof APP_EVENT_TYPES)[number];

export interface AppEvent {
  /** Stable: a UUID-shaped hash of the type, the subject and what makes this one distinct. */
  id: string;
  type: AppEventType;
  /** The sandbox's name, or the run's id for run events. */
  subject: string;
  /** When it happened, ISO 8601 UTC. */
  time: string;
  /** The subscription the subject lives in, for sandbox events (owner webhooks are kept by it). */
  subscriptionId?: string;
  data: Record<string, unknown>;
}

/**
 * An event whose id is stable for `(type, subject, key)`.
 *
 * @example
 * appEvent('sandbox.deleted', 'ana-1', { key: operationId, time, data: { by: 'owner' } }).id;
 * // the same for every call with these type, subject and key
 */
export function appEvent(
  type: AppEventType,
  subject: string,
  options: { key: string; time: string; subscriptionId?: string; data: Record<string, unknown> },
): AppEvent {
  return {
    id: stableEventId(type, subject, options.key),
    type,
    subject,
    time: options.time,
    ...(options.subscriptionId ? { subscriptionId: options.subscriptionId } : {}),
    data: options.data,
  };
}

/**
 * A UUID-shaped (version 8, RFC 9562) id from the SHA-256 of its parts.
 *
 * @example
 * stableEventId('cleanup.run.completed', '20260101T000000Z-ab12cd', '20260101T000000Z-ab12cd');
 */
export function stableEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
