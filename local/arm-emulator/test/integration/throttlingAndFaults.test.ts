import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, POLL, rawRequest } from './armClients.js';

describe('throttling', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;

  beforeAll(async () => {
    arm = await startTestEmulator({ throttling: {} });
    clients = armClients(arm);
  });
  afterAll(() => arm.close());

  it('uses ARM’s buckets by default and reports what remains', async () => {
    // Prepare
    const token = await armToken(clients.credential);
    const path = `/subscriptions/${arm.subscriptionId}/resourcegroups`;
    // Act
    const read = await rawRequest(arm, 'GET', `${path}?api-version=2025-04-01`, { token });
    const write = await rawRequest(arm, 'PUT', `${path}/rg-t?api-version=2025-04-01`, {
      token,
      body: '{"location":"westeurope"}',
    });
    const del = await rawRequest(arm, 'DELETE', `${path}/rg-t?api-version=2025-04-01`, { token });
    // Assess
    expect(Number(read.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeGreaterThan(
      240,
    );
    expect(Number(read.headers['x-ms-ratelimit-remaining-subscription-reads'])).toBeLessThan(250);
    expect(write.headers['x-ms-ratelimit-remaining-subscription-writes']).toBe('199');
    expect(del.headers['x-ms-ratelimit-remaining-subscription-deletes']).toBe('199');
  });

  it('reports the global buckets beside the regional ones, as recorded ARM answers do', async () => {
    // Reference: Azure/azure-sdk-assets, js/sdk/storage/arm-storage/recordings/node/storage_test/
    // recording_storageaccounts_create_test.json (global-writes 2999, global-reads 3749) and
    // recording_storageaccounts_delete_test.json (global-deletes 2999).
    // Prepare
    await arm.control.setThrottling({});
    const token = await armToken(clients.credential);
    const path = `/subscriptions/${arm.subscriptionId}/resourcegroups`;
    // Act
    const read = await rawRequest(arm, 'GET', `${path}?api-version=2025-04-01`, { token });
    const write = await rawRequest(arm, 'PUT', `${path}/rg-g?api-version=2025-04-01`, {
      token,
      body: '{"location":"westeurope"}',
    });
    const del = await rawRequest(arm, 'DELETE', `${path}/rg-g?api-version=2025-04-01`, { token });
    // Assess
    expect(read.headers['x-ms-ratelimit-remaining-subscription-global-reads']).toBe('3749');
    expect(read.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('249');
    expect(write.headers['x-ms-ratelimit-remaining-subscription-global-writes']).toBe('2999');
    expect(del.headers['x-ms-ratelimit-remaining-subscription-global-deletes']).toBe('2999');
  });

  it('answers 429 with Retry-After when a bucket is empty, and the SDK retries to success', async () => {
    // Prepare: two reads, refilled at one a second.
    await arm.control.setThrottling({ reads: { capacity: 2, refillPerSecond: 1 } });
    const token = await armToken(clients.credential);
    const path = `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01`;
    await rawRequest(arm, 'GET', path, { token });
    await rawRequest(arm, 'GET', path, { token });
    // Act
    const throttled = await rawRequest(arm, 'GET', path, { token });
    const started = Date.now();
    const groups = [];
    for await (const g of clients.resources.resourceGroups.list()) groups.push(g);
    const log = await arm.control.requests({ method: 'GET', path: 'resourcegroups' });
    // Assess
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(throttled.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    expect((throttled.body as { error: { code: string } }).error.code).toBe(
      'SubscriptionRequestsThrottled',
    );
    expect(log.map((e) => e.status).slice(-2)).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('can be switched off', async () => {
    await arm.control.setThrottling(false);
    const token = await armToken(clients.credential);
    const res = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01`,
      { token },
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-ms-ratelimit-remaining-subscription-reads']).toBeUndefined();
  });
});

describe('faults', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let token: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    token = await armToken(clients.credential);
  });
  afterAll(() => arm.close());

  async function statuses(count: number): Promise<number[]> {
    const result = [];
    for (let i = 0; i < count; i += 1) {
      const res = await rawRequest(
        arm,
        'GET',
        `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01`,
        { token },
      ).catch(() => ({ status: 0 }));
      result.push(res.status);
    }
    return result;
  }

  it('injects 500, 503, 429 and dropped connections reproducibly from a seed', async () => {
    // Prepare
    const faults = {
      seed: 42,
      status500Rate: 0.15,
      status503Rate: 0.15,
      status429Rate: 0.15,
      dropRate: 0.15,
      match: { method: 'GET', path: 'resourcegroups$' },
    };
    // Act
    await arm.control.setFaults(faults);
    const first = await statuses(40);
    await arm.control.setFaults(faults);
    const second = await statuses(40);
    await arm.control.setFaults({});
    // Assess
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([0, 200, 429, 500, 503]));
  });

  it('only hits requests that match the method and path', async () => {
    await arm.control.setFaults({ status503Rate: 1, match: { method: 'PUT' } });
    const read = await statuses(3);
    await arm.control.setFaults({});
    expect(read).toEqual([200, 200, 200]);
  });

  it('adds latency', async () => {
    await arm.control.setFaults({ latencyMs: 120 });
    const started = Date.now();
    await statuses(1);
    await arm.control.setFaults({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('ends LROs Failed, and the SDK poller reports the failure', async () => {
    // Prepare
    await clients.resources.resourceGroups.createOrUpdate('rg-fail', { location: 'westeurope' });
    await arm.control.setFaults({ lroFailureRate: 1 });
    // Act
    const put = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-fail/providers/Microsoft.Network/virtualNetworks/vnet`,
        '2024-05-01',
        { location: 'westeurope' },
        POLL,
      ),
    );
    const del = await errorOf(clients.resources.resourceGroups.beginDeleteAndWait('rg-fail', POLL));
    await arm.control.setFaults({});
    // Assess
    expect(put.message).toContain('injected');
    expect(del).toMatchObject({ statusCode: 409, code: 'ResourceGroupDeletionBlocked' });
    expect(
      (await clients.resources.resourceGroups.get('rg-fail')).properties?.provisioningState,
    ).toBe('Succeeded');
  });

  it('fails only the LROs of the requests a setting matches', async () => {
    // Prepare: a fault scoped to one resource type must leave a group's delete alone
    await clients.resources.resourceGroups.createOrUpdate('rg-scoped', { location: 'westeurope' });
    await arm.control.setFaults({
      lroFailureRate: 1,
      match: { method: 'PUT', path: 'virtualNetworks' },
    });
    // Act
    const put = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-scoped/providers/Microsoft.Network/virtualNetworks/vnet`,
        '2024-05-01',
        { location: 'westeurope' },
        POLL,
      ),
    );
    const deleted = await clients.resources.resourceGroups
      .beginDeleteAndWait('rg-scoped', POLL)
      .then(() => 'deleted');
    await arm.control.setFaults({});
    // Assess
    expect(put.message).toContain('injected');
    expect(deleted).toBe('deleted');
    expect(await clients.resources.resourceGroups.checkExistence('rg-scoped')).toMatchObject({
      body: false,
    });
  });
});

describe('time', () => {
  it('never answers Retry-After: 0, even with under half a second left', async () => {
    // Reference: Azure/azure-resource-manager-rpc, v1.0/async-api-reference.md (Retry-After is
    // the number of seconds the client should wait); recorded answers say 17 or more.
    // Prepare
    const arm = await startTestEmulator({ timeScale: 1, durations: { resourceGroupDelete: 400 } });
    const { credential } = armClients(arm);
    const token = await armToken(credential);
    const path = `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-soon?api-version=2025-04-01`;
    await rawRequest(arm, 'PUT', path, { token, body: '{"location":"westeurope"}' });
    // Act
    const accepted = await rawRequest(arm, 'DELETE', path, { token });
    await arm.close();
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.headers['retry-after']).toBe('1');
  });

  it('gives an honest Retry-After from the configured duration and time scale', async () => {
    // Prepare
    const arm = await startTestEmulator({
      timeScale: 0.5,
      durations: { resourceGroupDelete: 20_000 },
    });
    const { credential } = armClients(arm);
    const token = await armToken(credential);
    const path = `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-time?api-version=2025-04-01`;
    await rawRequest(arm, 'PUT', path, { token, body: '{"location":"westeurope"}' });
    // Act
    const accepted = await rawRequest(arm, 'DELETE', path, { token });
    await arm.control.advanceClock(6);
    const location = new URL(String(accepted.headers.location));
    const polled = await rawRequest(arm, 'GET', location.pathname + location.search, { token });
    await arm.control.advanceClock(4);
    const done = await rawRequest(arm, 'GET', location.pathname + location.search, { token });
    await arm.close();
    // Assess
    expect(accepted.headers['retry-after']).toBe('10');
    expect(polled.status).toBe(202);
    expect(polled.headers['retry-after']).toBe('4');
    expect(done.status).toBe(200);
  });
});
