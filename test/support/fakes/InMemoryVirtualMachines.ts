/**
 * An in-memory `VirtualMachines` with ARM's rules that the product relies on: names are
 * case-insensitive, tags are copied in and out, a listed VM has no power state and a read one
 * has, deallocate and start settle at once, a ReadOnly lock on the VM or its group refuses them
 * (409 `ScopeLocked`, as the locks in `InMemoryResourceGroups` say), and a missing VM answers
 * `not-found`. Checked against `ArmVirtualMachines` by `virtualMachinesContract`.
 */

import { locksOnScope } from '../../../shared/arm/locksOnScope.js';
import type { LroCheckpoint, ResourceGroups } from '../../../shared/arm/ResourceGroups.js';
import type {
  PowerActionResult,
  VirtualMachineInfo,
  VirtualMachines,
  VmPowerState,
} from '../../../shared/arm/VirtualMachines.js';
import { armError } from './InMemoryResourceGroups.js';

export interface SeedVm {
  subscriptionId?: string;
  resourceGroup: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  vmSize?: string;
  timeCreated?: string;
  powerState?: VmPowerState;
}

type Method = 'list' | 'get' | 'deallocate' | 'start';

export class InMemoryVirtualMachines implements VirtualMachines {
  /** Every power action, in order. */
  readonly actions: Array<{ action: 'deallocate' | 'start'; name: string; resumed: boolean }> = [];
  private readonly vms = new Map<string, VirtualMachineInfo>();
  private readonly faults = new Map<Method, unknown[]>();

  constructor(
    private readonly defaultSubscriptionId: string,
    private readonly groups?: ResourceGroups,
  ) {}

  /** Adds VMs as if they already existed (running unless said otherwise). */
  seed(...vms: SeedVm[]): this {
    for (const vm of vms) {
      const sub = vm.subscriptionId ?? this.defaultSubscriptionId;
      this.vms.set(key(sub, vm.resourceGroup, vm.name), {
        subscriptionId: sub,
        resourceGroup: vm.resourceGroup,
        name: vm.name,
        id: `/subscriptions/${sub}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/virtualMachines/${vm.name}`,
        location: vm.location ?? 'westeurope',
        tags: { ...(vm.tags ?? {}) },
        vmSize: vm.vmSize ?? 'Standard_B2s',
        timeCreated: vm.timeCreated ?? '2026-01-01T00:00:00.000Z',
        provisioningState: 'Succeeded',
        powerState: vm.powerState ?? 'running',
      });
    }
    return this;
  }

  /** Sets a VM's tags, as someone editing them by hand would. */
  setTags(resourceGroup: string, name: string, tags: Record<string, string>): void {
    this.require(this.defaultSubscriptionId, resourceGroup, name).tags = { ...tags };
  }

  /** Sets a VM's power state, as someone using the portal would. */
  setPowerState(resourceGroup: string, name: string, state: VmPowerState): void {
    this.require(this.defaultSubscriptionId, resourceGroup, name).powerState = state;
  }

  remove(resourceGroup: string, name: string): void {
    this.vms.delete(key(this.defaultSubscriptionId, resourceGroup, name));
  }

  /** Makes the next `times` calls of `method` throw `error`. */
  failNext(method: Method, error: unknown, times = 1): this {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...Array(times).fill(error)]);
    return this;
  }

  peek(resourceGroup: string, name: string): VirtualMachineInfo | undefined {
    const vm = this.vms.get(key(this.defaultSubscriptionId, resourceGroup, name));
    return vm && copy(vm);
  }

  async *list(subscriptionId: string): AsyncIterable<VirtualMachineInfo> {
    this.enter('list');
    const prefix = `${subscriptionId.toLowerCase()}/`;
    for (const [k, vm] of [...this.vms].sort(([a], [b]) => a.localeCompare(b))) {
      if (!k.startsWith(prefix)) continue;
      const { powerState: _power, ...listed } = copy(vm);
      yield listed;
    }
  }

  async get(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
  ): Promise<VirtualMachineInfo | undefined> {
    this.enter('get');
    const vm = this.vms.get(key(subscriptionId, resourceGroup, name));
    return vm && copy(vm);
  }

  deallocate(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    checkpoint: LroCheckpoint = {},
  ): Promise<PowerActionResult> {
    return this.act('deallocate', subscriptionId, resourceGroup, name, checkpoint);
  }

  start(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    checkpoint: LroCheckpoint = {},
  ): Promise<PowerActionResult> {
    return this.act('start', subscriptionId, resourceGroup, name, checkpoint);
  }

  private async act(
    action: 'deallocate' | 'start',
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    checkpoint: LroCheckpoint,
  ): Promise<PowerActionResult> {
    this.enter(action);
    const vm = this.vms.get(key(subscriptionId, resourceGroup, name));
    if (!vm) return 'not-found';
    const locks = this.groups ? await this.groups.listLocks(subscriptionId, resourceGroup) : [];
    const readOnly = locksOnScope(locks, vm.id).filter((l) => l.level === 'ReadOnly');
    if (readOnly.length > 0) {
      throw armError(
        409,
        'ScopeLocked',
        `The scope '${vm.id}/${action}' cannot perform write operation because following scope(s) are locked: '${readOnly.map((l) => l.id.split('/providers/Microsoft.Authorization')[0]).join("', '")}'. Please remove the lock and try again.`,
      );
    }
    await checkpoint.saveResumeToken?.(`token-${action}-${name}`);
    this.actions.push({ action, name: vm.name, resumed: checkpoint.resumeToken !== undefined });
    vm.powerState = action === 'deallocate' ? 'deallocated' : 'running';
    return 'done';
  }

  private require(subscriptionId: string, resourceGroup: string, name: string) {
    const vm = this.vms.get(key(subscriptionId, resourceGroup, name));
    if (!vm) throw new Error(`no VM ${resourceGroup}/${name}`);
    return vm;
  }

  private enter(method: Method): void {
    const fault = this.faults.get(method)?.shift();
    if (fault !== undefined) throw fault;
  }
}

function key(subscriptionId: string, group: string, name: string): string {
  return `${subscriptionId}/${group}/${name}`.toLowerCase();
}

function copy(vm: VirtualMachineInfo): VirtualMachineInfo {
  return { ...vm, tags: { ...vm.tags } };
}
