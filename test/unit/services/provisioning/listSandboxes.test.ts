import { describe, expect, it } from 'vitest';
import { getSandbox } from '../../../../services/provisioning/getSandbox.js';
import { listSandboxes } from '../../../../services/provisioning/listSandboxes.js';
import { adminFactory, callerFactory, TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const managed = (name: string, owner: string, app = TEST_APP_NAME) => ({
  name,
  location: 'westeurope',
  tags: {
    'managed-by': app,
    'sandbox-owner': owner,
    'sandbox-expires-at': '2026-03-02T00:00:00.000Z',
    'sandbox-blueprint': 'storage',
    'sandbox-operation-id': `op-${name}`,
  },
});

describe('listSandboxes', () => {
  const ana = callerFactory({ id: 'oid-ana', name: 'ana' });
  it.each([
    {
      description: 'lists every managed sandbox to an admin',
      caller: adminFactory(),
      owner: undefined,
      names: ['a', 'b', 'c'],
    },
    {
      description: 'filters by owner case-insensitively for an admin',
      caller: adminFactory(),
      owner: 'ANA',
      names: ['a', 'c'],
    },
    { description: 'lists a user their own', caller: ana, owner: undefined, names: ['a', 'c'] },
    { description: 'lets a user name themselves', caller: ana, owner: 'ana', names: ['a', 'c'] },
  ])('$description', async ({ caller, owner, names }) => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(
      managed('c', 'ana'),
      managed('a', 'ana'),
      managed('b', 'bob'),
      managed('x', 'ana', 'other-app'),
      { name: 'plain' },
    );

    // Act
    const sandboxes = await listSandboxes(deps, caller, owner === undefined ? {} : { owner });

    // Assess
    expect(sandboxes.map((s) => s.name)).toEqual(names);
  });

  it('refuses a user naming another owner with 403', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();

    // Act
    const act = listSandboxes(deps, callerFactory(), { owner: 'bob' });

    // Assess
    await expect(act).rejects.toMatchObject({ status: 403 });
  });
});

describe('getSandbox', () => {
  it('reads owner, expiry, blueprint and state from the tags', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(managed('a', 'ana'));

    // Act
    const sandbox = await getSandbox(deps, adminFactory(), 'a');

    // Assess
    expect(sandbox).toEqual({
      name: 'a',
      resourceGroupId: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/a',
      location: 'westeurope',
      state: 'Succeeded',
      owner: 'ana',
      expiresAt: '2026-03-02T00:00:00.000Z',
      blueprint: 'storage',
      operationId: 'op-a',
      tags: managed('a', 'ana').tags,
    });
  });

  it.each([
    { description: 'an unmanaged group', name: 'plain' },
    { description: 'a missing group', name: 'nope' },
    { description: 'a name ARM could not have', name: 'a/b' },
  ])('answers not found for $description', async ({ name }) => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed({ name: 'plain' });

    // Act
    const act = getSandbox(deps, adminFactory(), name);

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'SandboxNotFoundError' });
  });

  it("refuses another user's sandbox with 403", async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(managed('a', 'oid-ana'));

    // Act
    const act = getSandbox(deps, callerFactory({ id: 'oid-bob', name: 'bob' }), 'a');

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'NotSandboxOwnerError', status: 403 });
  });
});
