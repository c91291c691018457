/**
 * The port through which services see and power Azure virtual machines. One real implementation
 * talks to ARM through `@azure/arm-compute` (`ArmVirtualMachines`); fast tests use an in-memory
 * fake checked against the same contract.
 */
import type { LroCheckpoint } from './ResourceGroups.js';

/** A VM's power state, from its instance view's `PowerState/*` status. */
export type VmPowerState =
  | 'running'
  | 'starting'
  | 'stopping'
  | 'stopped'
  | 'deallocating'
  | 'deallocated'
  | 'unknown';

/** A virtual machine as the services need it: plain data, tags always present. */
export interface VirtualMachineInfo {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** Full ARM id. */
  id: string;
  location: string;
  tags: Record<string, string>;
  /** `hardwareProfile.vmSize`, for example `Standard_B2s`. */
  vmSize?: string;
  /** When compute created the VM (`timeCreated`), ISO 8601. */
  timeCreated?: string;
  provisioningState: string;
  /** Only `get` reads the instance view; a listed VM has none. */
  powerState?: VmPowerState;
}

/** How a power action ended: done, or the VM is gone. */
export type PowerActionResult = 'done' | 'not-found';

export interface VirtualMachines {
  /** Every VM in the subscription (without power state), paging through `nextLink`. */
  list(subscriptionId: string): AsyncIterable<VirtualMachineInfo>;
  /** The VM with its power state, or `undefined` when ARM answers 404. */
  get(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
  ): Promise<VirtualMachineInfo | undefined>;
  /**
   * Stops and deallocates the VM (compute stops billing for it) through ARM's long-running
   * `deallocate` action, resuming from `checkpoint.resumeToken` when one was saved.
   */
  deallocate(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    checkpoint?: LroCheckpoint,
  ): Promise<PowerActionResult>;
  /** Starts the VM through ARM's long-running `start` action. */
  start(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
    checkpoint?: LroCheckpoint,
  ): Promise<PowerActionResult>;
}
