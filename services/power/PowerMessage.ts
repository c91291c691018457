import { z } from 'zod';
import { InvalidPowerMessageError } from './errors.js';

/** Plan a queued run (`planPowerRun`). */
export interface PlanPowerMessage {
  kind: 'plan';
  runId: string;
}

/** Stop or start one planned VM (`applyPowerItem`); what to do is read from the plan. */
export interface ApplyPowerItemMessage {
  kind: 'vm';
  runId: string;
  subscriptionId: string;
  resourceGroup: string;
  vm: string;
}

/** A message on `power-requests`. */
export type PowerMessage = PlanPowerMessage | ApplyPowerItemMessage;

const schema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('plan'), runId: z.string().min(1) }),
  z.object({
    kind: z.literal('vm'),
    runId: z.string().min(1),
    subscriptionId: z.string().min(1),
    resourceGroup: z.string().min(1),
    vm: z.string().min(1),
  }),
]);

/**
 * Validates a `power-requests` message; throws a permanent `InvalidPowerMessageError` naming the
 * bad field.
 *
 * @example
 * parsePowerMessage({ kind: 'plan', runId: '20260101T000000Z-ab12cd' });
 */
export function parsePowerMessage(value: unknown): PowerMessage {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidPowerMessageError(
      `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * The run a message is about, for the queue adapter's correlation.
 *
 * @example
 * correlatePowerMessage({ kind: 'plan', runId: 'r' }); // { runId: 'r' }
 */
export function correlatePowerMessage(message: unknown): { runId?: string } {
  const runId = (message as { runId?: unknown } | null)?.runId;
  return typeof runId === 'string' ? { runId } : {};
}
