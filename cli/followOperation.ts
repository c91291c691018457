import { type ApiClient, ProblemError, retryAfterMs } from '../web/src/api.js';
import type { Operation } from '../web/src/apiTypes.js';
import type { CliIo } from './CommandContext.js';
import { operationProgress } from './describe.js';
import { follow } from './follow.js';
import type { Output } from './Output.js';

/** A look that failed for a passing reason: no answer, throttling, a 5xx. Tried again. */
export const isPassingProblem = (error: unknown) =>
  error instanceof ProblemError &&
  (error.problem.status === 0 || error.problem.status === 429 || error.problem.status >= 500);

/**
 * Follows an operation to its end as the API asks (`Retry-After`), showing its progress on
 * stderr; answers its last state.
 *
 * @example
 * const operation = await followOperation(api, id, run.out, run.io, timeoutMs);
 */
export function followOperation(
  api: ApiClient,
  id: string,
  out: Output,
  io: CliIo,
  timeoutMs?: number,
): Promise<Operation> {
  return follow<Operation>({
    poll: async () => {
      const { body, headers } = await api.operation(id);
      return { value: body, retryAfterMs: retryAfterMs(headers, 2_000) };
    },
    isDone: (operation) => operation.status === 'succeeded' || operation.status === 'failed',
    onUpdate: (operation) => out.progress(operationProgress(operation)),
    defaultIntervalMs: 2_000,
    retryable: isPassingProblem,
    retryDelayMs: 5_000,
    signal: io.interrupted,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}
