import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, rawRequest } from './armClients.js';

describe('resource groups', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;

  beforeAll(async () => {
    // Group deletes take an hour of emulator time here, so the test moves the clock itself.
    arm = await startTestEmulator({ timeScale: 1, durations: { resourceGroupDelete: 3_600_000 } });
    clients = armClients(arm);
  });
  afterAll(() => arm.close());

  it('creates (201 then 200), reads, checks existence and patches tags', async () => {
    // Prepare
    const groups = clients.resources.resourceGroups;
    // Act
    const created = await groups.createOrUpdate('rg-crud', {
      location: 'West Europe',
      tags: { owner: 'ana' },
    });
    const again = await groups.createOrUpdate('rg-crud', {
      location: 'westeurope',
      tags: { owner: 'bob' },
    });
    const patched = await groups.update('rg-crud', { tags: { team: 'x' } });
    // Assess
    expect(created).toMatchObject({
      id: `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-crud`,
      name: 'rg-crud',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      properties: { provisioningState: 'Succeeded' },
    });
    expect(again.tags).toEqual({ owner: 'bob' });
    expect(patched.tags).toEqual({ team: 'x' });
    expect((await groups.get('RG-CRUD')).tags).toEqual({ team: 'x' });
    expect((await groups.checkExistence('rg-crud')).body).toBe(true);
    expect((await groups.checkExistence('rg-none')).body).toBe(false);
  });

  it('answers 404 ResourceGroupNotFound with ARM’s message', async () => {
    const error = await errorOf(clients.resources.resourceGroups.get('rg-missing'));
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
    expect(error.message).toBe("Resource group 'rg-missing' could not be found.");
  });

  it('refuses another location for an existing group with 409 InvalidResourceGroupLocation', async () => {
    await clients.resources.resourceGroups.createOrUpdate('rg-loc', { location: 'westeurope' });
    const error = await errorOf(
      clients.resources.resourceGroups.createOrUpdate('rg-loc', { location: 'eastus' }),
    );
    expect(error).toMatchObject({ statusCode: 409, code: 'InvalidResourceGroupLocation' });
    expect(error.message).toBe(
      "Invalid resource group location 'eastus'. The Resource group already exists in location 'westeurope'.",
    );
  });

  it.each([
    ['bad*name', 'InvalidResourceGroup', 400],
    ['ends-with-dot.', 'InvalidResourceGroup', 400],
    ['x'.repeat(91), 'InvalidResourceGroup', 400],
    // Superscript two is a digit to \p{N} but not to .NET's Char.IsLetterOrDigit, which ARM uses.
    ['rg²', 'InvalidResourceGroup', 400],
  ])('rejects the name %s with %s', async (name, code, statusCode) => {
    const error = await errorOf(
      clients.resources.resourceGroups.createOrUpdate(name, { location: 'westeurope' }),
    );
    expect(error).toMatchObject({ code, statusCode });
  });

  it("refuses Unicode digits that are not decimal digits, with ARM's message naming them", async () => {
    // Reference: MicrosoftDocs/azure-docs, articles/azure-resource-manager/management/
    // resource-name-rules.md (Microsoft.Resources/resourcegroups: letters or digits as defined by
    // Char.IsLetterOrDigit, '-', '_', '.', '(' and ')').
    const error = await errorOf(
      clients.resources.resourceGroups.createOrUpdate('rg²³', { location: 'westeurope' }),
    );
    const letters = await clients.resources.resourceGroups.createOrUpdate('grüße-٣', {
      location: 'westeurope',
    });
    expect(error.message).toBe(
      "The provided resource group name 'rg²³' has these invalid characters: '²³'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'. See https://aka.ms/ResourceGroupNamingRestrictions for more information.",
    );
    expect(letters.name).toBe('grüße-٣');
  });

  it('rejects an unknown location with 400 LocationNotAvailableForResourceGroup', async () => {
    const error = await errorOf(
      clients.resources.resourceGroups.createOrUpdate('rg-x', { location: 'moon' }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'LocationNotAvailableForResourceGroup' });
  });

  it('lists with $filter on tags and pages with $top and nextLink', async () => {
    // Prepare
    for (let i = 0; i < 5; i += 1) {
      await clients.resources.resourceGroups.createOrUpdate(`rg-list-${i}`, {
        location: 'westeurope',
        tags: { purpose: i % 2 === 0 ? 'even' : 'odd' },
      });
    }
    // Act
    const even = [];
    for await (const g of clients.resources.resourceGroups.list({
      filter: "tagName eq 'purpose' and tagValue eq 'even'",
    })) {
      even.push(g.name);
    }
    const pages = [];
    for await (const page of clients.resources.resourceGroups.list({ top: 2 }).byPage())
      pages.push(page.length);
    // Assess
    expect(even).toEqual(['rg-list-0', 'rg-list-2', 'rg-list-4']);
    expect(pages.every((n) => n <= 2)).toBe(true);
    expect(pages.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7);
  });

  it('answers createdTime and changedTime on the group list with $expand', async () => {
    const token = await armToken(clients.credential);
    const res = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/resourcegroups?api-version=2025-04-01&%24expand=createdTime%2CchangedTime&%24filter=tagName%20eq%20'purpose'`,
      { token },
    );
    const value = (res.body as { value: Array<Record<string, string>> }).value;
    expect(value.length).toBe(5);
    expect(Date.parse(value[0]?.createdTime ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(value[0]?.changedTime).toBeDefined();
  });

  it('deletes as an LRO: 202 with Location and Retry-After, Deleting, 409 on writes, then gone with its resources', async () => {
    // Prepare
    const groups = clients.resources.resourceGroups;
    await groups.createOrUpdate('rg-del', { location: 'westeurope' });
    await arm.control.seed({
      resourceGroups: [
        {
          name: 'rg-del',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Network/virtualNetworks', name: 'vnet' },
            { type: 'Microsoft.Network/virtualNetworks/subnets', name: 'vnet/default' },
          ],
        },
      ],
    });
    const vnetId = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-del/providers/Microsoft.Network/virtualNetworks/vnet`;
    const token = await armToken(clients.credential);
    // Act
    const accepted = await rawRequest(
      arm,
      'DELETE',
      `/subscriptions/${arm.subscriptionId}/resourcegroups/rg-del?api-version=2025-04-01`,
      { token },
    );
    const location = String(accepted.headers.location);
    const polling = await rawRequest(
      arm,
      'GET',
      new URL(location).pathname + new URL(location).search,
      { token },
    );
    const during = await groups.get('rg-del');
    const write = await errorOf(
      groups.createOrUpdate('rg-del', { location: 'westeurope', tags: { a: 'b' } }),
    );
    const childWrite = await errorOf(
      clients.resources.resources.beginCreateOrUpdateById(
        `${vnetId}/subnets/other`,
        '2024-05-01',
        {},
      ),
    );
    await arm.control.advanceClock(3600);
    const done = await rawRequest(
      arm,
      'GET',
      new URL(location).pathname + new URL(location).search,
      { token },
    );
    // Assess
    expect(accepted.status).toBe(202);
    expect(location).toMatch(
      new RegExp(`^${arm.endpoint}/subscriptions/${arm.subscriptionId}/operationresults/`),
    );
    expect(accepted.headers['retry-after']).toBe('3600');
    expect(polling.status).toBe(202);
    expect(during.properties?.provisioningState).toBe('Deleting');
    expect(write).toMatchObject({ statusCode: 409, code: 'ResourceGroupBeingDeleted' });
    expect(write.message).toBe(
      "The resource group 'rg-del' is in deprovisioning state and cannot perform this operation.",
    );
    expect(childWrite).toMatchObject({ statusCode: 409, code: 'ResourceGroupBeingDeleted' });
    expect(done.status).toBe(200);
    expect((await groups.checkExistence('rg-del')).body).toBe(false);
    const vnet = await errorOf(clients.resources.resources.getById(vnetId, '2024-05-01'));
    expect(vnet).toMatchObject({ statusCode: 404 });
    expect((await arm.control.stats()).resources).toBe(0);
  });
});
