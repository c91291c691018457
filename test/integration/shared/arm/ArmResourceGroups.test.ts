/**
 * `ArmResourceGroups` (and through it `createArmClients`, `runLro` and the credential) against the
 * ARM emulator, through the real SDK clients and a managed-identity token.
 */

import { startTestEmulator, type TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArmResourceGroups } from '../../../../shared/arm/ArmResourceGroups.js';
import { createArmClients } from '../../../../shared/arm/armClients.js';
import { type AppConfig, loadConfig } from '../../../../shared/config.js';
import { runWithCorrelation } from '../../../../shared/correlation.js';
import { createCredential } from '../../../../shared/credentials.js';
import {
  AzureRequestError,
  classifyError,
  LroCancelledError,
  LroFailedError,
  LroTimeoutError,
} from '../../../../shared/errors.js';
import { testAuthSettings } from '../../../support/auth/testTokens.js';
import { resourceGroupsContract } from '../../../support/fakes/resourceGroupsContract.js';

let arm: TestEmulator;
let config: AppConfig;
let groups: ArmResourceGroups;
let sub: string;

/** Fast SDK retries: the emulator's Retry-After is honest but the test need not wait 30 s. */
const retryOptions = { maxRetries: 4, retryDelayInMs: 10, maxRetryDelayInMs: 2_000 };

beforeAll(async () => {
  // Group deletes take 0.5 s (500 s × the 0.001 time scale): long enough that a test can crash,
  // time out or join a delete while it is really still running.
  arm = await startTestEmulator({ durations: { resourceGroupDelete: 500_000 } });
  // DefaultAzureCredential reads these when it is built: set them first.
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  config = loadConfig({
    ...testAuthSettings,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    LRO_POLL_INTERVAL_MS: '5',
    LRO_TIMEOUT_MINUTES: '1',
  });
  sub = arm.subscriptionId;
  groups = await ArmResourceGroups.fromConfig(config, { retryOptions });
});

afterAll(async () => {
  await arm?.close();
});

beforeEach(async () => {
  await arm.control.reset();
});

/** ARM requests the emulator logged for one group (excluding the control API). */
async function requestsFor(name: string, method?: string) {
  const log = await arm.control.requests({ limit: 10_000, ...(method ? { method } : {}) });
  return log.filter((r) => r.url.toLowerCase().includes(`/resourcegroups/${name.toLowerCase()}`));
}

resourceGroupsContract('ArmResourceGroups', async () => ({
  groups,
  subscriptionId: sub,
  seed: async (seeded) => {
    await arm.control.seed({
      resourceGroups: seeded.map(({ locks: _locks, ...g }) => g),
      locks: seeded.flatMap((g) =>
        (g.locks ?? []).map((l) => ({
          scope: `/subscriptions/${sub}/resourceGroups/${g.name}`,
          ...l,
        })),
      ),
    });
  },
}));

