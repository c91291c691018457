import { describe, expect, it } from 'vitest';
import { getOperation } from '../../../../services/provisioning/getOperation.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import {
  resendStrandedOperation,
  STRANDED_AFTER_MS,
} from '../../../../services/provisioning/resendStrandedOperation.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import type { FakeClock } from '../../../support/fakes/FakeClock.js';
import { callerFactory, sandboxBodyFactory } from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

/** An accepted request whose message was lost, as when the process died before queueing. */
async function strandedRequest() {
  const test = provisioningDepsFactory();
  const { operation } = await requestSandbox(test.deps, {
    body: sandboxBodyFactory(),
    caller: callerFactory(),
  });
  test.queue.drain();
  const sentBefore = test.queue.sent.length;
  return { ...test, operation, resent: () => test.queue.sent.length - sentBefore };
}

const advance = (clock: FakeClock, ms: number) => {
  clock.advance(ms);
};

describe('resendStrandedOperation', () => {
  it.each([
    { description: 'just accepted', waitedMs: 0, resent: 0 },
    { description: 'queued a little under the limit', waitedMs: STRANDED_AFTER_MS - 1, resent: 0 },
    { description: 'queued for the limit', waitedMs: STRANDED_AFTER_MS, resent: 1 },
  ])('sends again an operation $description: $resent', async ({ waitedMs, resent }) => {
    // Prepare
    const { deps, clock, operation, resent: count } = await strandedRequest();
    advance(clock, waitedMs);

    // Act
    await resendStrandedOperation(deps, operation);

    // Assess
    expect(count()).toBe(resent);
  });

  it('writes the owner’s webhook before it sends the message again', async () => {
    // Prepare: the request that accepted it may have written the operation and not the webhook.
    const { deps, clock, operation, records, queue } = await strandedRequest();
    const webhookKey = recordKeys.notifications.ownerWebhook(
      operation.subscriptionId,
      'ana-sandbox-1',
    );
    await records.put(webhookKey, { operationId: 'earlier', url: 'https://old.example.com/hook' });
    let webhookWhenSent: unknown;
    queue.beforeSend = async () => {
      webhookWhenSent = (await records.get(webhookKey))?.value;
    };
    advance(clock, STRANDED_AFTER_MS);

    // Act
    await resendStrandedOperation(deps, operation);

    // Assess
    expect(webhookWhenSent).toEqual({ operationId: operation.id });
  });

  it('sends once per interval however often the operation is polled', async () => {
    // Prepare
    const { deps, clock, operation, resent } = await strandedRequest();
    advance(clock, STRANDED_AFTER_MS);
    const firstResend = clock.now().toISOString();

    // Act
    const first = await getOperation(deps, callerFactory(), operation.id);
    await getOperation(deps, callerFactory(), operation.id);
    advance(clock, STRANDED_AFTER_MS);
    await getOperation(deps, callerFactory(), operation.id);

    // Assess
    expect(resent()).toBe(2);
    expect(first).toMatchObject({ status: 'queued', updatedAt: firstResend });
  });

  it('leaves an operation a worker has taken alone', async () => {
    // Prepare
    const { deps, clock, operation, resent } = await strandedRequest();
    advance(clock, STRANDED_AFTER_MS);
    const running = { ...operation, status: 'running' as const };

    // Act
    await resendStrandedOperation(deps, running);

    // Assess
    expect(resent()).toBe(0);
  });

  it('resumes the stranded holder of a name another request asks for, which still gets 409', async () => {
    // Prepare
    const { deps, clock, resent } = await strandedRequest();
    advance(clock, STRANDED_AFTER_MS);

    // Act
    const again = requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory({ name: 'bob@contoso.com' }),
    });

    // Assess
    await expect(again).rejects.toMatchObject({ name: 'SandboxExistsError' });
    expect(resent()).toBe(1);
  });
});
