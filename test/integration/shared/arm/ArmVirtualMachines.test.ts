/**
 * `ArmVirtualMachines` against the ARM emulator, through `@azure/arm-compute` and a managed
 * identity token: the same contract as the in-memory fake the power tests use.
 */
import { startTestEmulator, type TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { ArmVirtualMachines } from '../../../../shared/arm/ArmVirtualMachines.js';
import { createArmClients } from '../../../../shared/arm/armClients.js';
import { loadConfig } from '../../../../shared/config.js';
import { createCredential } from '../../../../shared/credentials.js';
import { testAuthSettings } from '../../../support/auth/testTokens.js';
import { virtualMachinesContract } from '../../../support/fakes/virtualMachinesContract.js';

let arm: TestEmulator;
let vms: ArmVirtualMachines;

beforeAll(async () => {
  arm = await startTestEmulator();
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  const config = loadConfig({
    ...testAuthSettings,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  const credential = await createCredential(config);
  vms = new ArmVirtualMachines(
    (subscriptionId) =>
      createArmClients(config, credential, {
        subscriptionId,
        retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 500 },
      }),
    { pollIntervalMs: 5, lroTimeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await arm?.close();
});

beforeEach(async () => {
  await arm.control.reset();
});

virtualMachinesContract('ArmVirtualMachines', async () => ({
  vms,
  subscriptionId: arm.subscriptionId,
  seed: async (seeded, readOnlyGroups = []) => {
    const groups = [...new Set(seeded.map((vm) => vm.resourceGroup))];
    await arm.control.seed({
      resourceGroups: groups.map((name) => ({
        name,
        location: 'westeurope',
        resources: seeded
          .filter((vm) => vm.resourceGroup === name)
          .map((vm) => ({
            type: 'Microsoft.Compute/virtualMachines',
            name: vm.name,
            ...(vm.tags ? { tags: vm.tags } : {}),
            ...(vm.powerState ? { powerState: vm.powerState } : {}),
            properties: {
              hardwareProfile: { vmSize: vm.vmSize ?? 'Standard_B2s' },
              ...(vm.timeCreated ? { timeCreated: vm.timeCreated } : {}),
            },
          })),
      })),
      locks: readOnlyGroups.map((name) => ({
        scope: `/subscriptions/${arm.subscriptionId}/resourceGroups/${name}`,
        name: 'hold',
        level: 'ReadOnly' as const,
      })),
    });
  },
}));
