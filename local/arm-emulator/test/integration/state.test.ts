import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, POLL, rawRequest } from './armClients.js';

describe('state file', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'arm-state-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps groups, resources, locks and in-flight deletes across a restart', async () => {
    // Prepare
    const stateFile = join(dir, 'state.json');
    const options = { stateFile, timeScale: 1, durations: { resourceGroupDelete: 60_000 } };
    const first = await startTestEmulator(options);
    const c1 = armClients(first);
    await c1.resources.resourceGroups.createOrUpdate('rg-kept', {
      location: 'westeurope',
      tags: { a: '1' },
    });
    await first.control.seed({
      resourceGroups: [
        {
          name: 'rg-kept',
          location: 'westeurope',
          tags: { a: '1' },
          resources: [{ type: 'Microsoft.Web/sites', name: 'app' }],
        },
      ],
    });
    await c1.locks.managementLocks.createOrUpdateAtResourceGroupLevel('rg-kept', 'keep', {
      level: 'CanNotDelete',
    });
    await c1.resources.resourceGroups.createOrUpdate('rg-going', { location: 'westeurope' });
    const token = await armToken(c1.credential);
    const accepted = await rawRequest(
      first,
      'DELETE',
      `/subscriptions/${first.subscriptionId}/resourcegroups/rg-going?api-version=2025-04-01`,
      { token },
    );
    const operation = new URL(String(accepted.headers.location));
    await first.close();
    // Act
    const second = await startTestEmulator(options);
    const c2 = armClients(second);
    const kept = await c2.resources.resourceGroups.get('rg-kept');
    const site = await c2.resources.resources.getById(
      `${kept.id}/providers/Microsoft.Web/sites/app`,
      '2023-12-01',
    );
    const locks = [];
    for await (const lock of c2.locks.managementLocks.listAtResourceGroupLevel('rg-kept'))
      locks.push(lock.name);
    const going = await c2.resources.resourceGroups.get('rg-going');
    const pollPath = operation.pathname + operation.search;
    const stillRunning = await rawRequest(second, 'GET', pollPath, { token });
    await second.control.advanceClock(60);
    const finished = await rawRequest(second, 'GET', pollPath, { token });
    await second.close();
    // Assess
    expect(second.identityHeader).toBe(first.identityHeader);
    expect(kept.tags).toEqual({ a: '1' });
    expect(site.name).toBe('app');
    expect(locks).toEqual(['keep']);
    expect(going.properties?.provisioningState).toBe('Deleting');
    expect(stillRunning.status).toBe(202);
    expect(finished.status).toBe(200);
  });

  it('starts empty when the file does not exist yet, and writes it', async () => {
    const stateFile = join(dir, 'fresh.json');
    const arm = await startTestEmulator({ stateFile });
    const c = armClients(arm);
    await c.resources.resourceGroups.beginDeleteAndWait('rg-none', POLL).catch(() => undefined);
    await arm.close();
    const again = await startTestEmulator({ stateFile });
    expect((await again.control.stats()).resourceGroups).toBe(0);
    await again.close();
  });
});
