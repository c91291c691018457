import { describe, expect, it, vi } from 'vitest';
import type { LroState } from '../../../../shared/lro/runLro.js';
import { type PromisePoller, toLroPoller } from '../../../../shared/lro/toLroPoller.js';

/** A stand-in for core-lro 3's PollerLike: a Promise that settles only when the operation ends. */
function promisePoller(): PromisePoller<string> & Promise<string> & { submittedCalls: number } {
  const never = new Promise<string>(() => {});
  const state: LroState<string> = { status: 'running' };
  return Object.assign(never, {
    submittedCalls: 0,
    async submitted() {
      this.submittedCalls += 1;
    },
    pollUntilDone: vi.fn(async () => 'done'),
    onProgress: vi.fn(() => () => {}),
    get operationState() {
      return state;
    },
    serialize: async () => '{"state":{"status":"running"}}',
  });
}

describe('toLroPoller', () => {
  it('resolves once the request is sent, not when the operation ends', async () => {
    // Prepare
    const poller = promisePoller();

    // Act
    const adapted = await toLroPoller(poller);

    // Assess
    expect(poller.submittedCalls).toBe(1);
    expect(adapted.operationState).toEqual({ status: 'running' });
    expect(await adapted.serialize?.()).toBe('{"state":{"status":"running"}}');
    expect(await adapted.pollUntilDone()).toBe('done');
    expect('then' in adapted).toBe(false);
  });
});
