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
