/**
 * The power functions through the real adapters (timer, queue, HTTP) over a platform of
 * in-memory fakes: a run from the timer to its report, as the host would carry it out.
 */
import type { Timer } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { powerGetRun } from '../../../../functions/power/powerGetRun.js';
import { powerPoison } from '../../../../functions/power/powerPoison.js';
import { powerScheduleTimer } from '../../../../functions/power/powerScheduleTimer.js';
import { powerWorker } from '../../../../functions/power/powerWorker.js';
import type { AppEvent } from '../../../../services/notifications/AppEvent.js';
import type { NotificationMessage } from '../../../../services/notifications/NotificationMessage.js';
import type { PowerMessage } from '../../../../services/power/PowerMessage.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { queueHandler } from '../../../../shared/functions/queueFunction.js';
import { timerHandler } from '../../../../shared/functions/timerFunction.js';
import { queueNames } from '../../../../shared/queues/queueNames.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { FakeClock } from '../../../support/fakes/FakeClock.js';
import { type FakePlatform, fakePlatform } from '../../../support/fakes/fakePlatform.js';
import { armError } from '../../../support/fakes/InMemoryResourceGroups.js';
import {
  httpRequestFactory,
  invocationContextFactory,
  invoke,
} from '../../../support/provision/httpRequestFactory.js';

/** Monday 2 March 2026, 19:20 in Berlin: inside the off hour of the schedule below. */
const OFF_HOUR = '2026-03-02T18:20:00.000Z';
const SCHEDULE = 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin';

function setup(now = OFF_HOUR) {
  const platform = fakePlatform({}, { clock: new FakeClock(now) });
  const sandbox = (name: string, tags: Record<string, string> = {}) => {
    platform.groups.seed({
      name,
      tags: {
        'managed-by': 'sandbox-automation',
        'sandbox-owner': 'ana@contoso.com',
        'sandbox-expires-at': '2026-03-10T00:00:00Z',
        'sandbox-power-schedule': SCHEDULE,
        ...tags,
      },
    });
    platform.vms.seed({ resourceGroup: name, name: `${name}-vm` });
  };
  return { platform, sandbox };
}

/** Runs the timer, then every power message as the host would, retrying transient failures. */
async function runTimer(platform: FakePlatform, maxDequeueCount = 5) {
  await timerHandler(powerScheduleTimer, async () => platform)(
    {} as Timer,
    invocationContextFactory(),
  );
  const queue = platform.queue<PowerMessage>(queueNames.powerRequests);
  const counts = new Map<string, number>();
  for (let message = queue.take(); message; message = queue.take()) {
    const key = JSON.stringify(message);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    try {
      await queueHandler(powerWorker, async () => platform)(
        message,
        invocationContextFactory({ dequeueCount: count }),
      );
    } catch {
      if (count < maxDequeueCount) await queue.send(message);
      else
        await queueHandler(powerPoison, async () => platform)(
          message,
          invocationContextFactory({ dequeueCount: count }),
        );
    }
  }
  return getRun(platform, 'latest');
}

async function getRun(platform: FakePlatform, id: string) {
  return invoke(
    httpHandler(powerGetRun, async () => platform),
    httpRequestFactory({ path: `/api/power/runs/${id}`, params: { id }, headers: signedIn('ops') }),
  );
}

function events(platform: FakePlatform): AppEvent[] {
  return platform
    .queue<NotificationMessage>(queueNames.notifications)
    .sent.map((s) => s.message.event);
}

