/**
 * Azure Resource Manager's events as Event Grid delivers them to a storage queue: one event per
 * message, in the Event Grid schema (or CloudEvents 1.0, when the event subscription asks for it),
 * as MicrosoftDocs/azure-docs documents them (articles/event-grid/event-schema-subscriptions.md,
 * event-schema-resource-groups.md).
 */
import { z } from 'zod';
import { InvalidAzureEventError } from './errors.js';

/** The kinds of resource event; the app's event subscription asks for the success kinds. */
export const RESOURCE_EVENT_TYPES = {
  writeSuccess: 'Microsoft.Resources.ResourceWriteSuccess',
  deleteSuccess: 'Microsoft.Resources.ResourceDeleteSuccess',
  actionSuccess: 'Microsoft.Resources.ResourceActionSuccess',
} as const;

/** `data` of a resource event: who did what to which resource. */
export interface ResourceEventData {
  /** The caller's token claims as ARM records them (well-known ones under claim type URIs). */
  claims: Record<string, string>;
  authorization?: { scope?: string; action?: string };
  correlationId?: string;
  /** Present for an update, a delete or an action (and, per the documentation, not on a create). */
  httpRequest?: { method?: string; url?: string };
  resourceProvider?: string;
  /** The resource's id, in the caller's casing. */
  resourceUri: string;
  operationName: string;
  /** `Succeeded`, `Failed` or `Canceled`. */
  status?: string;
  subscriptionId?: string;
  tenantId?: string;
}

/** One event, whichever schema it came in. */
export interface AzureResourceEvent {
  id: string;
  /** The system topic's source: `/subscriptions/{id}` for a subscription's events. */
  topic?: string;
  subject: string;
  eventType: string;
  /** ISO 8601, as Event Grid writes it (`2018-07-19T18:38:04.6117357Z`). */
  eventTime: string;
  data: ResourceEventData;
}

const text = z.string().min(1);
const instant = text.refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
const claimsSchema = z
  .record(z.string(), z.unknown())
  .transform((claims) =>
    Object.fromEntries(
      Object.entries(claims).flatMap(([name, value]) =>
        typeof value === 'string' ? [[name, value]] : [],
      ),
    ),
  );
const dataSchema = z.object({
  claims: claimsSchema.optional().transform((c) => c ?? {}),
  authorization: z
    .object({ scope: z.string().optional(), action: z.string().optional() })
    .optional(),
  correlationId: z.string().optional(),
  httpRequest: z.object({ method: z.string().optional(), url: z.string().optional() }).optional(),
  resourceProvider: z.string().optional(),
  resourceUri: text,
  operationName: text,
  status: z.string().optional(),
  subscriptionId: z.string().optional(),
  tenantId: z.string().optional(),
});
const eventGridSchema = z.object({
  id: text,
  topic: z.string().optional(),
  subject: text,
  eventType: text,
  eventTime: instant,
  data: dataSchema,
});
const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: text,
  source: z.string().optional(),
  subject: text,
  type: text,
  time: instant,
  data: dataSchema,
});

/**
 * Validates a message of `azure-events` (the trigger hands over the decoded JSON, or the text when
 * it is not JSON). Throws `InvalidAzureEventError` naming the first problem.
 *
 * @example
 * parseAzureResourceEvent(message).eventType; // 'Microsoft.Resources.ResourceWriteSuccess'
 */
export function parseAzureResourceEvent(message: unknown): AzureResourceEvent {
  const value = typeof message === 'string' ? json(message) : message;
  if (Array.isArray(value)) {
    throw new InvalidAzureEventError('an array; Event Grid writes one event per queue message');
  }
  if (value === null || typeof value !== 'object') {
    throw new InvalidAzureEventError(`expected a JSON object, got ${describe(value)}`);
  }
  if ('specversion' in value) {
    const cloud = cloudEventSchema.safeParse(value);
    if (!cloud.success) throw invalid(cloud.error);
    const { id, source, subject, type, time, data } = cloud.data;
    return {
      id,
      ...(source ? { topic: source } : {}),
      subject,
      eventType: type,
      eventTime: time,
      data: compact(data),
    };
  }
  const parsed = eventGridSchema.safeParse(value);
  if (!parsed.success) throw invalid(parsed.error);
  const { topic, data, ...rest } = parsed.data;
  return { ...rest, ...(topic ? { topic } : {}), data: compact(data) };
}

/**
 * The event a message carries, for the queue adapter's correlation (its id as the operation).
 *
 * @example
 * correlateAzureEvent({ id: '3d06…', … }); // { operationId: '3d06…' }
 */
export function correlateAzureEvent(message: unknown): { operationId?: string } {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 128 ? { operationId: id } : {};
}

function invalid(error: z.ZodError): InvalidAzureEventError {
  const issue = error.issues[0];
  return new InvalidAzureEventError(
    `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
  );
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.trim() === '' ? 'an empty message' : 'text';
  return value === null ? 'null' : typeof value;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
