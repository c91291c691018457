import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, POLL, rawRequest } from './armClients.js';

const powerOf = (vm: { instanceView?: { statuses?: Array<{ code?: string }> } }) =>
  vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;

describe('virtual machines through @azure/arm-compute', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let nicId: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    await clients.resources.resourceGroups.createOrUpdate('rg-vm', { location: 'westeurope' });
    nicId = `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-vm/providers/Microsoft.Network/networkInterfaces/nic1`;
    await clients.resources.resources.beginCreateOrUpdateByIdAndWait(
      nicId,
      '2024-05-01',
      { location: 'westeurope', properties: {} },
      POLL,
    );
  });
  afterAll(() => arm.close());

  const definition = (nic: string) => ({
    location: 'westeurope',
    hardwareProfile: { vmSize: 'Standard_B1s' },
    osProfile: { computerName: 'vm1', adminUsername: 'azureuser', adminPassword: 'S3cret!pass' },
    networkProfile: { networkInterfaces: [{ id: nic }] },
  });

  it('creates a VM (LRO), hides the password and reports it running', async () => {
    // Act
    const vm = await clients.compute.virtualMachines.createOrUpdate(
      'rg-vm',
      'vm1',
      definition(nicId),
      POLL,
    );
    const read = await clients.compute.virtualMachines.get('rg-vm', 'vm1', {
      expand: 'instanceView',
    });
    // Assess
    expect(vm).toMatchObject({
      name: 'vm1',
      provisioningState: 'Succeeded',
      location: 'westeurope',
    });
    expect(vm.vmId).toMatch(/^[0-9a-f-]{36}$/);
    expect(read.osProfile?.adminPassword).toBeUndefined();
    expect(powerOf(read)).toBe('PowerState/running');
  });

  it("reports compute's etag on GET, a version number each model change moves on", async () => {
    // Reference: Azure/azure-rest-api-specs, specification/compute/resource-manager/Microsoft.Compute/
    // ComputeRP/stable/2024-07-01/examples/virtualMachineExamples/VirtualMachine_Get.json ("etag").
    // Act
    const first = await clients.compute.virtualMachines.get('rg-vm', 'vm1');
    await clients.compute.virtualMachines.update('rg-vm', 'vm1', { tags: { team: 'a' } }, POLL);
    const second = await clients.compute.virtualMachines.get('rg-vm', 'vm1');
    // Assess
    expect(first.etag).toBe('"1"');
    expect(second.etag).toBe('"2"');
  });

  it('refuses a VM whose NIC does not exist with 400 InvalidResourceReference', async () => {
    const error = await errorOf(
      clients.compute.virtualMachines.createOrUpdate(
        'rg-vm',
        'vm2',
        definition(`${nicId}-missing`),
        POLL,
      ),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidResourceReference' });
  });

  it.each([
    ['powerOff', 'PowerState/stopped'],
    ['start', 'PowerState/running'],
    ['deallocate', 'PowerState/deallocated'],
    ['start', 'PowerState/running'],
    ['restart', 'PowerState/running'],
  ] as const)('%s settles in %s', async (action, power) => {
    // Act
    await clients.compute.virtualMachines[action]('rg-vm', 'vm1', POLL);
    const view = await clients.compute.virtualMachines.instanceView('rg-vm', 'vm1');
    // Assess
    expect(view.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code).toBe(power);
  });

  it('answers a POST action 202 with both polling headers, a transitional power state, and a final 200', async () => {
    // Prepare
    const slow = await startTestEmulator({ timeScale: 1 });
    const c = armClients(slow, clients.credential);
    await c.resources.resourceGroups.createOrUpdate('rg-vm', { location: 'westeurope' });
    await slow.control.seed({
      resourceGroups: [
        {
          name: 'rg-vm',
          location: 'westeurope',
          resources: [
            { type: 'Microsoft.Network/networkInterfaces', name: 'nic1' },
            { type: 'Microsoft.Compute/virtualMachines', name: 'vm1', powerState: 'running' },
          ],
        },
      ],
    });
    const token = await armToken(clients.credential);
    const path = `/subscriptions/${slow.subscriptionId}/resourceGroups/rg-vm/providers/Microsoft.Compute/virtualMachines/vm1`;
    // Act
    const accepted = await rawRequest(slow, 'POST', `${path}/powerOff?api-version=2026-03-01`, {
      token,
    });
    const during = await c.compute.virtualMachines.instanceView('rg-vm', 'vm1');
    const location = new URL(String(accepted.headers.location));
    const pending = await rawRequest(slow, 'GET', location.pathname + location.search, { token });
    await slow.control.advanceClock(60);
    const final = await rawRequest(slow, 'GET', location.pathname + location.search, { token });
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.headers['azure-asyncoperation']).toMatch(/operationStatuses/);
    expect(accepted.headers['retry-after']).toBe('15');
    expect(during.statuses?.map((s) => s.code)).toContain('PowerState/stopping');
    expect(pending.status).toBe(202);
    expect(final.status).toBe(200);
    expect(
      (await c.compute.virtualMachines.instanceView('rg-vm', 'vm1')).statuses?.map((s) => s.code),
    ).toContain('PowerState/stopped');
    await slow.close();
  });

  it('lists VMs by group and subscription', async () => {
    const inGroup = [];
    for await (const vm of clients.compute.virtualMachines.list('rg-vm')) inGroup.push(vm.name);
    const all = [];
    for await (const vm of clients.compute.virtualMachines.listAll()) all.push(vm.name);
    expect(inGroup).toEqual(['vm1']);
    expect(all).toEqual(['vm1']);
  });

  it('deletes a VM (LRO)', async () => {
    await clients.compute.virtualMachines.delete('rg-vm', 'vm1', POLL);
    const error = await errorOf(clients.compute.virtualMachines.get('rg-vm', 'vm1'));
    expect(error).toMatchObject({ statusCode: 404 });
  });
});
