import { z } from 'zod';

/**
 * A message on `provision-requests`: just the operation to carry out. Everything else is read from
 * the operation record, so a re-delivered or stale message can never carry outdated intent.
 */
export const provisionMessageSchema = z
  .object({ operationId: z.uuid(), kind: z.enum(['provision', 'teardown']) })
  .strict();

export type ProvisionMessage = z.output<typeof provisionMessageSchema>;

/**
 * The operation a message is about, for the queue adapter's correlation.
 *
 * @example
 * correlateProvisionMessage({ operationId: '3f0c…', kind: 'provision' }); // { operationId: '3f0c…' }
 */
export function correlateProvisionMessage(message: unknown): { operationId?: string } {
  const operationId = (message as { operationId?: unknown } | null)?.operationId;
  return typeof operationId === 'string' ? { operationId } : {};
}
