import { describe, expect, it } from 'vitest';
import { getOperationStatus } from '../../../../functions/provision/getOperationStatus.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { WorkerKilledError } from '../../../support/fakes/InMemoryResources.js';
import { callerFactory, sandboxBodyFactory } from '../../../support/provision/fixtures.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const get = (id: string) =>
  httpRequestFactory({ path: `/api/operations/${id}`, params: { id }, headers: signedIn('ana') });

describe('getOperationStatus', () => {
  it('shows a running operation with Retry-After and without poller state', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory({ blueprint: 'storage' }),
      caller: callerFactory(),
    });
    t.resources.crashAfterStart('account');
    await processOperationMessage(t.deps, t.queue.take()).catch((e: unknown) => {
      if (!(e instanceof WorkerKilledError)) throw e;
    });

    // Act
    const response = await invoke(
      httpHandler(getOperationStatus, async () => t.platform),
      get(operation.id),
    );

    // Assess
    expect(response).toMatchObject({
      status: 200,
      headers: { 'retry-after': '2' },
      jsonBody: {
        id: operation.id,
        status: 'running',
        blueprint: 'storage',
        location: 'westeurope',
      },
    });
    const body = JSON.stringify(response.jsonBody);
    expect(body).not.toContain('resumeToken');
    expect(body).not.toContain('lastTransientError');
    expect(body).not.toContain('"request"');
  });

  it('shows a finished operation without Retry-After', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const { operation } = await requestSandbox(t.deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });
    await processOperationMessage(t.deps, t.queue.take());

    // Act
    const response = await invoke(
      httpHandler(getOperationStatus, async () => t.platform),
      get(operation.id),
    );

    // Assess
    expect(response).toMatchObject({ status: 200, headers: {}, jsonBody: { status: 'succeeded' } });
  });

  it.each(['00000000-0000-4000-8000-00000000ffff', 'not-an-id', '..%2F..%2Fsecrets'])(
    'answers 404 problem+json for %s',
    async (id) => {
      // Prepare
      const t = provisioningDepsFactory();

      // Act
      const response = await invoke(
        httpHandler(getOperationStatus, async () => t.platform),
        get(id),
      );

      // Assess
      expect(response).toMatchObject({
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
        jsonBody: { title: 'Operation not found' },
      });
    },
  );
});
