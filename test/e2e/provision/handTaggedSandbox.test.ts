/**
 * A sandbox is its tags, whoever wrote them. ARM matches tag names without regard to case, and
 * `az` or the portal may write `Managed-By`, `Sandbox-Owner` and `Sandbox-Expires-At`: such a group
 * is a sandbox to every feature alike (listed, read, extended, deleted, counted in its owner's
 * quota), not only to cleanup.
 */
import { ResourceManagementClient } from '@azure/arm-resources';
import { DefaultAzureCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, groupInEmulator, waitForOperation } from '../../support/provision/e2eClient.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;
let arm: ResourceManagementClient;
const owner = 'ana@contoso.com';
const lease = '2030-01-01T00:00:00.000Z';

beforeAll(async () => {
  stack = await startStack({ settings: { MAX_SANDBOXES_PER_OWNER: '1' } });
  process.env.IDENTITY_ENDPOINT = stack.arm.identityEndpoint;
  process.env.IDENTITY_HEADER = stack.arm.identityHeader;
  arm = new ResourceManagementClient(new DefaultAzureCredential(), stack.arm.subscriptionId, {
    endpoint: stack.arm.endpoint,
  });
  // Written by a raw ARM client, in the case a person might type, and with no other tags.
  await arm.resourceGroups.createOrUpdate('by-hand', {
    location: 'westeurope',
    tags: {
      'Managed-By': 'sandbox-automation',
      'Sandbox-Owner': owner,
      'Sandbox-Expires-At': lease,
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a group tagged by hand, in another case', () => {
  it('is listed among its owner’s sandboxes', async () => {
    // Act
    const { status, json } = await callApi(stack, `/api/sandboxes?owner=${owner}`);

    // Assess
    expect(status).toBe(200);
    expect(json.value).toEqual([
      expect.objectContaining({ name: 'by-hand', owner, expiresAt: lease }),
    ]);
  });

  it('is read', async () => {
    // Act
    const { status, json } = await callApi(stack, '/api/sandboxes/by-hand');

    // Assess
    expect(status).toBe(200);
    expect(json).toMatchObject({ name: 'by-hand', owner, expiresAt: lease });
    expect(json).not.toHaveProperty('blueprint');
  });

  it('counts in its owner’s quota', async () => {
    // Act
    const { status, json } = await callApi(stack, '/api/sandboxes', {
      body: { name: 'one-too-many', owner, location: 'westeurope', blueprint: 'empty' },
    });

    // Assess
    expect(status).toBe(422);
    expect(json.errors).toEqual([expect.objectContaining({ rule: 'owner-quota' })]);
  });

  it('is extended, keeping the one lease tag in the case it was written', async () => {
    // Act
    const { status, json } = await callApi(stack, '/api/sandboxes/by-hand/extend', {
      body: { ttlHours: 48, owner },
    });

    // Assess
    expect(status).toBe(200);
    const tags = groupInEmulator(stack, 'by-hand')?.tags ?? {};
    const leaseTags = Object.keys(tags).filter((k) => k.toLowerCase() === 'sandbox-expires-at');
    expect(leaseTags).toHaveLength(1);
    expect(json.expiresAt).toBe(tags[leaseTags[0]!]);
    expect(Date.parse(json.expiresAt)).toBeGreaterThan(Date.now() + 47 * 3_600_000);
  });

  it('is deleted by its owner', async () => {
    // Act
    const accepted = await callApi(stack, `/api/sandboxes/by-hand?owner=${owner}`, {
      method: 'DELETE',
    });
    const operation = await waitForOperation(stack, accepted.json.operationId);

    // Assess
    expect(accepted.status).toBe(202);
    expect(operation.status).toBe('succeeded');
    expect(groupInEmulator(stack, 'by-hand')).toBeUndefined();
  });
});

describe('problem+json', () => {
  it('has one shape for provisioning and for cleanup', async () => {
    // Act
    const provisioning = await callApi(stack, '/api/sandboxes/nope');
    const cleanup = await callApi(stack, '/api/cleanup/runs/20260101T000000Z-abcdef');

    // Assess
    const shape = ['code', 'detail', 'instance', 'status', 'title', 'type'];
    expect(provisioning.headers.get('content-type')).toBe('application/problem+json');
    expect(cleanup.headers.get('content-type')).toBe('application/problem+json');
    expect(Object.keys(provisioning.json).sort()).toEqual(shape);
    expect(Object.keys(cleanup.json).sort()).toEqual(shape);
    expect(provisioning.json).toMatchObject({
      type: 'urn:sandbox-automation:problem:sandbox-not-found',
      status: 404,
      code: 'SandboxNotFound',
      instance: '/api/sandboxes/nope',
    });
    expect(cleanup.json).toMatchObject({
      type: 'urn:sandbox-automation:problem:cleanup-run-not-found',
      status: 404,
      code: 'CleanupRunNotFound',
      instance: '/api/cleanup/runs/20260101T000000Z-abcdef',
    });
  });
});
