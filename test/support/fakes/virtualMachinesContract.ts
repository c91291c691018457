/**
 * The behaviour every `VirtualMachines` must have, run against `ArmVirtualMachines` over the ARM
 * emulator (integration) and `InMemoryVirtualMachines` (unit), so the fake cannot drift from ARM.
 */
import { describe, expect, it } from 'vitest';
import type { VirtualMachines } from '../../../shared/arm/VirtualMachines.js';
import { classifyError } from '../../../shared/errors.js';

export interface ContractVm {
  resourceGroup: string;
  name: string;
  tags?: Record<string, string>;
  vmSize?: string;
  timeCreated?: string;
  powerState?: 'running' | 'deallocated';
}

export interface VirtualMachinesHarness {
  vms: VirtualMachines;
  subscriptionId: string;
  /** Makes the groups and VMs exist, with a ReadOnly lock on each group in `readOnlyGroups`. */
  seed(vms: ContractVm[], readOnlyGroups?: string[]): Promise<void>;
}

/**
 * @example
 * virtualMachinesContract('InMemoryVirtualMachines', async () => ({ vms, subscriptionId, seed }));
 */
export function virtualMachinesContract(
  name: string,
  harness: () => Promise<VirtualMachinesHarness>,
): void {
  describe(`${name} keeps the VirtualMachines contract`, () => {
    it('lists the subscription’s VMs as plain data, without power state', async () => {
      // Prepare
      const { vms, subscriptionId: sub, seed } = await harness();
      await seed([
        {
          resourceGroup: 'rg-vm-list',
          name: 'vm-a',
          tags: { 'sandbox-power-schedule': 'off=(M-F,19)' },
          vmSize: 'Standard_B2s',
          timeCreated: '2026-01-05T10:00:00.000Z',
        },
      ]);

      // Act
      const listed = [];
      for await (const vm of vms.list(sub)) listed.push(vm);

      // Assess
      const vm = listed.find((v) => v.name === 'vm-a');
      expect(vm).toEqual({
        subscriptionId: sub,
        resourceGroup: 'rg-vm-list',
        name: 'vm-a',
        id: `/subscriptions/${sub}/resourceGroups/rg-vm-list/providers/Microsoft.Compute/virtualMachines/vm-a`,
        location: 'westeurope',
        tags: { 'sandbox-power-schedule': 'off=(M-F,19)' },
        vmSize: 'Standard_B2s',
        timeCreated: '2026-01-05T10:00:00.000Z',
        provisioningState: 'Succeeded',
      });
    });

    it('reads a VM with its power state, and undefined for a missing one', async () => {
      // Prepare
      const { vms, subscriptionId: sub, seed } = await harness();
      await seed([{ resourceGroup: 'rg-vm-get', name: 'vm-b', powerState: 'deallocated' }]);

      // Act
      const found = await vms.get(sub, 'rg-vm-get', 'VM-B');
      const missing = await vms.get(sub, 'rg-vm-get', 'vm-none');

      // Assess
      expect(found).toMatchObject({ name: 'vm-b', powerState: 'deallocated' });
      expect(missing).toBeUndefined();
    });

    it('deallocates and starts a VM, saving the resume token of each action', async () => {
      // Prepare
      const { vms, subscriptionId: sub, seed } = await harness();
      await seed([{ resourceGroup: 'rg-vm-power', name: 'vm-c' }]);
      const tokens: string[] = [];
      const checkpoint = { saveResumeToken: async (t: string) => void tokens.push(t) };

      // Act
      const stopped = await vms.deallocate(sub, 'rg-vm-power', 'vm-c', checkpoint);
      const afterStop = (await vms.get(sub, 'rg-vm-power', 'vm-c'))?.powerState;
      const started = await vms.start(sub, 'rg-vm-power', 'vm-c', checkpoint);
      const afterStart = (await vms.get(sub, 'rg-vm-power', 'vm-c'))?.powerState;

      // Assess
      expect([stopped, afterStop, started, afterStart]).toEqual([
        'done',
        'deallocated',
        'done',
        'running',
      ]);
      expect(tokens).toHaveLength(2);
    });

    it('answers not-found for a power action on a VM that does not exist', async () => {
      // Prepare
      const { vms, subscriptionId: sub, seed } = await harness();
      await seed([{ resourceGroup: 'rg-vm-gone', name: 'vm-d' }]);

      // Act
      const result = await vms.deallocate(sub, 'rg-vm-gone', 'vm-none');

      // Assess
      expect(result).toBe('not-found');
    });

    it('refuses a power action under a ReadOnly lock with a permanent ScopeLocked', async () => {
      // Prepare
      const { vms, subscriptionId: sub, seed } = await harness();
      await seed([{ resourceGroup: 'rg-vm-locked', name: 'vm-e' }], ['rg-vm-locked']);

      // Act
      const error = await vms.deallocate(sub, 'rg-vm-locked', 'vm-e').catch((e: unknown) => e);

      // Assess
      expect(classifyError(error)).toMatchObject({
        kind: 'permanent',
        code: 'ScopeLocked',
        status: 409,
      });
      expect((await vms.get(sub, 'rg-vm-locked', 'vm-e'))?.powerState).toBe('running');
    });
  });
}
