import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ settings: { APP_NAME: 'stack-test' } });
});

afterAll(async () => {
  await stack?.stop();
});

describe('startStack', () => {
  it('serves the built app with the settings it was given', async () => {
    // Act
    const res = await stack.fetch('/api/health', { key: 'none' });
    // Assess
    expect(res.status).toBe(200);
    expect(stack.settings).toMatchObject({
      APP_NAME: 'stack-test',
      AzureWebJobsStorage: stack.storage.connectionString,
      ARM_ENDPOINT: stack.arm.endpoint,
      IDENTITY_ENDPOINT: stack.arm.identityEndpoint,
      IDENTITY_HEADER: stack.arm.identityHeader,
      AZURE_SUBSCRIPTION_ID: stack.arm.subscriptionId,
    });
    expect(stack.logs()).toContain("Executed 'Functions.health' (Succeeded");
  });

  it('restarts a killed host on the same URL with the same keys', async () => {
    // Prepare
    const url = stack.hostUrl;
    // Act
    await stack.stopHost('SIGKILL');
    const whileDown = await fetch(`${url}/api/health`).catch((error: Error) => error);
    await stack.startHost();
    const res = await stack.fetch('/admin/host/status', { key: 'master' });
    // Assess
    expect(whileDown).toBeInstanceOf(Error);
    expect(stack.hostUrl).toBe(url);
    expect(res.status).toBe(200);
  });
});

describe('startStack with azureEvents', () => {
  let withEvents: Stack;

  beforeAll(async () => {
    withEvents = await startStack({ azureEvents: true });
  });

  afterAll(async () => {
    await withEvents?.stop();
  });

  it('delivers a group write by the test user who set it up (ops) to the azure-events queue', async () => {
    // Prepare
    const { arm } = withEvents;
    const ops = arm.entra.users.find((user) => user.username === 'ops@contoso.com')!;
    const token = await userArmToken(arm, ops.username, ops.password);
    // Act
    const created = await fetch(
      `${arm.endpoint}/subscriptions/${arm.subscriptionId}/resourcegroups/rg-ops?api-version=2022-09-01`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ location: 'westeurope' }),
      },
    );
    await arm.control.eventDeliveriesSettled();
    const [published] = await arm.control.events(1);
    // Assess
    expect(created.status).toBe(201);
    expect(withEvents.azureEvents).toMatchObject({
      queueName: 'azure-events',
      caller: 'ops@contoso.com',
    });
    expect(published?.event).toMatchObject({
      subject: `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-ops`,
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
    });
    expect(published?.deliveries).toMatchObject([
      { destination: 'devstoreaccount1/azure-events', status: 'delivered' },
    ]);
  });
});

/** A test user's ARM token from the local Entra ID (password grant through the API's client). */
async function userArmToken(
  arm: Stack['arm'],
  username: string,
  password: string,
): Promise<string> {
  const res = await fetch(`${arm.entra.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: arm.entra.clientId,
      username,
      password,
      scope: 'https://management.azure.com/.default',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
