import { describe, expect, it } from 'vitest';
import { getOperation } from '../../../../services/provisioning/getOperation.js';
import { requestSandbox } from '../../../../services/provisioning/requestSandbox.js';
import { callerFactory, sandboxBodyFactory } from '../../../support/provision/fixtures.js';
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
    const read = await getOperation(deps, operation.id.toUpperCase());

    // Assess
    expect(read.id).toBe(operation.id);
  });

  it.each(['nope', '../operations/x', '00000000-0000-4000-8000-00000000ffff'])(
    'answers not found for %s',
    async (id) => {
      // Prepare
      const { deps } = provisioningDepsFactory();

      // Act
      const act = getOperation(deps, id);

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'OperationNotFoundError' });
    },
  );
});
