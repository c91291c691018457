import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, POLL, rawRequest } from './armClients.js';

/** api-versions each provider publishes (see src/providers/apiVersions.ts). */
const STORAGE = '2023-05-01';
const NETWORK = '2024-05-01';
const WEB = '2023-12-01';
const MYSQL = '2023-12-30';

describe('generic resources', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let rg: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    rg = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-res`;
    await clients.resources.resourceGroups.createOrUpdate('rg-res', { location: 'westeurope' });
  });
  afterAll(() => arm.close());

  it('creates a network resource through Updating → Succeeded with Azure-AsyncOperation (raw shape)', async () => {
    // Prepare
    const token = await armToken(clients.credential);
    // Act
    const res = await rawRequest(
      arm,
      'PUT',
      `${rg}/providers/Microsoft.Network/virtualNetworks/vnet0?api-version=${NETWORK}`,
      {
        token,
        body: JSON.stringify({
          location: 'westeurope',
          properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } },
        }),
      },
    );
    const asyncUrl = new URL(String(res.headers['azure-asyncoperation']));
    const status = await rawRequest(arm, 'GET', asyncUrl.pathname + asyncUrl.search, { token });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: `${rg}/providers/Microsoft.Network/virtualNetworks/vnet0`,
      name: 'vnet0',
      type: 'Microsoft.Network/virtualNetworks',
      etag: expect.stringMatching(/^W\/"/),
      location: 'westeurope',
      properties: {
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        resourceGuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        provisioningState: 'Updating',
      },
    });
    expect(asyncUrl.pathname).toMatch(
      /\/providers\/Microsoft\.Network\/locations\/westeurope\/operationStatuses\//,
    );
    expect(status.status).toBe(200);
    expect((status.body as { status: string }).status).toMatch(/^(InProgress|Succeeded)$/);
  });

  it('creates nested resources at any depth by id, and requires the parent', async () => {
    // Prepare
    const byId = clients.resources.resources;
    const account = `${rg}/providers/Microsoft.Storage/storageAccounts/sandboxdata`;
    const container = `${account}/blobServices/default/containers/leases`;
    const server = `${rg}/providers/Microsoft.DBforMySQL/flexibleServers/mysql1`;
    // Act
    const missingParent = await errorOf(
      byId.beginCreateOrUpdateByIdAndWait(container, STORAGE, {}, POLL),
    );
    await byId.beginCreateOrUpdateByIdAndWait(
      account,
      STORAGE,
      { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
      POLL,
    );
    await byId.beginCreateOrUpdateByIdAndWait(`${account}/blobServices/default`, STORAGE, {}, POLL);
    const created = await byId.beginCreateOrUpdateByIdAndWait(
      container,
      STORAGE,
      { properties: { publicAccess: 'None' } },
      POLL,
    );
    await byId.beginCreateOrUpdateByIdAndWait(server, MYSQL, { location: 'westeurope' }, POLL);
    const database = await byId.beginCreateOrUpdateByIdAndWait(
      `${server}/databases/app`,
      MYSQL,
      {},
      POLL,
    );
    // Assess
    expect(missingParent).toMatchObject({ statusCode: 404, code: 'ParentResourceNotFound' });
    expect(created).toMatchObject({
      id: container,
      name: 'leases',
      type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
      properties: { publicAccess: 'None' },
    });
    expect((created as { properties: object }).properties).not.toHaveProperty('provisioningState');
    expect(database.type).toBe('Microsoft.DBforMySQL/flexibleServers/databases');
    expect(
      (
        await byId.getById(
          container.toUpperCase().replace('/SUBSCRIPTIONS', '/subscriptions'),
          STORAGE,
        )
      ).name,
    ).toBe('leases');
    expect((await byId.checkExistenceById(container, STORAGE)).body).toBe(true);
  });

  it('applies provider name rules and location rules', async () => {
    const badName = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        `${rg}/providers/Microsoft.Storage/storageAccounts/Bad_Name`,
        STORAGE,
        { location: 'westeurope' },
        POLL,
      ),
    );
    const noLocation = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        `${rg}/providers/Microsoft.Network/virtualNetworks/v0`,
        NETWORK,
        {},
        POLL,
      ),
    );
    expect(badName).toMatchObject({ statusCode: 400, code: 'AccountNameInvalid' });
    expect(noLocation).toMatchObject({ statusCode: 400, code: 'LocationRequired' });
  });

  it('answers 404 ResourceNotFound with ARM’s message', async () => {
    const error = await errorOf(
      clients.resources.resources.getById(`${rg}/providers/Microsoft.Web/sites/none`, WEB),
    );
    expect(error).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    expect(error.message).toBe(
      "The Resource 'Microsoft.Web/sites/none' under resource group 'rg-res' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    );
  });

  it('lists by group and subscription with $filter on type and tags, and $expand=createdTime', async () => {
    // Prepare
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1`,
      NETWORK,
      { location: 'westeurope', tags: { env: 'sandbox' } },
      POLL,
    );
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1/subnets/s1`,
      NETWORK,
      {},
      POLL,
    );
    // Act
    const inGroup = [];
    for await (const r of clients.resources.resources.listByResourceGroup('rg-res', {
      expand: 'createdTime,changedTime',
    }))
      inGroup.push(r);
    const vnets = [];
    for await (const r of clients.resources.resources.list({
      filter: "resourceType eq 'Microsoft.Network/virtualNetworks'",
    }))
      vnets.push(r.name);
    const tagged = [];
    for await (const r of clients.resources.resources.list({
      filter: "tagName eq 'env' and tagValue eq 'sandbox'",
    }))
      tagged.push(r.name);
    // Assess
    expect(inGroup.map((r) => r.name).sort()).toEqual(['mysql1', 'sandboxdata', 'vnet0', 'vnet1']);
    expect(
      inGroup.every((r) => r.createdTime instanceof Date && r.changedTime instanceof Date),
    ).toBe(true);
    expect(inGroup.every((r) => r.properties === undefined)).toBe(true);
    expect(vnets).toEqual(['vnet0', 'vnet1']);
    expect(tagged).toEqual(['vnet1']);
  });

  it('patches by id, and merges tags through the tags API without touching the rest', async () => {
    // Prepare
    const vnet = `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1`;
    // Act
    const patched = await clients.resources.resources.beginUpdateByIdAndWait(
      vnet,
      NETWORK,
      { tags: { env: 'sandbox', lease: '1' } },
      POLL,
    );
    await clients.resources.tagsOperations.beginUpdateAtScopeAndWait(
      `${rg}`,
      { operation: 'Merge', properties: { tags: { lease: '2' } } },
      POLL,
    );
    await clients.resources.tagsOperations.beginUpdateAtScopeAndWait(
      `${rg}`,
      { operation: 'Merge', properties: { tags: { owner: 'ana' } } },
      POLL,
    );
    const groupTags = await clients.resources.tagsOperations.getAtScope(rg);
    // Assess
    expect(patched.tags).toEqual({ env: 'sandbox', lease: '1' });
    expect(groupTags.properties.tags).toEqual({ lease: '2', owner: 'ana' });
    expect((await clients.resources.resourceGroups.get('rg-res')).tags).toEqual({
      lease: '2',
      owner: 'ana',
    });
  });

  it('deletes a parent with its children (LRO through the SDK poller)', async () => {
    // Prepare
    const vnet = `${rg}/providers/Microsoft.Network/virtualNetworks/vnet1`;
    // Act
    await clients.resources.resources.beginDeleteByIdAndWait(vnet, NETWORK, POLL);
    // Assess
    expect((await clients.resources.resources.checkExistenceById(vnet, NETWORK)).body).toBe(false);
    expect(
      (await clients.resources.resources.checkExistenceById(`${vnet}/subnets/s1`, NETWORK)).body,
    ).toBe(false);
  });

  it('answers 204 to deleting a resource that does not exist', async () => {
    const token = await armToken(clients.credential);
    const res = await rawRequest(
      arm,
      'DELETE',
      `${rg}/providers/Microsoft.Web/sites/none?api-version=${WEB}`,
      { token },
    );
    expect(res.status).toBe(204);
  });

  it('cascades a group delete to everything in it, through the SDK poller', async () => {
    // Act
    await clients.resources.resourceGroups.beginDeleteAndWait('rg-res', POLL);
    // Assess
    expect((await clients.resources.resourceGroups.checkExistence('rg-res')).body).toBe(false);
    const stats = await arm.control.stats();
    expect(stats.resources).toBe(0);
  });
});
