import type { HttpResponseInit } from '@azure/functions';
import type { Operation } from '../../services/provisioning/Operation.js';

/** Seconds a caller should wait before polling an operation. */
export const POLL_AFTER_SECONDS = 2;

/**
 * `202 Accepted` for an operation: its URL in `Location` and the body, and when to poll.
 *
 * @example
 * return acceptedOperation(operation); // 202, location: /api/operations/3f0c…
 */
export function acceptedOperation(
  operation: Pick<Operation, 'id' | 'sandbox' | 'status'>,
  headers: Record<string, string> = {},
): HttpResponseInit {
  const location = `/api/operations/${operation.id}`;
  return {
    status: 202,
    headers: { location, 'retry-after': String(POLL_AFTER_SECONDS), ...headers },
    jsonBody: {
      operationId: operation.id,
      sandbox: operation.sandbox,
      status: operation.status,
      location,
    },
  };
}
