/**
 * The real `VirtualMachines`: ARM through `@azure/arm-compute`, with the clients from
 * `createArmClients` and the power actions through `runLro` (resume tokens, timeout,
 * classification).
 */
import type { VirtualMachine } from '@azure/arm-compute';
import type { Clock } from '../clock.js';
import { AzureRequestError, classifyError, LroFailedError } from '../errors.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { runLro } from '../lro/runLro.js';
import { toLroPoller } from '../lro/toLroPoller.js';
import type { ArmClients } from './armClients.js';
import type { LroCheckpoint } from './ResourceGroups.js';
import type {
  PowerActionResult,
  VirtualMachineInfo,
  VirtualMachines,
  VmPowerState,
} from './VirtualMachines.js';

export interface ArmVirtualMachinesOptions {
  /** One action's budget. Default: none. */
  lroTimeoutMs?: number;
  /** Fixed poll interval; default: ARM's `Retry-After`. */
  pollIntervalMs?: number;
  logger?: Logger;
  clock?: Clock;
}

const POWER_STATES = new Set<VmPowerState>([
  'running',
  'starting',
  'stopping',
  'stopped',
  'deallocating',
  'deallocated',
]);

export class ArmVirtualMachines implements VirtualMachines {
  private readonly log: Logger;

  /**
   * @param clientsFor the ARM clients of a subscription (see `createArmClients`).
   *
   * @example
   * const vms = new ArmVirtualMachines((sub) => createArmClients(config, credential, { subscriptionId: sub }));
   */
  constructor(
    private readonly clientsFor: (subscriptionId: string) => Promise<ArmClients>,
    private readonly options: ArmVirtualMachinesOptions = {},
  ) {
    this.log = options.logger ?? silentLogger;
  }

  async *list(subscriptionId: string): AsyncIterable<VirtualMachineInfo> {
    const { compute } = await this.clientsFor(subscriptionId);
    try {
      for await (const page of compute.virtualMachines.listAll().byPage()) {
        for (const vm of page) yield toInfo(subscriptionId, vm);
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async get(
    subscriptionId: string,
    resourceGroup: string,
    name: string,
  ): Promise<VirtualMachineInfo | undefined> {
    const { compute } = await this.clientsFor(subscriptionId);
    try {
      const vm = await compute.virtualMachines.get(resourceGroup, name, {
        expand: 'instanceView',
      });
      return toInfo(subscriptionId, vm);
    } catch (error) {
      if (classifyError(error).status === 404) return undefined;
      throw AzureRequestError.from(error);
    }
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
    const { compute } = await this.clientsFor(subscriptionId);
    const operation = compute.virtualMachines[action];
    try {
      await runLro<void>({
        operation: `${action} virtual machine ${name}`,
        begin: async (o) => {
          const options = {
            ...(o.updateIntervalInMs === undefined
              ? {}
              : { updateIntervalInMs: o.updateIntervalInMs }),
            abortSignal: o.abortSignal,
          };
          if (o.resumeFrom !== undefined) {
            const { restorePoller } = await import('@azure/arm-compute');
            return toLroPoller(restorePoller(compute, o.resumeFrom, operation, options));
          }
          return toLroPoller(operation(resourceGroup, name, options));
        },
        ...(checkpoint.resumeToken === undefined ? {} : { resumeToken: checkpoint.resumeToken }),
        ...(checkpoint.saveResumeToken ? { saveResumeToken: checkpoint.saveResumeToken } : {}),
        ...(checkpoint.signal ? { signal: checkpoint.signal } : {}),
        ...(this.options.lroTimeoutMs === undefined
          ? {}
          : { timeoutMs: this.options.lroTimeoutMs }),
        ...(this.options.pollIntervalMs === undefined
          ? {}
          : { pollIntervalMs: this.options.pollIntervalMs }),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        logger: this.log.child({ virtualMachine: name, resourceGroup }),
      });
      return 'done';
    } catch (error) {
      if (error instanceof LroFailedError && error.status === 404) return 'not-found';
      throw error;
    }
  }
}

/** ARM's VM as the port's plain data. */
export function toInfo(subscriptionId: string, vm: VirtualMachine): VirtualMachineInfo {
  const name = vm.name ?? '';
  const id = vm.id ?? '';
  const resourceGroup = /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1] ?? '';
  const created = (vm as { timeCreated?: Date | string }).timeCreated;
  const power = vm.instanceView?.statuses
    ?.map((s) => s.code ?? '')
    .find((code) => code.toLowerCase().startsWith('powerstate/'))
    ?.slice('PowerState/'.length)
    .toLowerCase();
  return {
    subscriptionId,
    resourceGroup,
    name,
    id,
    location: vm.location ?? '',
    tags: { ...(vm.tags ?? {}) },
    ...(vm.hardwareProfile?.vmSize ? { vmSize: vm.hardwareProfile.vmSize } : {}),
    ...(created === undefined
      ? {}
      : { timeCreated: created instanceof Date ? created.toISOString() : String(created) }),
    provisioningState: vm.provisioningState ?? 'Succeeded',
    ...(vm.instanceView
      ? {
          powerState:
            power && POWER_STATES.has(power as VmPowerState) ? (power as VmPowerState) : 'unknown',
        }
      : {}),
  };
}
