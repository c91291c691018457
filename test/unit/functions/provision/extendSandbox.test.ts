import { describe, expect, it } from 'vitest';
import { extendSandbox } from '../../../../functions/provision/extendSandbox.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { TEST_APP_NAME, TEST_SUBSCRIPTION } from '../../../support/provision/fixtures.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const sandbox = {
  name: 'ana-1',
  tags: {
    'managed-by': TEST_APP_NAME,
    'sandbox-owner': 'ana@contoso.com',
    'sandbox-expires-at': '2026-03-01T13:00:00.000Z',
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': 'op-1',
  },
};
const extend = (
  body: string,
  contentType = 'application/json',
  who: Parameters<typeof signedIn>[0] = 'ana',
) =>
  httpRequestFactory({
    method: 'POST',
    path: '/api/sandboxes/ana-1/extend',
    params: { name: 'ana-1' },
    headers: { 'content-type': contentType, ...signedIn(who) },
    body,
  });

describe('extendSandbox', () => {
  it.each([
    {
      description: 'a new lease',
      request: extend('{"ttlHours":10,"owner":"ana@contoso.com"}'),
      status: 200,
    },
    {
      description: 'a lease over the maximum',
      request: extend('{"ttlHours":1000,"owner":"ana@contoso.com"}'),
      status: 422,
    },
    {
      description: 'another user',
      request: extend('{"ttlHours":10}', 'application/json', 'bob'),
      status: 403,
    },
    {
      description: 'an admin',
      request: extend('{"ttlHours":10}', 'application/json', 'ops'),
      status: 200,
    },
    {
      description: 'a user naming another owner',
      request: extend('{"ttlHours":10,"owner":"bob"}'),
      status: 403,
    },
    {
      description: 'a form body',
      request: extend('ttlHours=10', 'application/x-www-form-urlencoded'),
      status: 415,
    },
    { description: 'broken JSON', request: extend('{"ttlHours":'), status: 400 },
  ])('answers $status to $description', async ({ request, status }) => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(sandbox);

    // Act
    const response = await invoke(
      httpHandler(extendSandbox, async () => t.platform),
      request,
    );

    // Assess
    expect(response.status).toBe(status);
    const expiresAt = t.groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags['sandbox-expires-at'];
    expect(expiresAt).toBe(
      status === 200 ? '2026-03-01T22:00:00.000Z' : '2026-03-01T13:00:00.000Z',
    );
  });
});