describe('ArmResourceGroups', () => {
  it('creates, reads and re-tags a group', async () => {
    // Act
    const created = await groups.createOrUpdate(sub, 'rg-basic', {
      location: 'westeurope',
      tags: { 'managed-by': 'sandbox-automation', 'sandbox-owner': 'alice' },
    });
    const retagged = await groups.mergeTags(sub, 'rg-basic', { 'sandbox-owner': 'bob' });
    const read = await groups.get(sub, 'rg-basic');

    // Assess
    expect(created).toMatchObject({
      subscriptionId: sub,
      name: 'rg-basic',
      id: `/subscriptions/${sub}/resourceGroups/rg-basic`,
      location: 'westeurope',
      tags: { 'managed-by': 'sandbox-automation', 'sandbox-owner': 'alice' },
      provisioningState: 'Succeeded',
    });
    const merged = { 'managed-by': 'sandbox-automation', 'sandbox-owner': 'bob' };
    expect(retagged.tags).toEqual(merged);
    expect(read?.tags).toEqual(merged);
    // A group's GET asks for `$expand=createdTime`, as the list does.
    expect(read?.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it("merges tags through ARM's Tags API at the group's scope, on a path with single slashes", async () => {
    // Prepare
    await groups.createOrUpdate(sub, 'rg-tags-path', { location: 'westeurope', tags: {} });

    // Act
    await groups.mergeTags(sub, 'rg-tags-path', { team: 'core' });

    // Assess: PATCH {scope}/providers/Microsoft.Resources/tags/default, as the REST reference
    // writes it (Azure/azure-rest-api-specs, resources Tags_UpdateAtScope).
    const patches = await requestsFor('rg-tags-path', 'PATCH');
    expect(patches.map((r) => new URL(r.url, 'https://arm').pathname)).toEqual([
      `/subscriptions/${sub}/resourceGroups/rg-tags-path/providers/Microsoft.Resources/tags/default`,
    ]);
  });

  it('answers undefined for a group that does not exist', async () => {
    // Act & Assess
    expect(await groups.get(sub, 'rg-missing')).toBeUndefined();
  });

  it('turns ARM errors into classified AzureRequestErrors', async () => {
    // Prepare
    await groups.createOrUpdate(sub, 'rg-here', { location: 'westeurope', tags: {} });

    // Act
    const outcome = groups.createOrUpdate(sub, 'rg-here', { location: 'eastus', tags: {} });

    // Assess
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AzureRequestError);
    expect(classifyError(error)).toMatchObject({
      kind: 'permanent',
      code: 'InvalidResourceGroupLocation',
      status: 409,
    });
  });

  it('lists every group across pages, with createdTime', async () => {
    // Prepare
    const names = Array.from({ length: 1050 }, (_, i) => `rg-page-${String(i).padStart(4, '0')}`);
    await arm.control.seed({
      resourceGroups: names.map((name) => ({
        name,
        location: 'westeurope',
        createdTime: '2025-01-02T03:04:05Z',
        tags: { n: name },
      })),
    });
    await arm.control.clearRequests();

    // Act
    const listed = [];
    for await (const g of groups.list(sub)) listed.push(g);

    // Assess
    expect(listed.map((g) => g.name).sort()).toEqual(names);
    expect(
      listed.every(
        (g) => g.createdTime && Date.parse(g.createdTime) === Date.parse('2025-01-02T03:04:05Z'),
      ),
    ).toBe(true);
    expect(listed[0]?.tags).toEqual({ n: listed[0]?.name });
    const pages = (await arm.control.requests({ method: 'GET' })).filter((r) =>
      /\/subscriptions\/[^/]+\/resourcegroups\?/i.test(r.url),
    );
    expect(pages).toHaveLength(2);
    expect(pages.every((r) => /[?&](\$|%24)expand=createdTime/.test(r.url))).toBe(true);
  });

  it('lists locks on the group and on resources inside it', async () => {
    // Prepare
    const scope = `/subscriptions/${sub}/resourceGroups/rg-locked`;
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-locked',
          location: 'westeurope',
          resources: [{ type: 'Microsoft.Storage/storageAccounts', name: 'st1' }],
        },
      ],
      locks: [
        { scope, name: 'keep', level: 'CanNotDelete', notes: 'prod data' },
        {
          scope: `${scope}/providers/Microsoft.Storage/storageAccounts/st1`,
          name: 'frozen',
          level: 'ReadOnly',
        },
      ],
    });

    // Act
    const locks = await groups.listLocks(sub, 'rg-locked');
    const none = await groups.listLocks(sub, 'rg-missing');

    // Assess
    expect(
      locks
        .map(({ name, level, notes }) => ({ name, level, notes }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'frozen', level: 'ReadOnly', notes: undefined },
      { name: 'keep', level: 'CanNotDelete', notes: 'prod data' },
    ]);
    expect(locks.every((l) => l.id.includes('/providers/Microsoft.Authorization/locks/'))).toBe(
      true,
    );
    expect(none).toEqual([]);
  });

  it('stamps ARM requests with the operation and invocation ids', async () => {
    // Prepare
    const operationId = '6f9619ff-8b86-d011-b42d-00c04fc964ff';

    // Act
    await runWithCorrelation({ operationId, invocationId: 'inv-42' }, () =>
      groups.get(sub, 'rg-correlated'),
    );

    // Assess
    const [logged] = await requestsFor('rg-correlated', 'GET');
    expect(logged?.clientRequestId).toMatch(new RegExp(`^${operationId}:inv-42:`));
  });

  describe('delete', () => {
    it('deletes through the LRO, saving the resume token first', async () => {
      // Prepare
      await arm.control.seed({ resourceGroups: [{ name: 'rg-del', location: 'westeurope' }] });
      const tokens: string[] = [];

      // Act
      const outcome = await groups.delete(sub, 'rg-del', {
        saveResumeToken: async (t) => void tokens.push(t),
      });

      // Assess
      expect(outcome).toBe('deleted');
      expect(await groups.get(sub, 'rg-del')).toBeUndefined();
      expect(tokens).toHaveLength(1);
      expect(JSON.parse(tokens[0] ?? '')).toHaveProperty('state');
    });

    it('answers not-found for a group that is already gone', async () => {
      // Act & Assess
      expect(await groups.delete(sub, 'rg-never-there')).toBe('not-found');
    });

    it('refuses a locked group with a permanent ScopeLocked, and leaves it', async () => {
      // Prepare
      const scope = `/subscriptions/${sub}/resourceGroups/rg-lock-del`;
      await arm.control.seed({
        resourceGroups: [{ name: 'rg-lock-del', location: 'westeurope' }],
        locks: [{ scope, name: 'keep', level: 'CanNotDelete' }],
      });

      // Act
      const error = await groups.delete(sub, 'rg-lock-del').catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(LroFailedError);
      expect(error).toMatchObject({ kind: 'permanent', code: 'ScopeLocked', status: 409 });
      expect(await groups.get(sub, 'rg-lock-del')).toBeDefined();
      expect(await requestsFor('rg-lock-del', 'DELETE')).toHaveLength(1);
    });

    it('resumes from the saved token after a crash, without a second DELETE', async () => {
      // Prepare
      await arm.control.seed({ resourceGroups: [{ name: 'rg-crash', location: 'westeurope' }] });
      const crash = new AbortController();
      let saved: string | undefined;

      // Act: the worker "dies" right after saving the token.
      const first = await groups
        .delete(sub, 'rg-crash', {
          signal: crash.signal,
          saveResumeToken: async (t) => {
            saved = t;
            crash.abort(new Error('worker killed'));
          },
        })
        .catch((e: unknown) => e);
      const during = await groups.get(sub, 'rg-crash');
      const second = await groups.delete(sub, 'rg-crash', {
        ...(saved ? { resumeToken: saved } : {}),
      });

      // Assess
      expect(first).toBeInstanceOf(LroCancelledError);
      expect(first).toMatchObject({ resumeToken: saved });
      expect(during?.provisioningState).toBe('Deleting');
      expect(second).toBe('deleted');
      expect(await groups.get(sub, 'rg-crash')).toBeUndefined();
      expect(await requestsFor('rg-crash', 'DELETE')).toHaveLength(1);
    });

    it('finishes a delete whose token was lost, by joining the running operation', async () => {
      // Prepare
      await arm.control.seed({ resourceGroups: [{ name: 'rg-lost', location: 'westeurope' }] });
      const crash = new AbortController();
      await groups
        .delete(sub, 'rg-lost', {
          signal: crash.signal,
          saveResumeToken: async () => crash.abort(),
        })
        .catch(() => undefined);

      // Act
      const outcome = await groups.delete(sub, 'rg-lost');

      // Assess
      expect(outcome).toBe('deleted');
      expect(await groups.get(sub, 'rg-lost')).toBeUndefined();
      expect(await requestsFor('rg-lost', 'DELETE')).toHaveLength(2);
    });

    it('times out with a resume token when polls are too slow, then resumes', async () => {
      // Prepare
      await arm.control.seed({ resourceGroups: [{ name: 'rg-slow', location: 'westeurope' }] });
      const credential = await createCredential(config);
      const impatient = new ArmResourceGroups(
        (s) => createArmClients(config, credential, { subscriptionId: s, retryOptions }),
        { lroTimeoutMs: 100, pollIntervalMs: 5 },
      );
      // Every poll takes 200 ms: the first (inside begin) outlasts the timeout, the group delete
      // (500 ms) is still running when it returns.
      await arm.control.setFaults({ latencyMs: 200, match: { method: 'GET' } });
      let saved: string | undefined;

      // Act
      const error = await impatient
        .delete(sub, 'rg-slow', {
          saveResumeToken: async (t) => {
            saved = t;
          },
        })
        .catch((e: unknown) => e);
      await arm.control.setFaults({});
      const resumed = await groups.delete(sub, 'rg-slow', {
        ...(saved ? { resumeToken: saved } : {}),
      });

      // Assess
      expect(error).toBeInstanceOf(LroTimeoutError);
      expect(saved).toBeDefined();
      expect(error).toMatchObject({ kind: 'transient', timeoutMs: 100, resumeToken: saved });
      expect(resumed).toBe('deleted');
      expect(await requestsFor('rg-slow', 'DELETE')).toHaveLength(1);
    });

    it('gets through a 429 storm by honouring Retry-After', async () => {
      // Prepare
      await arm.control.seed({
        resourceGroups: [{ name: 'rg-throttled', location: 'westeurope' }],
      });
      await arm.control.setFaults({ seed: 7, status429Rate: 0.5, match: { path: 'rg-throttled' } });

      // Act
      const outcome = await groups.delete(sub, 'rg-throttled');

      // Assess
      const log = (await requestsFor('rg-throttled')).sort((a, b) => a.time.localeCompare(b.time));
      const throttled = log.filter((r) => r.status === 429);
      expect(outcome).toBe('deleted');
      expect(throttled.length).toBeGreaterThan(0);
      // Each 429 said `Retry-After: 1`; the next request for that URL waited for it.
      for (const hit of throttled) {
        const next = log.find((r) => r.url === hit.url && r.time > hit.time);
        if (next) expect(Date.parse(next.time) - Date.parse(hit.time)).toBeGreaterThanOrEqual(950);
      }
      expect(await groups.get(sub, 'rg-throttled')).toBeUndefined();
    });

    it('confirms many deletes from shared listings, with fewer reads than groups', async () => {
      // Prepare
      const names = Array.from({ length: 40 }, (_, i) => `rg-many-${i}`);
      await arm.control.seed({
        resourceGroups: names.map((name) => ({ name, location: 'westeurope' })),
      });
      await arm.control.clearRequests();

      // Act
      const outcomes = await Promise.all(names.map((name) => groups.delete(sub, name)));

      // Assess
      const log = await arm.control.requests({ limit: 10_000 });
      const reads = log.filter((r) => r.method === 'GET');
      expect(outcomes.every((o) => o === 'deleted')).toBe(true);
      expect(log.filter((r) => r.method === 'DELETE')).toHaveLength(40);
      expect(reads.length).toBeLessThan(names.length);
      expect(reads.some((r) => /\/resourcegroups\?/i.test(r.url))).toBe(true);
      for (const name of names) expect(await groups.get(sub, name)).toBeUndefined();
    });

    it('fails permanently when the operation itself ends Failed', async () => {
      // Prepare
      await arm.control.seed({ resourceGroups: [{ name: 'rg-doomed', location: 'westeurope' }] });
      await arm.control.setFaults({ lroFailureRate: 1 });

      // Act
      const error = await groups.delete(sub, 'rg-doomed').catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(LroFailedError);
      expect(error).toMatchObject({
        kind: 'permanent',
        operation: 'delete resource group rg-doomed',
      });
      expect(classifyError(error).kind).toBe('permanent');
      expect(await requestsFor('rg-doomed', 'DELETE')).toHaveLength(1);
    });
  });
});

describe('createArmClients', () => {
  it('gives compute and locks clients that reach the emulator with the endpoint’s scope', async () => {
    // Prepare
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-vm',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Compute/virtualMachines', name: 'vm1', powerState: 'running' },
          ],
        },
      ],
    });
    const clients = await createArmClients(config, await createCredential(config), {
      retryOptions,
    });

    // Act
    const vms = [];
    for await (const vm of clients.compute.virtualMachines.list('rg-vm')) vms.push(vm.name);
    const locks = [];
    for await (const lock of clients.locks.managementLocks.listAtResourceGroupLevel('rg-vm'))
      locks.push(lock);

    // Assess
    expect(vms).toEqual(['vm1']);
    expect(locks).toEqual([]);
    expect(await createArmClients(config, await createCredential(config), { retryOptions })).toBe(
      clients,
    );
  });
});
