import { describe, expect, it } from 'vitest';
import { getOperation } from '../../../../services/provisioning/getOperation.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import {
  adminFactory,
  callerFactory,
  sandboxBodyFactory,
} from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

describe('getOperation', () => {
  it('reads the record, whatever the case of the id', async () => {
    // Prepare
    const { deps } = provisioningDepsFactory();
    const { operation } = await requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });

    // Act
    const read = await getOperation(deps, callerFactory(), operation.id.toUpperCase());

    // Assess
    expect(read.id).toBe(operation.id);
  });

  it.each(['nope', '../operations/x', '00000000-0000-4000-8000-00000000ffff'])(
    'answers not found for %s',
    async (id) => {
      // Prepare
      const { deps } = provisioningDepsFactory();

      // Act
      const act = getOperation(deps, callerFactory(), id);

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'OperationNotFoundError' });
    },
  );

  it.each([
    { description: 'its owner', caller: callerFactory(), allowed: true },
    { description: 'an admin', caller: adminFactory(), allowed: true },
    {
      description: 'another user',
      caller: callerFactory({ id: 'oid-bob', name: 'bob@contoso.com' }),
      allowed: false,
    },
  ])('lets $description read it: $allowed', async ({ caller, allowed }) => {
    // Prepare
    const { deps } = provisioningDepsFactory();
    const { operation } = await requestSandbox(deps, {
      body: sandboxBodyFactory(),
      caller: callerFactory(),
    });

    // Act
    const act = getOperation(deps, caller, operation.id);

    // Assess
    if (allowed) await expect(act).resolves.toMatchObject({ id: operation.id });
    else await expect(act).rejects.toMatchObject({ status: 403 });
  });
});
