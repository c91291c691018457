import { describe, expect, it } from 'vitest';
import { requestTeardown } from '../../../../services/provisioning/requestTeardown.js';
import { adminFactory, callerFactory, TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const sandbox = {
  name: 'ana-1',
  tags: {
    'managed-by': TEST_APP_NAME,
    'sandbox-owner': 'ana@contoso.com',
    'sandbox-expires-at': '2026-03-02T00:00:00.000Z',
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op-1',
  },
};

describe('requestTeardown', () => {
  it.each([
    { description: 'the owner', caller: callerFactory(), owner: undefined },
    {
      description: 'a pipeline signed in as an admin, naming the owner',
      caller: adminFactory({ kind: 'application', name: 'pipeline' }),
      owner: 'ana@contoso.com',
    },
    { description: 'an admin', caller: adminFactory({ name: 'boss' }), owner: undefined },
  ])('queues a teardown operation for $description', async ({ caller, owner }) => {
    // Prepare
    const { deps, groups, queue } = provisioningDepsFactory();
    groups.seed(sandbox);

    // Act
    const operation = await requestTeardown(deps, {
      name: 'ana-1',
      caller,
      ...(owner ? { owner } : {}),
    });

    // Assess
    expect(operation).toMatchObject({
      kind: 'teardown',
      status: 'queued',
      sandbox: 'ana-1',
      owner: 'ana@contoso.com',
    });
    expect(queue.peek()).toEqual([{ operationId: operation.id, kind: 'teardown' }]);
    expect(groups.names()).toEqual(['ana-1']);
  });

  it.each([
    {
      description: 'another user',
      caller: callerFactory({ id: 'oid-bob', name: 'bob' }),
      owner: undefined,
      error: 'NotSandboxOwnerError',
    },
    {
      description: 'a user naming another owner',
      caller: callerFactory({ id: 'oid-bob', name: 'bob' }),
      owner: 'ana@contoso.com',
      error: 'ForbiddenError',
    },
  ])('refuses $description with $error and queues nothing', async ({ caller, owner, error }) => {
    // Prepare
    const { deps, groups, queue, records } = provisioningDepsFactory();
    groups.seed(sandbox);

    // Act
    const act = requestTeardown(deps, { name: 'ana-1', caller, ...(owner ? { owner } : {}) });

    // Assess
    await expect(act).rejects.toMatchObject({ name: error });
    expect(queue.sent).toEqual([]);
    expect(records.keys()).toEqual([]);
  });
});
