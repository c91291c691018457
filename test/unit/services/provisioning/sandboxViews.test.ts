import { describe, expect, it } from 'vitest';
import { blueprints } from '../../../../services/provisioning/blueprints/index.js';
import { describeBlueprints } from '../../../../services/provisioning/describeBlueprints.js';
import { getSandboxHistory } from '../../../../services/provisioning/getSandboxHistory.js';
import { listSandboxResources } from '../../../../services/provisioning/listSandboxResources.js';
import { recordAudit } from '../../../../shared/audit/recordAudit.js';
import { adminFactory, callerFactory, TEST_APP_NAME } from '../../../support/provision/fixtures.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

const sandbox = (name: string, owner: string, operationId = `op-${name}`) => ({
  name,
  location: 'westeurope',
  tags: {
    'managed-by': TEST_APP_NAME,
    'sandbox-owner': owner,
    'sandbox-expires-at': '2026-03-02T00:00:00.000Z',
    'sandbox-blueprint': 'storage',
    'sandbox-operation-id': operationId,
  },
});

describe('describeBlueprints', () => {
  it('describes each blueprint’s parameters as JSON Schema, as a request gives them', () => {
    // Act
    const storage = describeBlueprints(blueprints).find((b) => b.name === 'storage');

    // Assess
    expect(storage?.parameters).toEqual({
      type: 'object',
      properties: {
        containerName: {
          type: 'string',
          default: 'data',
          pattern: '^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$',
          description:
            '3-63 lowercase letters, digits and single hyphens, starting and ending alphanumeric',
        },
        sku: {
          type: 'string',
          default: 'Standard_LRS',
          enum: ['Standard_LRS', 'Standard_ZRS', 'Standard_GRS'],
        },
      },
      additionalProperties: false,
    });
  });

  it('lists blueprints by name, and marks what a request must give', () => {
    const described = describeBlueprints(blueprints);
    expect(described.map((b) => b.name)).toEqual(['empty', 'mysql', 'storage', 'vm', 'webapp']);
    expect(described.find((b) => b.name === 'vm')?.parameters.required).toEqual(['sshPublicKey']);
  });
});

describe('listSandboxResources', () => {
  it('lists the top-level resources in the sandbox’s group, by type', async () => {
    // Prepare
    const { deps, groups, resources } = provisioningDepsFactory();
    groups.seed(sandbox('ana-1', 'oid-ana'));
    const group = `/subscriptions/${deps.settings.subscriptionId}/resourceGroups/ana-1`;
    const account = `${group}/providers/Microsoft.Storage/storageAccounts/stana1`;
    const definition = (type: string) => ({
      kind: 'generic' as const,
      type,
      apiVersion: '2023-05-01',
      body: { location: 'westeurope' },
    });
    await resources.createOrUpdate(account, definition('Microsoft.Storage/storageAccounts'), {});
    await resources.createOrUpdate(
      `${account}/blobServices/default`,
      definition('Microsoft.Storage/storageAccounts/blobServices'),
      {},
    );

    // Act
    const found = await listSandboxResources(deps, callerFactory(), 'ana-1');

    // Assess
    expect(found).toEqual([
      {
        id: account,
        name: 'stana1',
        type: 'Microsoft.Storage/storageAccounts',
        location: 'westeurope',
        provisioningState: 'Succeeded',
      },
    ]);
  });

  it('refuses anyone but the owner or an admin with 403', async () => {
    // Prepare
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(sandbox('bob-1', 'oid-bob'));

    // Act
    const act = listSandboxResources(deps, callerFactory(), 'bob-1');

    // Assess
    await expect(act).rejects.toMatchObject({
      status: 403,
      message: "'ana@contoso.com' is neither the owner of sandbox 'bob-1' nor an admin.",
    });
  });
});

describe('getSandboxHistory', () => {
  const entry = (
    at: string,
    action: 'sandbox.requested' | 'sandbox.extended',
    operationId?: string,
  ) => ({
    at,
    actor: 'ana@contoso.com',
    action,
    subscriptionId: '',
    resourceGroup: 'ana-1',
    ...(operationId ? { operationId } : {}),
  });

  it('lists the sandbox’s own entries newest first, leaving out an older sandbox of the same name', async () => {
    // Prepare
    const { deps, groups, records } = provisioningDepsFactory();
    groups.seed(sandbox('ana-1', 'oid-ana', 'op-new'));
    const sub = deps.settings.subscriptionId;
    const write = (e: ReturnType<typeof entry>, id: string) =>
      recordAudit(records, { ...e, subscriptionId: sub }, id);
    await write(entry('2026-01-01T08:00:00.000Z', 'sandbox.requested', 'op-old'), 'op-old');
    await write(entry('2026-01-01T09:00:00.000Z', 'sandbox.extended'), 'x1');
    await write(entry('2026-02-01T08:00:00.000Z', 'sandbox.requested', 'op-new'), 'op-new');
    await write(entry('2026-02-01T10:00:00.000Z', 'sandbox.extended'), 'x2');

    // Act
    const history = await getSandboxHistory(deps, adminFactory(), 'ana-1');

    // Assess
    expect(history.map((e) => [e.at, e.action])).toEqual([
      ['2026-02-01T10:00:00.000Z', 'sandbox.extended'],
      ['2026-02-01T08:00:00.000Z', 'sandbox.requested'],
    ]);
  });

  it('refuses anyone but the owner or an admin with 403', async () => {
    const { deps, groups } = provisioningDepsFactory();
    groups.seed(sandbox('bob-1', 'oid-bob'));
    await expect(getSandboxHistory(deps, callerFactory(), 'bob-1')).rejects.toMatchObject({
      status: 403,
    });
  });
});
