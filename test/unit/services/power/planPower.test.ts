import { describe, expect, it } from 'vitest';
import { type PowerInventoryVm, planPower } from '../../../../services/power/planPower.js';

const SUB = '00000000-0000-0000-0000-000000000001';

function vm(
  name: string,
  options: {
    vmTags?: Record<string, string>;
    groupTags?: Record<string, string>;
    timeCreated?: string;
    groupState?: string;
  } = {},
): PowerInventoryVm {
  return {
    vm: {
      subscriptionId: SUB,
      resourceGroup: 'sbx-ana',
      name,
      id: `/subscriptions/${SUB}/resourceGroups/sbx-ana/providers/Microsoft.Compute/virtualMachines/${name}`,
      location: 'westeurope',
      tags: options.vmTags ?? {},
      vmSize: 'Standard_B2s',
      timeCreated: options.timeCreated ?? '2026-01-01T00:00:00.000Z',
      provisioningState: 'Succeeded',
    },
    group: {
      name: 'sbx-ana',
      tags: options.groupTags ?? {},
      provisioningState: options.groupState ?? 'Succeeded',
    },
  };
}

const berlin = { 'sandbox-power-schedule': 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin' };

describe('planPower', () => {
  it('stops a VM in its off hour, with the hours saved until the next on hour', () => {
    // Act: Monday 19:20 in Berlin
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:20:00Z'),
      vms: [vm('vm1', { groupTags: berlin })],
    });

    // Assess
    expect(plan.items[0]).toMatchObject({
      action: 'stop',
      reason: 'off-hour',
      detail: 'off hour 2026-03-02 19:00 Europe/Berlin',
      scheduleSource: 'group',
      estimatedHoursSaved: 11.7,
    });
    expect(plan.counts).toEqual({ stop: 1, start: 0, skip: 0 });
  });

  it('counts the hours saved to the lease’s end when it comes before the next on hour', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:00:00Z'),
      vms: [vm('vm1', { groupTags: { ...berlin, 'sandbox-expires-at': '2026-03-02T22:00:00Z' } })],
    });
    expect(plan.items[0]?.estimatedHoursSaved).toBe(4);
  });

  it('lets the VM’s own tag win over its group’s', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:20:00Z'),
      vms: [vm('vm1', { groupTags: berlin, vmTags: { 'Sandbox-Power-Schedule': 'off' } })],
    });
    expect(plan.items[0]).toMatchObject({
      action: 'skip',
      reason: 'opted-out',
      detail: "the vm's schedule is 'off'",
      scheduleSource: 'vm',
    });
  });

  it('skips a malformed schedule with the reason, and plans the other VMs', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:20:00Z'),
      vms: [
        vm('bad', { vmTags: { 'sandbox-power-schedule': 'off=(M-F,7pm)' } }),
        vm('good', { groupTags: berlin }),
      ],
    });
    expect(plan.items.map((i) => [i.vm, i.action, i.reason, i.detail])).toEqual([
      [
        'bad',
        'skip',
        'invalid-schedule',
        "the vm's schedule '(m-f,7pm)' in 'off' is not (days,hour), for example (M-F,19)",
      ],
      ['good', 'stop', 'off-hour', 'off hour 2026-03-02 19:00 Europe/Berlin'],
    ]);
  });

  it('leaves a VM alone outside its hours, and says when the next one is', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T12:00:00Z'),
      vms: [vm('vm1', { groupTags: berlin })],
    });
    expect(plan.items[0]).toMatchObject({
      action: 'skip',
      reason: 'no-transition-due',
      detail: 'not in an off or on hour; next: off at 2026-03-02 19:00 Europe/Berlin',
    });
  });

  it('leaves a VM created after a missed off hour had passed running until the next one', () => {
    // Act: the last evaluation was before Monday's off hour; the VM was made at 21:00 Berlin
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T20:30:00Z'),
      previousEvaluationAt: '2026-03-02T17:45:00Z',
      vms: [vm('new', { groupTags: berlin, timeCreated: '2026-03-02T20:00:00Z' })],
    });

    // Assess
    expect(plan.items[0]).toMatchObject({
      action: 'skip',
      reason: 'created-after-transition',
      detail:
        'created after the off hour of 2026-03-02 19:00 Europe/Berlin had passed; left as it is until the next one',
    });
  });

  it('stops a VM created during its off hour, as a run inside the hour does', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:40:00Z'),
      vms: [vm('new', { groupTags: berlin, timeCreated: '2026-03-02T18:10:00Z' })],
    });
    expect(plan.items[0]).toMatchObject({ action: 'stop', reason: 'off-hour' });
  });

  it('skips the VMs of a sandbox that is being deleted, and those without a schedule', () => {
    const plan = planPower({
      runId: 'r1',
      now: new Date('2026-03-02T18:20:00Z'),
      vms: [vm('going', { groupTags: berlin, groupState: 'Deleting' }), vm('plain')],
    });
    expect(plan.items.map((i) => i.reason)).toEqual(['group-deleting', 'no-schedule']);
  });
});

describe('planPower: catching up a missed run', () => {
  it('applies the most recent transition once when its whole hour passed with no run', () => {
    // Prepare: the last evaluation was Monday 18:50 Berlin; the app was down until Tuesday 09:30,
    // so Monday's off hour and Tuesday's on hour both passed without a run.
    const previousEvaluationAt = '2026-03-02T17:50:00Z';

    // Act
    const plan = planPower({
      runId: 'r2',
      now: new Date('2026-03-03T08:30:00Z'),
      previousEvaluationAt,
      vms: [vm('vm1', { groupTags: berlin })],
    });

    // Assess: only Tuesday's on hour, the most recent, is applied
    expect(plan.items[0]).toMatchObject({
      action: 'start',
      reason: 'caught-up',
      detail: 'on hour 2026-03-03 07:00 Europe/Berlin, missed while no run happened; caught up',
      transition: { kind: 'on', at: '2026-03-03T06:00:00.000Z' },
    });
    expect(plan.previousEvaluationAt).toBe(previousEvaluationAt);
  });

  it('does not catch up a transition an earlier evaluation already saw', () => {
    // Act: evaluated at 19:30 Berlin (inside the off hour); now 21:00 Berlin
    const plan = planPower({
      runId: 'r3',
      now: new Date('2026-03-02T20:00:00Z'),
      previousEvaluationAt: '2026-03-02T18:30:00Z',
      vms: [vm('vm1', { groupTags: berlin })],
    });

    // Assess
    expect(plan.items[0]).toMatchObject({ action: 'skip', reason: 'no-transition-due' });
  });

  it('does not apply an old transition on the first evaluation ever, nor to a schedule set since', () => {
    // Act: no evaluation before; 21:00 Berlin, two hours after the off hour
    const plan = planPower({
      runId: 'r4',
      now: new Date('2026-03-02T20:00:00Z'),
      vms: [vm('vm1', { groupTags: berlin })],
    });

    // Assess
    expect(plan.items[0]).toMatchObject({ action: 'skip', reason: 'no-transition-due' });
  });
});
