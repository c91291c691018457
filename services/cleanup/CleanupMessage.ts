import { z } from 'zod';
import { InvalidCleanupMessageError } from './errors.js';

/**
 * Plan a queued run (`planCleanupRun`), or put an applying run's next items on the queue; `wave`
 * marks a message sent for the next wave (`CleanupDispatch`).
 */
export interface PlanCleanupMessage {
  kind: 'plan';
  runId: string;
  wave?: string;
}

/** Carry out one planned item (`applyCleanupItem`). The decision itself is read from the plan. */
export interface ApplyCleanupItemMessage {
  kind: 'item';
  runId: string;
  subscriptionId: string;
  group: string;
}

/** A message on `cleanup-requests`. */
export type CleanupMessage = PlanCleanupMessage | ApplyCleanupItemMessage;

const schema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('plan'),
    runId: z.string().min(1),
    wave: z.string().min(1).optional(),
  }),
  z.object({
    kind: z.literal('item'),
    runId: z.string().min(1),
    subscriptionId: z.string().min(1),
    group: z.string().min(1),
  }),
]);

/**
 * Validates a `cleanup-requests` message (already JSON-decoded by the trigger). Throws a permanent
 * `InvalidCleanupMessageError` naming the bad field.
 *
 * @example
 * parseCleanupMessage({ kind: 'plan', runId: '20260101T000000Z-ab12cd' }); // typed message
 */
export function parseCleanupMessage(value: unknown): CleanupMessage {
  const input = typeof value === 'string' ? safeJson(value) : value;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidCleanupMessageError(
      `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The run a message is about, for the queue adapter's correlation.
 *
 * @example
 * correlateCleanupMessage({ kind: 'plan', runId: '2026…' }); // { runId: '2026…' }
 */
export function correlateCleanupMessage(message: unknown): { runId?: string } {
  const runId = (message as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' ? { runId } : {};
}
