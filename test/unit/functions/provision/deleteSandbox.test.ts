import { describe, expect, it } from 'vitest';
import { deleteSandbox } from '../../../../functions/provision/deleteSandbox.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
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
    { description: 'the owner', request: del('ana-1', signedIn('ana')), status: 202 },
    {
      description: 'an admin naming the owner',
      request: del('ana-1', signedIn('ops'), '?owner=ana@contoso.com'),
      status: 202,
    },
    { description: 'another user', request: del('ana-1', signedIn('bob')), status: 403 },
    {
      description: 'another user naming the owner',
      request: del('ana-1', signedIn('bob'), '?owner=ana@contoso.com'),
      status: 403,
    },
    {
      description: 'a caller with no role',
      request: del('ana-1', signedIn('nobody')),
      status: 403,
    },
    { description: 'no token', request: del('ana-1'), status: 401 },
    {
      description: 'a sandbox that does not exist',
      request: del('nope', signedIn('ops')),
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
