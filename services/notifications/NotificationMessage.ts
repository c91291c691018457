import { z } from 'zod';
import { APP_EVENT_TYPES, type AppEvent } from './AppEvent.js';
import { InvalidNotificationMessageError } from './errors.js';

/** On `notifications`: an event to send to everyone who should hear of it. */
export interface EventNotificationMessage {
  kind: 'event';
  event: AppEvent;
}

/** On `notification-deliveries`: one event for one receiver, and how many tries it has had. */
export interface DeliveryMessage {
  kind: 'delivery';
  event: AppEvent;
  target: { url: string; format: 'cloudevents' | 'teams' | 'slack' };
  /** 1 for the first try. */
  attempt: number;
}

export type NotificationMessage = EventNotificationMessage;

const eventSchema = z.object({
  id: z.string().min(1),
  type: z.enum(APP_EVENT_TYPES),
  subject: z.string().min(1),
  time: z.string().min(1),
  subscriptionId: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

const eventMessageSchema = z.object({ kind: z.literal('event'), event: eventSchema });
const deliverySchema = z.object({
  kind: z.literal('delivery'),
  event: eventSchema,
  target: z.object({
    url: z.string().min(1),
    format: z.enum(['cloudevents', 'teams', 'slack']),
  }),
  attempt: z.number().int().min(1),
});

/**
 * Validates a `notifications` message; throws a permanent `InvalidNotificationMessageError`.
 *
 * @example
 * parseEventMessage({ kind: 'event', event }).event.type; // 'sandbox.deleted'
 */
export function parseEventMessage(value: unknown): EventNotificationMessage {
  return parseWith(eventMessageSchema, value) as EventNotificationMessage;
}

/**
 * Validates a `notification-deliveries` message; throws a permanent
 * `InvalidNotificationMessageError`.
 *
 * @example
 * parseDeliveryMessage(message).attempt; // 1
 */
export function parseDeliveryMessage(value: unknown): DeliveryMessage {
  return parseWith(deliverySchema, value) as DeliveryMessage;
}

function parseWith(schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidNotificationMessageError(
      `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * The event a message carries, for the queue adapter's correlation.
 *
 * @example
 * correlateNotificationMessage({ kind: 'event', event }); // { operationId: event.id }
 */
export function correlateNotificationMessage(message: unknown): { operationId?: string } {
  const id = (message as { event?: { id?: unknown } } | null)?.event?.id;
  return typeof id === 'string' ? { operationId: id } : {};
}
