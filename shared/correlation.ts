/**
 * The ids that tie work together across calls: the operation (or cleanup run) being carried out
 * and the Functions invocation carrying it out. Kept in `AsyncLocalStorage` so that code deep in
 * an SDK pipeline (the ARM `x-ms-client-request-id` policy) can read them without threading them
 * through every signature.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Correlation {
  /** The sandbox operation being carried out. */
  operationId?: string;
  /** The cleanup (or other scheduled) run being carried out. */
  runId?: string;
  /** The Functions invocation id. */
  invocationId?: string;
}

const storage = new AsyncLocalStorage<Correlation>();

/**
 * Runs `fn` with `correlation` as the current ids (merged over the outer ones).
 *
 * @example
 * await runWithCorrelation({ operationId, invocationId: context.invocationId }, () => worker(message));
 */
export function runWithCorrelation<T>(correlation: Correlation, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...stripUndefined(correlation) }, fn);
}

/**
 * The ids of the work in progress, or `{}` outside `runWithCorrelation`.
 *
 * @example
 * currentCorrelation().operationId;
 */
export function currentCorrelation(): Correlation {
  return storage.getStore() ?? {};
}

function stripUndefined(c: Correlation): Correlation {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)) as Correlation;
}
