import { describe, expect, it } from 'vitest';
import { applyPowerItem } from '../../../../services/power/applyPowerItem.js';
import { handlePowerMessage } from '../../../../services/power/handlePowerMessage.js';
import type {
  ApplyPowerItemMessage,
  PowerMessage,
} from '../../../../services/power/PowerMessage.js';
import { powerPorts } from '../../../../services/power/PowerPorts.js';
import { requestPowerRun } from '../../../../services/power/requestPowerRun.js';
import { silentLogger } from '../../../../shared/logging/logger.js';
import { queueNames } from '../../../../shared/queues/queueNames.js';
import { FakeClock } from '../../../support/fakes/FakeClock.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';

/** Monday 2 March 2026, 19:20 in Berlin: inside the off hour of the schedule below. */
const OFF_HOUR = '2026-03-02T18:20:00.000Z';
const SCHEDULE = 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin';

/** A sandbox with one running VM whose schedule says off now, planned by a run: its item message. */
async function plannedStop() {
  const platform = fakePlatform({}, { clock: new FakeClock(OFF_HOUR) });
  platform.groups.seed({
    name: 'sbx-1',
    tags: {
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'ana@contoso.com',
      'sandbox-expires-at': '2026-03-10T00:00:00Z',
      'sandbox-power-schedule': SCHEDULE,
    },
  });
  platform.vms.seed({ resourceGroup: 'sbx-1', name: 'vm-1' });
  const ports = powerPorts(platform, silentLogger);
  const queue = platform.queue<PowerMessage>(queueNames.powerRequests);
  await requestPowerRun({ trigger: 'timer', requestedBy: 'schedule' }, ports);
  await handlePowerMessage(queue.take(), ports);
  const message = queue.take() as ApplyPowerItemMessage;
  return { platform, ports, message };
}

const lostAnswer = () => armError(503, 'ServiceUnavailable', 'the connection was reset');

describe('applyPowerItem', () => {
  it('records a stop whose answer was lost as stopped, not skipped, and sends it once', async () => {
    // Prepare: the deallocate reaches ARM, its answer does not
    const { platform, ports, message } = await plannedStop();
    platform.vms.failNext('deallocate', lostAnswer());
    const first = await applyPowerItem(message, ports).catch((error: unknown) => error);
    platform.vms.setPowerState('sbx-1', 'vm-1', 'deallocated');

    // Act
    const outcome = await applyPowerItem(message, ports);

    // Assess
    expect(first).toMatchObject({ code: 'ServiceUnavailable' });
    expect(outcome).toMatchObject({
      status: 'stopped',
      attempts: 2,
      actionSentAt: OFF_HOUR,
      detail: expect.stringContaining('the action an earlier delivery sent took effect'),
    });
    expect(platform.vms.actions).toEqual([]);
  });

  it('waits for a VM still deallocating after an earlier delivery sent its action', async () => {
    // Prepare
    const { platform, ports, message } = await plannedStop();
    platform.vms.failNext('deallocate', lostAnswer());
    await applyPowerItem(message, ports).catch(() => undefined);
    platform.vms.setPowerState('sbx-1', 'vm-1', 'deallocating');

    // Act
    const waiting = await applyPowerItem(message, ports).catch((error: unknown) => error);
    platform.vms.setPowerState('sbx-1', 'vm-1', 'deallocated');
    const outcome = await applyPowerItem(message, ports);

    // Assess
    expect(waiting).toMatchObject({
      kind: 'transient',
      code: 'PowerActionInProgress',
      message: "The VM 'vm-1' is still deallocating after the action an earlier delivery sent.",
    });
    expect(outcome.status).toBe('stopped');
  });

  it('sends the action again when the first never reached ARM', async () => {
    // Prepare
    const { platform, ports, message } = await plannedStop();
    platform.vms.failNext('deallocate', lostAnswer());
    await applyPowerItem(message, ports).catch(() => undefined);

    // Act
    const outcome = await applyPowerItem(message, ports);

    // Assess
    expect(outcome.status).toBe('stopped');
    expect(platform.vms.actions).toEqual([{ action: 'deallocate', name: 'vm-1', resumed: false }]);
  });

  it('still skips a VM someone deallocated before any delivery acted', async () => {
    // Prepare
    const { platform, ports, message } = await plannedStop();
    platform.vms.setPowerState('sbx-1', 'vm-1', 'deallocated');

    // Act
    const outcome = await applyPowerItem(message, ports);

    // Assess
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'already-deallocated' });
    expect(outcome.actionSentAt).toBeUndefined();
  });
});
