import { describe, expect, it } from 'vitest';
import { handleCleanupMessage } from '../../../../services/cleanup/handleCleanupMessage.js';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

async function queuedRun(h: ReturnType<typeof cleanupHarness>) {
  const { runId } = await requestCleanupRun(
    { mode: 'apply', trigger: 'timer', requestedBy: 'schedule', subscriptions: [SUB] },
    h.ports,
  );
  return { runId, message: h.requests.take() };
}

describe('handleCleanupMessage', () => {
  it('ends a run that cannot be planned as failed, with the reason, instead of leaving it queued', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.failNext(
      'list',
      armError(403, 'AuthorizationFailed', 'The identity may not list groups.'),
    );
    const { runId, message } = await queuedRun(h);

    // Act
    const result = await handleCleanupMessage(message, h.policy, h.ports);

    // Assess
    expect(result).toEqual({
      handled: false,
      reason: 'AuthorizationFailed: The identity may not list groups.',
    });
    expect(await h.read.run(runId)).toMatchObject({
      status: 'failed',
      error: 'AuthorizationFailed: The identity may not list groups.',
    });
  });

  it('throws a transient failure so the queue delivers the message again', async () => {
    // Prepare
    const h = cleanupHarness();
    h.groups.failNext('list', armError(503, 'ServiceUnavailable', 'busy'), 4);
    const { runId, message } = await queuedRun(h);

    // Act
    const result = handleCleanupMessage(message, h.policy, h.ports);

    // Assess
    await expect(result).rejects.toThrow('busy');
    expect(await h.read.run(runId)).toMatchObject({ status: 'queued' });
  });

  it.each([
    { description: 'a malformed message', body: { kind: 'nuke' } },
    {
      description: 'an item of a run that does not exist',
      body: { kind: 'item', runId: 'r', subscriptionId: SUB, group: 'g' },
    },
  ])('drops $description without touching anything', async ({ body }) => {
    // Prepare
    const h = cleanupHarness();
    h.groups.seed({ name: 'g', tags: sandboxTags(-1) });

    // Act
    const result = await handleCleanupMessage(body, h.policy, h.ports);

    // Assess
    expect(result.handled).toBe(false);
    expect(h.groups.names()).toEqual(['g']);
  });
});
