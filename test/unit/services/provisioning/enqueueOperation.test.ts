import { describe, expect, it } from 'vitest';
import { enqueueOperation } from '../../../../services/provisioning/enqueueOperation.js';
import type { Operation } from '../../../../services/provisioning/Operation.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const operation = (status: Operation['status']): Operation => ({
  id: '00000000-0000-4000-8000-000000000009',
  kind: 'provision',
  status,
  sandbox: 'a',
  owner: 'ana',
  subscriptionId: 's',
  requestedBy: 'ana',
  steps: [],
  attempts: 0,
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
});
const key = 'operations/00000000-0000-4000-8000-000000000009.json';

describe('enqueueOperation', () => {
  it('sends the operation id and kind', async () => {
    // Prepare
    const { deps, queue, records } = provisioningDepsFactory();
    await records.create(key, operation('queued'));

    // Act
    await enqueueOperation(deps, operation('queued'));

    // Assess
    expect(queue.peek()).toEqual([{ operationId: operation('queued').id, kind: 'provision' }]);
  });

  it('retries a failed send before giving up', async () => {
    // Prepare
    const { deps, queue, records } = provisioningDepsFactory();
    await records.create(key, operation('queued'));
    let failures = 2;
    queue.beforeSend = () => {
      if (failures-- > 0) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    };

    // Act
    await enqueueOperation(deps, operation('queued'));

    // Assess
    expect(queue.sent).toHaveLength(1);
  });

  it.each([
    { status: 'queued', after: 'failed' },
    { status: 'running', after: 'running' },
  ] as const)('on a failed send leaves a $status operation $after', async ({ status, after }) => {
    // Prepare
    const { deps, queue, records } = provisioningDepsFactory();
    await records.create(key, operation(status));
    queue.beforeSend = () => {
      throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    };

    // Act
    const act = enqueueOperation(deps, operation('queued'));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'EnqueueFailedError' });
    expect((await records.get<Operation>(key))?.value.status).toBe(after);
  });
});
