import { describe, expect, it } from 'vitest';
import { getSandbox } from '../../../../functions/provision/getSandbox.js';
import { listSandboxes } from '../../../../functions/provision/listSandboxes.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const managed = (name: string, owner: string) => ({
  name,
  tags: {
    'managed-by': TEST_APP_NAME,
    'sandbox-owner': owner,
    'sandbox-expires-at': '2026-03-02T00:00:00.000Z',
    'sandbox-blueprint': 'empty',
    'sandbox-operation-id': `op-${name}`,
  },
});

describe('listSandboxes', () => {
  it.each([
    {
      description: 'an admin filters by owner',
      path: '/api/sandboxes?owner=bob',
      headers: signedIn('ops'),
      names: ['b'],
    },
    {
      description: 'a signed-in user sees their own',
      path: '/api/sandboxes',
      headers: signedIn('ana'),
      names: ['a'],
    },
    {
      description: 'an admin sees all',
      path: '/api/sandboxes',
      headers: signedIn('ops'),
      names: ['a', 'b'],
    },
  ])('$description', async ({ path, headers, names }) => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(managed('a', 'ana@contoso.com'), managed('b', 'bob'), { name: 'unmanaged' });

    // Act
    const response = await invoke(
      httpHandler(listSandboxes, async () => t.platform),
      httpRequestFactory({ path, headers }),
    );

    // Assess
    expect((response.jsonBody as { value: { name: string }[] }).value.map((s) => s.name)).toEqual(
      names,
    );
  });
});

describe('getSandbox', () => {
  it.each([
    { name: 'a', who: 'ana' as const, status: 200 },
    { name: 'a', who: 'bob' as const, status: 403 },
    { name: 'a', who: 'ops' as const, status: 200 },
    { name: 'unmanaged', who: 'ops' as const, status: 404 },
  ])('answers $status for $name to $who', async ({ name, who, status }) => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(managed('a', 'ana@contoso.com'), { name: 'unmanaged' });

    // Act
    const response = await invoke(
      httpHandler(getSandbox, async () => t.platform),
      httpRequestFactory({
        path: `/api/sandboxes/${name}`,
        params: { name },
        headers: signedIn(who),
      }),
    );

    // Assess
    expect(response.status).toBe(status);
  });
});