describe('power functions', () => {
  it('deallocates the VMs of a sandbox in its off hour and reports the run', async () => {
    // Prepare
    const { platform, sandbox } = setup();
    sandbox('sbx-ana');

    // Act
    const response = await runTimer(platform);

    // Assess
    expect(platform.vms.peek('sbx-ana', 'sbx-ana-vm')?.powerState).toBe('deallocated');
    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({
      status: 'completed',
      trigger: 'timer',
      summary: { stopped: 1, started: 0, skipped: 0, failed: 0, estimatedComputeHoursSaved: 11.7 },
      stopped: [{ vm: 'sbx-ana-vm', reason: 'off-hour', outcome: { status: 'stopped' } }],
    });
    expect(events(platform).map((e) => [e.type, e.subject])).toEqual([
      ['vm.deallocated', 'sbx-ana'],
      ['power.run.completed', (response.jsonBody as { runId: string }).runId],
    ]);
  });

  it('acts once per off hour: a VM started by hand after the stop stays on', async () => {
    // Prepare
    const { platform, sandbox } = setup();
    sandbox('sbx-ana');
    await runTimer(platform);
    platform.vms.setPowerState('sbx-ana', 'sbx-ana-vm', 'running');
    platform.clock.advance(15 * 60_000);

    // Act
    const response = await runTimer(platform);

    // Assess
    expect(platform.vms.peek('sbx-ana', 'sbx-ana-vm')?.powerState).toBe('running');
    expect(response.jsonBody).toMatchObject({
      skipped: [{ vm: 'sbx-ana-vm', reason: 'already-applied' }],
    });
  });

  it('leaves a VM under a ReadOnly lock, and stops one under CanNotDelete, naming the lock', async () => {
    // Prepare
    const { platform, sandbox } = setup();
    sandbox('sbx-readonly');
    sandbox('sbx-nodelete');
    platform.groups.addLock(platform.config.subscriptionId, 'sbx-readonly', {
      name: 'freeze',
      level: 'ReadOnly',
    });
    platform.groups.addLock(platform.config.subscriptionId, 'sbx-nodelete', {
      name: 'keep',
      level: 'CanNotDelete',
    });

    // Act
    const response = await runTimer(platform);

    // Assess
    expect(platform.vms.peek('sbx-readonly', 'sbx-readonly-vm')?.powerState).toBe('running');
    expect(platform.vms.peek('sbx-nodelete', 'sbx-nodelete-vm')?.powerState).toBe('deallocated');
    expect(response.jsonBody).toMatchObject({
      skipped: [
        {
          vm: 'sbx-readonly-vm',
          outcome: {
            status: 'skipped',
            reason: 'locked',
            detail:
              "ReadOnly lock 'freeze' forbids stopping or starting it; locks are never removed",
          },
        },
      ],
      stopped: [
        {
          vm: 'sbx-nodelete-vm',
          outcome: {
            detail:
              "off hour 2026-03-02 19:00 Europe/Berlin; CanNotDelete lock 'keep' only forbids deletion",
          },
        },
      ],
    });
  });

  it('skips a malformed schedule with its reason and never crashes the run', async () => {
    // Prepare
    const { platform, sandbox } = setup();
    sandbox('sbx-bad', { 'sandbox-power-schedule': 'off=(M-F,7pm)' });

    // Act
    const response = await runTimer(platform);

    // Assess
    expect(response.jsonBody).toMatchObject({
      status: 'completed',
      skipped: [
        {
          vm: 'sbx-bad-vm',
          reason: 'invalid-schedule',
          detail:
            "the group's schedule '(m-f,7pm)' in 'off' is not (days,hour), for example (M-F,19)",
        },
      ],
    });
    // Nothing was stopped or started: nobody is told of the run.
    expect(events(platform)).toEqual([]);
  });

  it('retries a throttled deallocate, then records the VM failed with the last error once poisoned', async () => {
    // Prepare
    const { platform, sandbox } = setup();
    sandbox('sbx-ana');
    platform.vms.failNext(
      'deallocate',
      armError(429, 'TooManyRequests', 'Too many requests.', undefined, 1000),
      5,
    );

    // Act
    const response = await runTimer(platform);

    // Assess
    expect(response.jsonBody).toMatchObject({
      status: 'completed',
      summary: { failed: 1 },
      failed: [
        {
          vm: 'sbx-ana-vm',
          outcome: {
            status: 'failed',
            reason: 'poisoned',
            detail: 'Gave up after 5 deliveries; last error: TooManyRequests: Too many requests..',
          },
        },
      ],
    });
  });

  it('answers 404 for a run that does not exist', async () => {
    const { platform } = setup();
    const response = await getRun(platform, '20260101T000000Z-abcdef');
    expect(response.status).toBe(404);
    expect(response.jsonBody).toMatchObject({
      code: 'PowerRunNotFound',
      detail: "No power run '20260101T000000Z-abcdef'.",
    });
  });
});
