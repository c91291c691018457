import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { processOperationMessage } from '../../../../services/provisioning/processOperationMessage.js';
import { requestTeardown } from '../../../../services/provisioning/requestTeardown.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import {
  adminFactory,
  callerFactory,
  TEST_APP_NAME,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
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

  // Issue 16, defect 1: nine DELETEs of a group being torn down made nine operations.
  it('answers nine concurrent requests with one operation and one message', async () => {
    // Prepare
    const { deps, groups, queue } = provisioningDepsFactory();
    groups.seed(sandbox);

    // Act
    const operations = await Promise.all(
      Array.from({ length: 9 }, () =>
        requestTeardown(deps, { name: 'ana-1', caller: callerFactory() }),
      ),
    );

    // Assess
    expect(new Set(operations.map((o) => o.id)).size).toBe(1);
    expect(queue.peek()).toEqual([{ operationId: operations[0]?.id, kind: 'teardown' }]);
  });

  it('answers a repeat while the teardown runs with the same operation, and ARM sees one delete', async () => {
    // Prepare
    const { deps, groups, queue } = provisioningDepsFactory();
    groups.seed(sandbox);
    const first = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });
    groups.setProvisioningState(TEST_SUBSCRIPTION, 'ana-1', 'Deleting');

    // Act
    const repeat = await requestTeardown(deps, { name: 'ana-1', caller: adminFactory() });
    groups.setProvisioningState(TEST_SUBSCRIPTION, 'ana-1', 'Succeeded');
    for (const message of queue.drain()) await processOperationMessage(deps, message);

    // Assess
    expect(repeat.id).toBe(first.id);
    expect(groups.calls.filter((c) => c.method === 'delete')).toHaveLength(1);
    expect(groups.names()).toEqual([]);
  });

  it('starts a new teardown once the last one failed', async () => {
    // Prepare
    const { deps, groups, queue } = provisioningDepsFactory();
    groups.seed({ ...sandbox, locks: [{ name: 'keep', level: 'CanNotDelete' }] });
    const first = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });
    for (const message of queue.drain()) await processOperationMessage(deps, message);

    // Act
    const second = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });

    // Assess
    expect(second.id).not.toBe(first.id);
    expect(queue.peek()).toEqual([{ operationId: second.id, kind: 'teardown' }]);
  });

  it('finishes a teardown whose requester stopped after claiming the sandbox', async () => {
    // Prepare: the claim is written, then the process dies before the operation is.
    const { deps, groups, records, queue, clock } = provisioningDepsFactory();
    groups.seed(sandbox);
    records.beforeWrite = (key) => {
      if (key.startsWith('operations/')) throw new Error('the process died');
    };
    await expect(requestTeardown(deps, { name: 'ana-1', caller: callerFactory() })).rejects.toThrow(
      'the process died',
    );
    records.beforeWrite = undefined;
    const claimed = await records.get<{ operationId: string }>(
      recordKeys.teardown(TEST_SUBSCRIPTION, 'ana-1'),
    );

    // Act
    const repeat = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });
    const sentAtOnce = queue.peek().length;
    clock.advance(3 * 60_000);
    const later = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });

    // Assess: written from the claim at once; its message sent once it counts as stranded.
    expect(repeat.id).toBe(claimed?.value.operationId);
    expect((await records.get<Operation>(recordKeys.operation(repeat.id)))?.value).toMatchObject({
      kind: 'teardown',
      status: 'queued',
    });
    expect(sentAtOnce).toBe(0);
    expect(later.id).toBe(repeat.id);
    expect(queue.peek()).toEqual([{ operationId: repeat.id, kind: 'teardown' }]);
  });

  // Issue 16, defect 2's counterpart for teardown: a group someone else is deleting.
  it('refuses a group that something else is deleting with 409 and writes nothing', async () => {
    // Prepare
    const { deps, groups, queue, records } = provisioningDepsFactory();
    groups.seed({ ...sandbox, provisioningState: 'Deleting' });

    // Act
    const act = requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });

    // Assess
    await expect(act).rejects.toMatchObject({
      status: 409,
      code: 'SandboxBeingDeleted',
      message: "Sandbox 'ana-1' is being deleted.",
    });
    expect(queue.sent).toEqual([]);
    expect(records.keys()).toEqual([]);
  });
});
