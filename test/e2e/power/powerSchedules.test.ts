import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPowerTimer, scheduleNow, vmPowerState } from '../../support/power/powerE2e.js';
import { callApi, waitForOperation } from '../../support/provision/e2eClient.js';
import { TEST_SSH_KEY } from '../../support/provision/fixtures.js';
import { type Stack, startStack } from '../../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('power schedules, end to end', () => {
  it('deallocates a vm sandbox whose schedule says off now, when the timer runs', async () => {
    // Prepare: a vm sandbox requested with a schedule whose off hour is now
    const accepted = await callApi(stack, '/api/sandboxes', {
      body: {
        name: 'e2e-power-vm',
        owner: 'ana@contoso.com',
        location: 'westeurope',
        blueprint: 'vm',
        parameters: { sshPublicKey: TEST_SSH_KEY },
        powerSchedule: scheduleNow('off'),
      },
    });
    expect(accepted.status).toBe(202);
    expect((await waitForOperation(stack, accepted.json.operationId)).status).toBe('succeeded');
    expect(vmPowerState(stack, 'e2e-power-vm')).toBe('running');

    // Act
    const run = await runPowerTimer(stack);

    // Assess
    expect(vmPowerState(stack, 'e2e-power-vm')).toBe('deallocated');
    expect(run.status).toBe('completed');
    expect(run.stopped).toEqual([
      expect.objectContaining({
        resourceGroup: 'e2e-power-vm',
        action: 'stop',
        reason: 'off-hour',
        scheduleSource: 'group',
        outcome: expect.objectContaining({ status: 'stopped' }),
      }),
    ]);
    expect(run.summary).toMatchObject({ stopped: 1, started: 0, failed: 0 });
    const sandbox = await callApi(stack, '/api/sandboxes/e2e-power-vm');
    expect(sandbox.json.powerSchedule).toBe(scheduleNow('off'));
  });

  it('starts it again when the schedule, set by PATCH, says on', async () => {
    // Prepare
    const patched = await callApi(stack, '/api/sandboxes/e2e-power-vm', {
      method: 'PATCH',
      body: { powerSchedule: scheduleNow('on'), owner: 'ana@contoso.com' },
    });
    expect(patched.status).toBe(200);

    // Act
    const run = await runPowerTimer(stack);

    // Assess
    expect(vmPowerState(stack, 'e2e-power-vm')).toBe('running');
    expect(run.started).toEqual([
      expect.objectContaining({
        resourceGroup: 'e2e-power-vm',
        reason: 'on-hour',
        outcome: expect.objectContaining({ status: 'started' }),
      }),
    ]);
  });

  it('acts once per hour: a second run in the same on hour leaves the VM as it is', async () => {
    // Act
    const run = await runPowerTimer(stack);

    // Assess
    expect(run.skipped).toContainEqual(
      expect.objectContaining({ resourceGroup: 'e2e-power-vm', reason: 'already-applied' }),
    );
    expect(vmPowerState(stack, 'e2e-power-vm')).toBe('running');
  });

  it('reports a locked VM and leaves it as it is', async () => {
    // Prepare: a sandbox with a VM, made earlier, and a ReadOnly lock on its group
    await stack.arm.control.seed({
      resourceGroups: [
        {
          name: 'e2e-power-locked',
          location: 'westeurope',
          tags: {
            'managed-by': 'sandbox-automation',
            'sandbox-owner': 'bob@contoso.com',
            'sandbox-expires-at': new Date(Date.now() + 86_400_000).toISOString(),
            'sandbox-power-schedule': scheduleNow('off'),
          },
          resources: [
            {
              type: 'Microsoft.Compute/virtualMachines',
              name: 'vm-locked',
              properties: {
                hardwareProfile: { vmSize: 'Standard_B2s' },
                timeCreated: '2026-01-01T00:00:00Z',
              },
            },
          ],
        },
      ],
      locks: [
        {
          scope: `/subscriptions/${stack.arm.subscriptionId}/resourceGroups/e2e-power-locked`,
          name: 'hold',
          level: 'ReadOnly',
        },
      ],
    });

    // Act
    const run = await runPowerTimer(stack);

    // Assess
    expect(vmPowerState(stack, 'e2e-power-locked')).toBe('running');
    expect(run.skipped).toContainEqual(
      expect.objectContaining({
        resourceGroup: 'e2e-power-locked',
        vm: 'vm-locked',
        action: 'stop',
        outcome: expect.objectContaining({
          status: 'skipped',
          reason: 'locked',
          detail: "ReadOnly lock 'hold' forbids stopping or starting it; locks are never removed",
        }),
      }),
    );
    const deallocates = await stack.arm.control.requests({ method: 'POST', limit: 1_000 });
    expect(deallocates.filter((r) => r.url.includes('vm-locked'))).toEqual([]);
  });
});
