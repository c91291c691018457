import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { ApiError } from '../../../../shared/apiErrors.js';
import { readAuditKeys } from '../../../../shared/audit/readAuditDay.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import {
  adminFactory,
  callerFactory,
  sandboxBodyFactory,
  TEST_APP_NAME,
  TEST_SUBSCRIPTION,
} from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

/** The id the deps' generator gives the first operation. */
const ID_1 = '00000000-0000-4000-8000-000000000001';

const managedGroup = (name: string, owner: string) => ({
  name,
  tags: {
    'managed-by': TEST_APP_NAME,
    'sandbox-owner': owner,
    'sandbox-expires-at': '2030-01-01T00:00:00.000Z',
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op',
  },
});

describe('requestSandbox', () => {
  it('records a queued operation, queues it, reserves the name and audits the request', async () => {
    // Prepare
    const { deps, records, queue } = provisioningDepsFactory();

    // Act
    const { operation, replayed } = await requestSandbox(deps, {
      body: sandboxBodyFactory({ ttlHours: 8, tags: { team: 'data' } }),
      caller: callerFactory(),
    });

    // Assess
    expect(replayed).toBe(false);
    expect(operation).toMatchObject({
      kind: 'provision',
      status: 'queued',
      sandbox: 'ana-sandbox-1',
      owner: 'oid-ana',
      requestedBy: 'ana@contoso.com',
      requestedById: 'oid-ana',
      expiresAt: '2026-03-01T20:00:00.000Z',
      request: { location: 'westeurope', ttlHours: 8, tags: { team: 'data' } },
    });
    expect(queue.peek()).toEqual([{ operationId: operation.id, kind: 'provision' }]);
    expect(records.keys()).toEqual([
      'audit/2026-03-01/1200.jsonl',
      `history/${operation.subscriptionId}/ana-sandbox-1.jsonl`,
      `notifications/owners/${operation.subscriptionId}/ana-sandbox-1.json`,
      `operations/${operation.id}.json`,
      'sandboxes/ana-sandbox-1.json',
    ]);
    expect(
      await readAuditKeys(records, [`history/${operation.subscriptionId}/ana-sandbox-1.jsonl`]),
    ).toMatchObject([{ action: 'sandbox.requested', operationId: operation.id }]);
  });

  it('takes the owner from the body when a pipeline signed in as an admin names one', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();

    // Act
    const { operation } = await requestSandbox(deps, {
      body: sandboxBodyFactory({ owner: 'oid-dev' }),
      caller: adminFactory({ kind: 'application', id: 'oid-pipeline', name: 'pipeline' }),
    });

    // Assess
    expect(operation).toMatchObject({ owner: 'oid-dev', requestedBy: 'pipeline' });
  });

  it('answers a retry with the same Idempotency-Key and body with the same operation', async () => {
    // Prepare
    const { deps, queue } = provisioningDepsFactory();
    const input = { body: sandboxBodyFactory(), caller: callerFactory(), idempotencyKey: 'k-1' };
    const first = await requestSandbox(deps, input);
    queue.drain();

    // Act
    const second = await requestSandbox(deps, { ...input, body: { ...sandboxBodyFactory() } });

    // Assess
    expect(second).toMatchObject({ replayed: true, operation: { id: first.operation.id } });
    // Still queued, so the retry queues it again in case the first message never went out.
    expect(queue.peek()).toEqual([{ operationId: first.operation.id, kind: 'provision' }]);
  });

  it('rejects the same Idempotency-Key with a different body', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();
    await requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
      idempotencyKey: 'k-1',
    });

    // Act
    const act = requestSandbox(deps, {
      body: sandboxBodyFactory({ ttlHours: 2 }),
      caller: callerFactory(),
      idempotencyKey: 'k-1',
    });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'IdempotencyKeyReuseError',
      code: 'IdempotencyKeyReuse',
    });
  });

  it('refuses a name whose group exists', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed({ name: 'ANA-SANDBOX-1' });

    // Act
    const act = requestSandbox(deps, { body: sandboxBodyFactory(), caller: callerFactory() });

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'SandboxExistsError',
      sandbox: 'ana-sandbox-1',
    });
  });

  it('refuses a name another queued operation holds', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();
    await requestSandbox(deps, { body: sandboxBodyFactory(), caller: callerFactory() });

    // Act
    const act = requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory({ name: 'bob@contoso.com' }),
    });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SandboxExistsError' });
  });

  it('refuses an owner at quota, naming the rule', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory({ policy: { maxSandboxesPerOwner: 2 } });
    groups.seed(
      managedGroup('a', 'ANA@contoso.com'),
      managedGroup('b', 'oid-ana'),
      managedGroup('c', 'bob'),
    );

    // Act
    const act = requestSandbox(deps, { body: sandboxBodyFactory(), caller: callerFactory() });

    // Assess
    await expect(act).rejects.toMatchObject({ violations: [{ rule: 'owner-quota' }] });
  });

  it('does not count against the quota what failed provisionings left for inspection', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory({ policy: { maxSandboxesPerOwner: 2 } });
    const failed = (name: string) => {
      const group = managedGroup(name, 'oid-ana');
      return { ...group, tags: { ...group.tags, 'sandbox-state': 'failed' } };
    };
    groups.seed(managedGroup('a', 'oid-ana'), failed('b'), failed('c'));

    // Act
    const { operation } = await requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });

    // Assess
    expect(operation.status).toBe('queued');
  });

  it('refuses a request to set the sandbox-state tag itself', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();

    // Act
    const act = requestSandbox(deps, {
      body: sandboxBodyFactory({ tags: { 'Sandbox-State': 'failed' } }),
      caller: callerFactory(),
    });

    // Assess
    await expect(act).rejects.toMatchObject({ status: 422 });
  });

  it('refuses to act for another owner unless admin', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();

    // Act
    const act = requestSandbox(deps, {
      body: sandboxBodyFactory({ owner: 'bob@contoso.com' }),
      caller: callerFactory(),
    });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'ForbiddenError', status: 403 });
  });

  it('lets an admin request for another owner', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();

    // Act
    const { operation } = await requestSandbox(deps, {
      body: sandboxBodyFactory({ owner: 'bob@contoso.com' }),
      caller: adminFactory(),
    });

    // Assess
    expect(operation).toMatchObject({ owner: 'bob@contoso.com', requestedBy: 'ops@contoso.com' });
  });

  it('marks the operation failed when it cannot be queued, and a retry with the key starts afresh', async () => {
    // Prepare
    const { deps, queue, records } = provisioningDepsFactory();
    const input = { body: sandboxBodyFactory(), caller: callerFactory(), idempotencyKey: 'k-2' };
    queue.beforeSend = () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };

    // Act
    const failure = await requestSandbox(deps, input).catch((e: unknown) => e);
    queue.beforeSend = undefined;
    const retry = await requestSandbox(deps, input);

    // Assess
    expect(failure).toMatchObject({ name: 'EnqueueFailedError', kind: 'transient' });
    const stranded = await records.get<{ status: string; error: { code: string } }>(
      `operations/${(failure as { operationId: string }).operationId}.json`,
    );
    expect(stranded?.value).toMatchObject({ status: 'failed', error: { code: 'EnqueueFailed' } });
    expect(retry.replayed).toBe(false);
    expect(retry.operation.id).not.toBe((failure as { operationId: string }).operationId);
    expect(queue.peek()).toEqual([{ operationId: retry.operation.id, kind: 'provision' }]);
  });

  it('finishes an earlier request that stopped after binding its key', async () => {
    // Prepare: a crash between the binding and the operation record.
    const { deps, records, queue } = provisioningDepsFactory();
    const input = { body: sandboxBodyFactory(), caller: callerFactory(), idempotencyKey: 'k-3' };
    records.beforeWrite = (key) => {
      if (key.startsWith('sandboxes/')) throw new Error('process died');
    };
    await requestSandbox(deps, input).catch(() => undefined);
    records.beforeWrite = undefined;

    // Act
    const { operation } = await requestSandbox(deps, input);

    // Assess
    expect(operation.id).toBe('00000000-0000-4000-8000-000000000001');
    expect(queue.peek()).toEqual([{ operationId: operation.id, kind: 'provision' }]);
  });

  it('writes the owner’s webhook when a retry with the key finds the operation it left queued', async () => {
    // Prepare: an earlier sandbox of the name left its webhook; this request's webhook write fails.
    const { deps, records, queue } = provisioningDepsFactory();
    const webhookKey = recordKeys.notifications.ownerWebhook(TEST_SUBSCRIPTION, 'ana-sandbox-1');
    await records.put(webhookKey, { operationId: 'earlier', url: 'https://old.example.com/hook' });
    const input = {
      body: sandboxBodyFactory({ webhook: 'https://hooks.example.com/ana' }),
      caller: callerFactory(),
      idempotencyKey: 'k-4',
    };
    records.beforeWrite = (key, kind) => {
      if (key === webhookKey && kind === 'put') throw armError(503, 'ServerBusy', 'busy');
    };
    const failure = await requestSandbox(deps, input).catch((e: unknown) => e);
    records.beforeWrite = undefined;
    const left = (await records.get<{ status: string }>(`operations/${ID_1}.json`))?.value;

    // Act
    const retry = await requestSandbox(deps, input);

    // Assess: the first try wrote the operation but neither the webhook nor the message...
    expect(failure).toMatchObject({ message: 'busy' });
    expect(left).toMatchObject({ status: 'queued' });
    // ...which the retry wrote, the webhook first.
    expect(retry).toMatchObject({ replayed: true, operation: { id: ID_1 } });
    expect((await records.get(webhookKey))?.value).toEqual({
      operationId: ID_1,
      url: 'https://hooks.example.com/ana',
      format: 'cloudevents',
    });
    expect(queue.peek()).toEqual([{ operationId: ID_1, kind: 'provision' }]);
  });

  const invalid = [
    { description: 'a body that is not an object', body: 'hello', rule: 'body' },
    {
      description: 'a missing name',
      body: { location: 'westeurope', blueprint: 'empty' },
      rule: 'name',
    },
    { description: 'an unknown field', body: sandboxBodyFactory({ size: 'xl' }), rule: 'size' },
    {
      description: 'an unknown blueprint',
      body: sandboxBodyFactory({ blueprint: 'k8s' }),
      rule: 'blueprint',
    },
    { description: 'a string TTL', body: sandboxBodyFactory({ ttlHours: '8' }), rule: 'ttlHours' },
    {
      description: 'a location not allowed',
      body: sandboxBodyFactory({ location: 'mars' }),
      rule: 'location-allowed',
    },
    {
      description: 'a TTL over the maximum',
      body: sandboxBodyFactory({ ttlHours: 1000 }),
      rule: 'ttl-max',
    },
    {
      description: 'a VM without an SSH key',
      body: sandboxBodyFactory({ blueprint: 'vm' }),
      rule: 'parameters.sshPublicKey',
    },
    {
      description: 'a reserved tag',
      body: sandboxBodyFactory({ tags: { 'managed-by': 'x' } }),
      rule: 'tag-reserved',
    },
  ];
  it.each(invalid)(
    'rejects $description, naming $rule, with no side effect',
    async ({ body, rule }) => {
      // Prepare
      const { deps, records, queue, groups } = provisioningDepsFactory();

      // Act
      const act = requestSandbox(deps, { body, caller: callerFactory() });

      // Assess
      await expect(act).rejects.toMatchObject({
        violations: expect.arrayContaining([expect.objectContaining({ rule })]),
      });
      expect(records.keys()).toEqual([]);
      expect(queue.sent).toEqual([]);
      expect(groups.names()).toEqual([]);
    },
  );

  it('answers random and malformed bodies with a typed client error and no side effect (property)', async () => {
    // Prepare
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.object(),
      fc.array(fc.anything()),
    );
    const nearlyValid = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 100 }), field),
        owner: fc.oneof(fc.string(), field),
        location: fc.oneof(fc.constantFrom('westeurope', 'eastus', 'mars', ''), field),
        ttlHours: fc.oneof(fc.double(), fc.integer({ min: -10, max: 10_000 }), field),
        blueprint: fc.oneof(
          fc.constantFrom('empty', 'storage', 'vm', 'webapp', 'mysql', 'nope'),
          field,
        ),
        parameters: fc.oneof(fc.dictionary(fc.string(), fc.anything()), field),
        tags: fc.oneof(
          fc.dictionary(fc.string({ maxLength: 600 }), fc.string({ maxLength: 300 })),
          field,
        ),
      },
      { requiredKeys: [] },
    );
    const junk = fc.oneof(fc.anything(), nearlyValid);
    const rejectedOrAccepted = async (body: unknown) => {
      const { deps, records, queue, groups } = provisioningDepsFactory();
      try {
        await requestSandbox(deps, { body, caller: callerFactory() });
        // Accepted: then it was a valid request, and it was recorded and queued exactly once.
        expect(queue.sent).toHaveLength(1);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).kind).toBe('permanent');
        expect(records.keys()).toEqual([]);
        expect(queue.sent).toEqual([]);
      }
      expect(groups.names()).toEqual([]);
    };

    // Act + Assess
    await fc.assert(fc.asyncProperty(junk, rejectedOrAccepted), { numRuns: 400 });
  });
});
