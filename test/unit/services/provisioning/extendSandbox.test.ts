import { describe, expect, it } from 'vitest';
import { extendSandbox } from '../../../../services/provisioning/extendSandbox.js';
import { requestTeardown } from '../../../../services/provisioning/requestTeardown.js';
import type { SandboxRecord } from '../../../../services/sandbox/SandboxRecord.js';
import { recordKeys } from '../../../../shared/records/recordKeys.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
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
    'sandbox-expires-at': '2026-03-01T14:00:00.000Z',
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op-1',
    'cleanup-exempt-until': '2026-04-01T00:00:00Z',
  },
};

describe('extendSandbox', () => {
  const allowed = [
    { description: 'the owner', caller: callerFactory() },
    {
      description: 'the owner in another case',
      caller: callerFactory({ name: 'ANA@contoso.com' }),
    },
    {
      description: 'the owner by object id, on a sandbox made under a token',
      caller: callerFactory({ id: 'ANA@contoso.com', name: 'ana-renamed@contoso.com' }),
    },
    { description: 'an admin', caller: adminFactory({ name: 'x' }) },
    {
      description: 'an admin by the role in another case',
      caller: callerFactory({ id: 'oid-x', name: 'x', roles: ['sandbox.admin'] }),
    },
  ];
  it.each(allowed)(
    'lets $description set the lease from now, keeping other tags',
    async ({ caller }) => {
      // Prepare
      const { deps, groups } = provisioningDepsFactory();
      groups.seed(sandbox);

      // Act
      const view = await extendSandbox(deps, { name: 'ana-1', caller, body: { ttlHours: 48 } });

      // Assess
      expect(view.expiresAt).toBe('2026-03-03T12:00:00.000Z');
      expect(view.tags['sandbox-expires-at']).toBe('2026-03-03T12:00:00.000Z');
      expect(groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags).toEqual({
        ...sandbox.tags,
        'sandbox-expires-at': '2026-03-03T12:00:00.000Z',
      });
    },
  );

  it('keeps a tag someone else wrote while the lease was being extended', async () => {
    // Prepare: another tool tags the group between extend's read and its write.
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(sandbox);
    const concurrent: typeof groups = Object.create(groups);
    concurrent.mergeTags = async (sub, name, tags) => {
      const now = await groups.get(sub, name);
      await groups.setTags(sub, name, { ...now?.tags, 'cost-center': '42' });
      return groups.mergeTags(sub, name, tags);
    };
    deps.groups = concurrent;
    const caller = callerFactory({ name: 'ana@contoso.com' });

    // Act
    await extendSandbox(deps, { name: 'ana-1', caller, body: { ttlHours: 48 } });

    // Assess
    expect(groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags).toMatchObject({
      'cost-center': '42',
      'sandbox-expires-at': '2026-03-03T12:00:00.000Z',
    });
  });

  const refused = [
    {
      description: 'another user',
      caller: callerFactory({ id: 'oid-bob', name: 'bob@contoso.com' }),
      body: { ttlHours: 4 },
      error: 'NotSandboxOwnerError',
    },
    {
      description: 'a user naming another owner',
      caller: callerFactory({ id: 'oid-bob', name: 'bob@contoso.com' }),
      body: { ttlHours: 4, owner: 'ana@contoso.com' },
      error: 'ForbiddenError',
    },
    {
      description: 'a lease over the maximum',
      caller: callerFactory(),
      body: { ttlHours: 169 },
      error: 'PolicyViolationError',
    },
    {
      description: 'a body without ttlHours',
      caller: callerFactory(),
      body: {},
      error: 'ValidationError',
    },
  ];
  it.each(refused)('refuses $description with $error', async ({ caller, body, error }) => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(sandbox);

    // Act
    const act = extendSandbox(deps, { name: 'ana-1', caller, body });

    // Assess
    await expect(act).rejects.toMatchObject({ name: error });
    expect(groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags).toEqual(sandbox.tags);
  });

  it('answers not found for a group this app does not manage', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed({ name: 'prod-db' });

    // Act
    const act = extendSandbox(deps, {
      name: 'prod-db',
      caller: callerFactory(),
      body: { ttlHours: 4 },
    });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SandboxNotFoundError' });
  });

  it('refuses to extend what a failed provisioning left for inspection', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed({ ...sandbox, tags: { ...sandbox.tags, 'sandbox-state': 'failed' } });

    // Act
    const act = extendSandbox(deps, {
      name: 'ana-1',
      caller: callerFactory(),
      body: { ttlHours: 48 },
    });

    // Assess
    await expect(act).rejects.toMatchObject({
      status: 409,
      code: 'SandboxFailed',
      message:
        "Sandbox 'ana-1' failed to provision and is kept for inspection until 2026-03-01T14:00:00.000Z; its lease cannot be extended. Delete it, or request a new sandbox.",
    });
    expect(groups.calls.filter((c) => c.method === 'mergeTags')).toEqual([]);
  });

  // Issue 16, defect 2: extending a sandbox being deleted answered 503, then 404 on retry.
  describe('a sandbox being deleted: 409, and the lease left alone', () => {
    it('whose group ARM is deleting', async () => {
      // Prepare
      const { deps, groups } = provisioningDepsFactory();
      groups.seed({ ...sandbox, provisioningState: 'Deleting' });

      // Act
      const act = extendSandbox(deps, {
        name: 'ana-1',
        caller: callerFactory(),
        body: { ttlHours: 48 },
      });

      // Assess
      await expect(act).rejects.toMatchObject({
        status: 409,
        code: 'SandboxBeingDeleted',
        message: "Sandbox 'ana-1' is being deleted.",
      });
      expect(groups.calls.filter((c) => c.method === 'mergeTags')).toEqual([]);
    });

    it('whose teardown is queued, naming the teardown', async () => {
      // Prepare
      const { deps, groups } = provisioningDepsFactory();
      groups.seed(sandbox);
      const teardown = await requestTeardown(deps, { name: 'ana-1', caller: callerFactory() });

      // Act
      const act = extendSandbox(deps, {
        name: 'ana-1',
        caller: callerFactory(),
        body: { ttlHours: 48 },
      });

      // Assess
      await expect(act).rejects.toMatchObject({
        status: 409,
        code: 'SandboxBeingDeleted',
        message: `Sandbox 'ana-1' is being deleted (operation ${teardown.id}).`,
        extensions: { operationId: teardown.id },
      });
      expect(groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags).toEqual(sandbox.tags);
    });

    it('whose delete began between the read and the write', async () => {
      // Prepare
      const { deps, groups } = provisioningDepsFactory();
      groups.seed(sandbox);
      groups.failNext(
        'mergeTags',
        armError(
          409,
          'ResourceGroupBeingDeleted',
          "The resource group 'ana-1' is in deprovisioning state and cannot perform this operation.",
        ),
      );

      // Act
      const act = extendSandbox(deps, {
        name: 'ana-1',
        caller: callerFactory(),
        body: { ttlHours: 48 },
      });

      // Assess
      await expect(act).rejects.toMatchObject({ status: 409, code: 'SandboxBeingDeleted' });
    });
  });

  it("updates the sandbox record's lease, so Azure's event of this write is no change made out of band", async () => {
    // Prepare
    const { deps, groups, records } = provisioningDepsFactory();
    groups.seed(sandbox);
    const key = recordKeys.sandbox(TEST_SUBSCRIPTION, 'ana-1', '2026-03-01T10:00:00.000Z');
    const record: SandboxRecord = {
      subscriptionId: TEST_SUBSCRIPTION,
      name: 'ana-1',
      origin: 'provisioned',
      operationId: 'op-1',
      owner: 'ana@contoso.com',
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-03-01T14:00:00.000Z',
      status: 'active',
      updatedAt: '2026-03-01T10:00:00.000Z',
    };
    await records.create(key, record);

    // Act
    const view = await extendSandbox(deps, {
      name: 'ana-1',
      caller: callerFactory(),
      body: { ttlHours: 24 },
    });

    // Assess
    expect((await records.get<SandboxRecord>(key))?.value).toEqual({
      ...record,
      expiresAt: view.expiresAt,
      updatedAt: '2026-03-01T12:00:00.000Z',
    });
  });
});
