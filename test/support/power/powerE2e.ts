/**
 * Helpers for the power end-to-end tests: running the timer as the host would, following the run
 * it starts, and reading a VM's power state in the ARM emulator.
 */
import { resourcesInEmulator } from '../provision/e2eClient.js';
import type { Stack } from '../stack.js';

// biome-ignore lint/suspicious/noExplicitAny: the run view is asserted field by field
export type PowerRunView = any;

/**
 * A schedule whose `kind` hour is now, in UTC: this hour and the next, so that a test started a
 * second before the hour turns still finds itself inside one.
 */
export function scheduleNow(kind: 'off' | 'on', now = new Date()): string {
  const hour = now.getUTCHours();
  return `${kind}=[(M-U,${hour}),(M-U,${(hour + 1) % 24})];tz=UTC`;
}

/** Runs `powerScheduleTimer` through the host's admin API and waits for the run it starts to end. */
export async function runPowerTimer(stack: Stack, timeoutMs = 30_000): Promise<PowerRunView> {
  const before = await stack.fetch('/api/power/runs/latest');
  const previous =
    before.status === 200 ? ((await before.json()) as PowerRunView).runId : undefined;
  const timer = await stack.fetch('/admin/functions/powerScheduleTimer', {
    method: 'POST',
    key: 'master',
    headers: { 'content-type': 'application/json' },
    body: '{"input":""}',
  });
  if (timer.status !== 202) throw new Error(`the timer answered ${timer.status}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await stack.fetch('/api/power/runs/latest');
    const view = response.status === 200 ? ((await response.json()) as PowerRunView) : undefined;
    if (view && view.runId !== previous && ['completed', 'failed'].includes(view.status)) {
      return view;
    }
    if (Date.now() > deadline) {
      throw new Error(`no power run ended within ${timeoutMs} ms: ${JSON.stringify(view)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The power state the emulator holds for the group's one VM. */
export function vmPowerState(stack: Stack, group: string): string | undefined {
  return resourcesInEmulator(stack, group).find(
    (r) => r.type.toLowerCase() === 'microsoft.compute/virtualmachines',
  )?.powerState;
}
