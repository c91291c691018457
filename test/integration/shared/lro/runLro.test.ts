/**
 * `runLro` over the other SDK generation: `@azure/arm-compute` 24's core-lro 3 pollers (through
 * `toLroPoller`), against the ARM emulator. The resource-group deletes in ArmResourceGroups.test
 * cover core-lro 2 (`@azure/arm-resources`).
 */
import { restorePoller } from '@azure/arm-compute';
import { startTestEmulator, type TestEmulator } from '@sandbox-automation/arm-emulator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmClients } from '../../../../shared/arm/armClients.js';
import { loadConfig } from '../../../../shared/config.js';
import { createCredential } from '../../../../shared/credentials.js';
import { LroCancelledError, LroFailedError } from '../../../../shared/errors.js';
import { type LroBeginOptions, runLro } from '../../../../shared/lro/runLro.js';
import { toLroPoller } from '../../../../shared/lro/toLroPoller.js';
import { testAuthSettings } from '../../../support/auth/testTokens.js';
import { FakeClock } from '../../../support/fakes/FakeClock.js';

let arm: TestEmulator;
let compute: Awaited<ReturnType<typeof createArmClients>>['compute'];

beforeAll(async () => {
  // A VM power-off takes 0.3 s (300 s × the 0.001 time scale): long enough to crash inside it.
  arm = await startTestEmulator({ durations: { vmPowerOff: 300_000 } });
  process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
  process.env.IDENTITY_HEADER = arm.identityHeader;
  const config = loadConfig({
    ...testAuthSettings,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  });
  ({ compute } = await createArmClients(config, await createCredential(config), {
    retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  }));
});

afterAll(async () => {
  await arm?.close();
});

async function seedVm(group: string) {
  await arm.control.seed({
    resourceGroups: [
      {
        name: group,
        location: 'westeurope',
        resources: [
          { type: 'Microsoft.Compute/virtualMachines', name: 'vm1', powerState: 'running' },
        ],
      },
    ],
  });
}

function powerOff(group: string) {
  return (o: LroBeginOptions) => {
    const options = { updateIntervalInMs: 5, abortSignal: o.abortSignal };
    return o.resumeFrom === undefined
      ? toLroPoller(compute.virtualMachines.powerOff(group, 'vm1', options))
      : toLroPoller(
          restorePoller(compute, o.resumeFrom, compute.virtualMachines.powerOff, options),
        );
  };
}

async function powerState(group: string) {
  const view = await compute.virtualMachines.instanceView(group, 'vm1');
  return view.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
}

async function posts(group: string) {
  const log = await arm.control.requests({ method: 'POST', limit: 10_000 });
  return log.filter(
    (r) => r.url.toLowerCase().includes(`/resourcegroups/${group}/`) && r.url.includes('/powerOff'),
  );
}

describe('runLro with arm-compute pollers', () => {
  it('runs a VM power-off to its end', async () => {
    // Prepare
    await seedVm('rg-lro-vm');
    const tokens: string[] = [];

    // Act
    await runLro({
      operation: 'power off vm1',
      begin: powerOff('rg-lro-vm'),
      saveResumeToken: async (t) => void tokens.push(t),
    });

    // Assess
    expect(await powerState('rg-lro-vm')).toBe('PowerState/stopped');
    expect(tokens).toHaveLength(1);
    expect(JSON.parse(tokens[0] ?? '')).toHaveProperty('state.config.initialRequestUrl');
  });

  it('resumes after a crash from the saved token, without a second POST', async () => {
    // Prepare
    await seedVm('rg-lro-crash');
    const crash = new AbortController();
    let saved: string | undefined;

    // Act
    const first = await runLro({
      operation: 'power off vm1',
      begin: powerOff('rg-lro-crash'),
      signal: crash.signal,
      saveResumeToken: async (t) => {
        saved = t;
        crash.abort();
      },
    }).catch((e: unknown) => e);
    const during = await powerState('rg-lro-crash');
    await runLro({
      operation: 'power off vm1',
      begin: powerOff('rg-lro-crash'),
      ...(saved ? { resumeToken: saved } : {}),
    });

    // Assess
    expect(first).toBeInstanceOf(LroCancelledError);
    expect(during).not.toBe('PowerState/stopped');
    expect(await powerState('rg-lro-crash')).toBe('PowerState/stopped');
    expect(await posts('rg-lro-crash')).toHaveLength(1);
  });

  it('reports an operation that ends Failed as permanent', async () => {
    // Prepare
    await seedVm('rg-lro-fail');
    await arm.control.setFaults({ lroFailureRate: 1 });

    // Act
    const error = await runLro({
      operation: 'power off vm1',
      begin: powerOff('rg-lro-fail'),
      clock: new FakeClock(),
    }).catch((e: unknown) => e);
    await arm.control.setFaults({});

    // Assess
    expect(error).toBeInstanceOf(LroFailedError);
    expect(error).toMatchObject({ kind: 'permanent' });
    expect(await posts('rg-lro-fail')).toHaveLength(1);
  });
});
