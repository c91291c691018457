import { describe, expect, it } from 'vitest';
import { locksOnScope } from '../../../../shared/arm/locksOnScope.js';
import { InMemoryResourceGroups } from '../../../support/fakes/InMemoryResourceGroups.js';
import { InMemoryVirtualMachines } from '../../../support/fakes/InMemoryVirtualMachines.js';
import { virtualMachinesContract } from '../../../support/fakes/virtualMachinesContract.js';

// The fake the power tests use keeps the same contract as ArmVirtualMachines (the integration
// test runs the same suite against the ARM emulator).
virtualMachinesContract('InMemoryVirtualMachines', async () => {
  const groups = new InMemoryResourceGroups('sub-1');
  const vms = new InMemoryVirtualMachines('sub-1', groups);
  return {
    vms,
    subscriptionId: 'sub-1',
    seed: async (seeded, readOnlyGroups = []) => {
      for (const vm of seeded) {
        groups.seed({ name: vm.resourceGroup });
        vms.seed(vm);
      }
      for (const group of readOnlyGroups)
        groups.addLock('sub-1', group, { name: 'hold', level: 'ReadOnly' });
    },
  };
});

describe('locksOnScope', () => {
  const group = '/subscriptions/s/resourceGroups/rg';
  const vm = `${group}/providers/Microsoft.Compute/virtualMachines/vm1`;
  const lock = (scope: string, name: string) => ({
    id: `${scope}/providers/Microsoft.Authorization/locks/${name}`,
    name,
    level: 'ReadOnly' as const,
  });

  it('keeps the group’s and the VM’s own locks, and drops its neighbours’', () => {
    // Prepare
    const locks = [
      lock(group, 'on-group'),
      lock(vm, 'on-vm'),
      lock(`${group}/providers/Microsoft.Compute/virtualMachines/vm10`, 'on-vm10'),
      lock(`${group}/providers/Microsoft.Network/networkInterfaces/nic1`, 'on-nic'),
    ];

    // Act
    const applying = locksOnScope(locks, vm.toUpperCase());

    // Assess
    expect(applying.map((l) => l.name)).toEqual(['on-group', 'on-vm']);
  });
});
