import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import type { VirtualMachineInfo } from '../../shared/arm/VirtualMachines.js';
import { effectiveSchedule } from './effectiveSchedule.js';
import type { PowerPlanItem, PowerRecheckSkipReason } from './PowerRun.js';

/** What a worker does with a planned VM after re-reading it. */
export type PowerItemDecision =
  | { kind: 'deallocate' | 'start'; note?: string }
  | { kind: 'skip'; reason: PowerRecheckSkipReason; detail: string };

/**
 * Re-checks a planned stop or start against the VM, its group and the locks as they are now.
 * Pure. A ReadOnly lock on the VM or its group is respected: ARM would refuse the action, and the
 * app never removes a lock. A CanNotDelete lock only forbids deletion, which Azure allows a VM to
 * be stopped and started under, so the action goes ahead and the outcome names the lock.
 *
 * @example
 * decidePowerItem(item, { vm, group, locks: [] }); // { kind: 'deallocate' }
 */
export function decidePowerItem(
  item: PowerPlanItem,
  now: {
    vm: VirtualMachineInfo | undefined;
    group: ResourceGroupInfo | undefined;
    locks: readonly LockInfo[];
  },
): PowerItemDecision {
  const { vm, group, locks } = now;
  if (!vm || !group) return skip('gone', 'the VM no longer exists');
  if (group.provisioningState.toLowerCase() === 'deleting') {
    return skip('gone', 'the sandbox is being deleted');
  }
  const schedule = effectiveSchedule(vm.tags, group.tags);
  if (schedule?.value !== item.schedule) {
    return skip(
      'schedule-changed',
      schedule
        ? `the schedule changed since the plan: now '${schedule.value}' on the ${schedule.source}`
        : 'the schedule was removed since the plan',
    );
  }
  const readOnly = locks.filter((l) => l.level === 'ReadOnly');
  if (readOnly.length > 0) {
    return skip(
      'locked',
      `ReadOnly lock ${readOnly.map((l) => `'${l.name}'`).join(', ')} forbids stopping or starting it; locks are never removed`,
    );
  }
  const power = vm.powerState ?? 'unknown';
  const note =
    locks.length > 0
      ? `CanNotDelete lock ${locks.map((l) => `'${l.name}'`).join(', ')} only forbids deletion`
      : undefined;
  const go = (kind: 'deallocate' | 'start'): PowerItemDecision => ({
    kind,
    ...(note ? { note } : {}),
  });
  if (item.action === 'stop') {
    if (power === 'deallocated' || power === 'deallocating') {
      return skip('already-deallocated', `the VM is ${power} already`);
    }
    if (power === 'starting' || power === 'stopping') {
      return skip('busy', `the VM is ${power}; the next off hour stops it`);
    }
    // `stopped` VMs still bill for compute; deallocating them is what saves it.
    return go('deallocate');
  }
  if (power === 'running' || power === 'starting') {
    return skip('already-running', `the VM is ${power} already`);
  }
  if (power === 'stopping' || power === 'deallocating') {
    return skip('busy', `the VM is ${power}; the next on hour starts it`);
  }
  return go('start');
}

function skip(reason: PowerRecheckSkipReason, detail: string): PowerItemDecision {
  return { kind: 'skip', reason, detail };
}
