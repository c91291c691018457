/**
 * Adapts a core-lro 3 `PollerLike` (what `@azure/arm-compute` 24 operations and `restorePoller`
 * return) to the `LroPoller` that `runLro` drives.
 *
 * Those pollers are Promises themselves: returning one from an `async` `begin` would make the
 * `await` wait for the whole operation, and nothing would be saved until it ended. The adapter
 * is a plain object with the same methods, created once the initial request has been sent, so
 * the token `runLro` saves can resume the operation.
 */
import type { LroPoller, LroState } from './runLro.js';

/** The part of core-lro 3's `PollerLike` the adapter uses. */
export interface PromisePoller<TResult> {
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<TResult>;
  onProgress(callback: (state: LroState<TResult>) => void): () => void;
  readonly operationState: LroState<TResult> | undefined;
  serialize(): Promise<string>;
  submitted(): Promise<void>;
}

/**
 * @example
 * begin: async (o) =>
 *   o.resumeFrom
 *     ? toLroPoller(restorePoller(compute, o.resumeFrom, compute.virtualMachines.powerOff, o))
 *     : toLroPoller(compute.virtualMachines.powerOff(group, vm, o)),
 */
export async function toLroPoller<TResult>(
  poller: PromisePoller<TResult>,
): Promise<LroPoller<TResult>> {
  await poller.submitted();
  return {
    pollUntilDone: (options) => poller.pollUntilDone(options),
    onProgress: (callback) => poller.onProgress(callback),
    get operationState() {
      return poller.operationState;
    },
    serialize: () => poller.serialize(),
    toString: () => '[core-lro 3 poller]',
  };
}
