import { describe, expect, it } from 'vitest';
import { updateSandbox } from '../../../../functions/provision/updateSandbox.js';
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
    'Sandbox-Power-Schedule': 'off=(M-F,19)',
  },
};
const patch = (body: string, who: Parameters<typeof signedIn>[0] = 'ana') =>
  httpRequestFactory({
    method: 'PATCH',
    path: '/api/sandboxes/ana-1',
    params: { name: 'ana-1' },
    headers: { 'content-type': 'application/json', ...signedIn(who) },
    body,
  });

describe('updateSandbox (PATCH /api/sandboxes/{name})', () => {
  it.each([
    {
      description: 'the owner',
      request: patch('{"powerSchedule":"off=(M-F,20);tz=cet"}'),
      status: 200,
      tag: 'off=(M-F,20);tz=cet',
    },
    {
      description: 'the owner, naming itself, opting out',
      request: patch('{"powerSchedule":"off","owner":"ana@contoso.com"}'),
      status: 200,
      tag: 'off',
    },
    {
      description: 'an admin',
      request: patch('{"powerSchedule":"on"}', 'ops'),
      status: 200,
      tag: 'on',
    },
    {
      description: 'someone else',
      request: patch('{"powerSchedule":"off"}', 'bob'),
      status: 403,
      tag: 'off=(M-F,19)',
    },
    {
      description: 'a user naming another owner',
      request: patch('{"powerSchedule":"off","owner":"bob@contoso.com"}'),
      status: 403,
      tag: 'off=(M-F,19)',
    },
  ])('answers $status to $description', async ({ request, status, tag }) => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(sandbox);

    // Act
    const response = await invoke(
      httpHandler(updateSandbox, async () => t.platform),
      request,
    );

    // Assess
    expect(response.status).toBe(status);
    // The tag keeps the spelling the group had.
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags['Sandbox-Power-Schedule']).toBe(tag);
  });

  it('refuses a schedule it cannot read, naming the field and the reason', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed(sandbox);

    // Act
    const response = await invoke(
      httpHandler(updateSandbox, async () => t.platform),
      patch('{"powerSchedule":"off=(M-F,25)"}'),
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.jsonBody).toMatchObject({
      code: 'InvalidRequest',
      errors: [
        {
          pointer: '/powerSchedule',
          detail: 'hour 25 in (m-f,25) is not between 0 and 23',
          rule: 'powerSchedule',
        },
      ],
    });
  });

  it('answers 409 for a sandbox whose group is being deleted, and leaves its tags alone', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    t.groups.seed({ ...sandbox, provisioningState: 'Deleting' });

    // Act
    const response = await invoke(
      httpHandler(updateSandbox, async () => t.platform),
      patch('{"powerSchedule":"off"}'),
    );

    // Assess
    expect(response.status).toBe(409);
    expect(response.jsonBody).toMatchObject({
      code: 'SandboxBeingDeleted',
      detail: "Sandbox 'ana-1' is being deleted.",
    });
    expect(t.groups.peek(TEST_SUBSCRIPTION, 'ana-1')?.tags).toEqual(sandbox.tags);
  });
});
