import { describe, expect, it } from 'vitest';
import { deleteSandbox } from '../../../../functions/provision/deleteSandbox.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { callerFactory, TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
import { principalHeader } from '../../../support/provision/principalHeader.js';
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
const del = (name: string, headers: Record<string, string> = {}, query = '') =>
  httpRequestFactory({
    method: 'DELETE',
    path: `/api/sandboxes/${name}${query}`,
    params: { name },
    headers,
  });

describe('deleteSandbox', () => {
  const cases = [
    {
      description: 'the owner signed in',
      request: del('ana-1', { 'x-ms-client-principal': principalHeader(callerFactory()) }),
      status: 202,
    },
    {
      description: 'automation naming the owner',
      request: del('ana-1', {}, '?owner=ana@contoso.com'),
      status: 202,
    },
    {
      description: 'another user',
      request: del('ana-1', {
        'x-ms-client-principal': principalHeader(callerFactory({ name: 'bob' })),
      }),
      status: 403,
    },
    { description: 'automation naming nobody', request: del('ana-1'), status: 400 },
    {
      description: 'a sandbox that does not exist',
      request: del('nope', {}, '?owner=ana@contoso.com'),
      status: 404,
    },
  ];
  it.each(cases)('answers $status to $description', async ({ request, status }) => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(sandbox);

    // Act
    const response = await invoke(
      httpHandler(deleteSandbox, async () => t.platform),
      request,
    );

    // Assess
    expect(response.status).toBe(status);
    if (status === 202) {
      expect(response.headers).toMatchObject({
        location: expect.stringMatching(/^\/api\/operations\//),
        'retry-after': '2',
      });
      expect(t.queue.peek()).toEqual([{ operationId: expect.any(String), kind: 'teardown' }]);
    } else {
      expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
      expect(t.queue.sent).toEqual([]);
    }
  });
});
