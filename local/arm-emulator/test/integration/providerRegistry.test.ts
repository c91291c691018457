/**
 * api-versions checked per resource type, as ARM's provider registration checks them. The
 * message is ARM's, as real answers quote it: Azure/azure-cli#28496 (networkInterfaces) and
 * Azure/ResourceModules#454 (storageAccounts/blobServices): "No registered resource provider found
 * for location '…' and API version '…' for type '…'. The supported api-versions are '…'. The
 * supported locations are '…'." The versions are those Azure/azure-rest-api-specs publishes
 * (see src/providers/apiVersions.ts for the sources).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../../src/providers/resourceTypes.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, POLL, rawRequest } from './armClients.js';

describe('api-versions per resource type', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let token: string;
  let group: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    token = await armToken(clients.credential);
    group = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-versions`;
    await clients.resources.resourceGroups.createOrUpdate('rg-versions', {
      location: 'westeurope',
    });
  });
  afterAll(() => arm.close());

  it('refuses a storage PUT with a well-formed but unpublished api-version, listing the supported ones', async () => {
    // Act
    const error = await errorOf(
      clients.resources.resources.beginCreateOrUpdateByIdAndWait(
        `${group}/providers/Microsoft.Storage/storageAccounts/stversions`,
        '2023-13-45',
        { location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' } },
        POLL,
      ),
    );
    // Assess
    expect(error).toMatchObject({ statusCode: 400, code: 'NoRegisteredProviderFound' });
    expect(error.message).toMatch(
      /^No registered resource provider found for location 'westeurope' and API version '2023-13-45' for type 'storageAccounts'\. The supported api-versions are '2026-09-01, 2026-06-01, .*, 2015-06-15, 2015-05-01-preview'\. The supported locations are 'eastus, .*'\.$/,
    );
    expect((await arm.control.stats()).resources).toBe(0);
  });

  it('names the child type and the group location for a nested resource', async () => {
    const error = await errorOf(
      clients.resources.resources.getById(
        `${group}/providers/Microsoft.Network/virtualNetworks/v/subnets/s`,
        '2024-05-02',
      ),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'NoRegisteredProviderFound' });
    expect(error.message).toContain(
      "for location 'westeurope' and API version '2024-05-02' for type 'virtualNetworks/subnets'.",
    );
  });

  it('refuses a type no provider registers with 404 InvalidResourceType', async () => {
    const error = await errorOf(
      clients.resources.resources.getById(
        `${group}/providers/Microsoft.Storage/storageWidgets/w`,
        '2023-05-01',
      ),
    );
    expect(error).toMatchObject({ statusCode: 404, code: 'InvalidResourceType' });
    expect(error.message).toBe(
      "The resource type 'storageWidgets' could not be found in the namespace 'Microsoft.Storage' for api version '2023-05-01'.",
    );
  });

  it('checks a VM action and a typed list against the type too', async () => {
    const action = await rawRequest(
      arm,
      'POST',
      `${group}/providers/Microsoft.Compute/virtualMachines/vm/start?api-version=2099-01-01`,
      { token },
    );
    const list = await rawRequest(
      arm,
      'GET',
      `/subscriptions/${arm.subscriptionId}/providers/Microsoft.Web/sites?api-version=2099-01-01`,
      { token },
    );
    // The VM does not exist: its api-version is checked against virtualMachines first.
    expect((action.body as { error: { code: string } }).error.code).toBe(
      'NoRegisteredProviderFound',
    );
    expect((list.body as { error: { code: string } }).error.code).toBe('NoRegisteredProviderFound');
  });

  it.each(RESOURCE_TYPES.map((spec) => [spec.type, spec.apiVersions] as const))(
    'accepts every published api-version of %s',
    async (type, versions) => {
      // Act: a GET of a resource that does not exist gets past the version check to its 404.
      const [namespace, ...types] = type.split('/');
      const path = `${group}/providers/${namespace}/${types.map((t) => `${t}/x`).join('/')}`;
      const statuses = await Promise.all(
        versions.map(async (version) => {
          const res = await rawRequest(arm, 'GET', `${path}?api-version=${version}`, { token });
          return `${version} ${(res.body as { error: { code: string } }).error.code}`;
        }),
      );
      // Assess
      expect(statuses.every((s) => s.endsWith(' ResourceNotFound'))).toBe(true);
    },
  );
});
