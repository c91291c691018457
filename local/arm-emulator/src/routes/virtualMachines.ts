import { randomUUID } from 'node:crypto';
import { ArmError } from '../ArmError.js';
import type { ResourceRecord } from '../ArmState.js';
import { armErrors } from '../armErrors.js';
import { type ArmRequest, type ArmResponse, iso, json } from '../armRequest.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import type { OperationDurations } from '../EmulatorOptions.js';
import { assertWritable } from '../lockChecks.js';
import { requireWritableGroup } from './resourceGroups.js';

export const VM_TYPE = 'microsoft.compute/virtualmachines';

export const isVirtualMachine = (type: string) => type.toLowerCase() === VM_TYPE;

const ACTION_DURATIONS: Record<string, keyof OperationDurations> = {
  start: 'vmStart',
  poweroff: 'vmPowerOff',
  deallocate: 'vmDeallocate',
  restart: 'vmRestart',
};

const ACTION_NAMES: Record<string, string> = {
  start: 'start',
  poweroff: 'powerOff',
  deallocate: 'deallocate',
  restart: 'restart',
};

const TRANSITIONS: Record<string, string> = {
  start: 'starting',
  restart: 'starting',
  powerOff: 'stopping',
  deallocate: 'deallocating',
};

const POWER_DISPLAY: Record<string, string> = {
  running: 'VM running',
  starting: 'VM starting',
  stopping: 'VM stopping',
  stopped: 'VM stopped',
  deallocating: 'VM deallocating',
  deallocated: 'VM deallocated',
};

const PROVISIONING_DISPLAY: Record<string, string> = {
  Succeeded: 'Provisioning succeeded',
  Failed: 'Provisioning failed',
  Creating: 'Creating',
  Updating: 'Updating',
  Deleting: 'Deleting',
};

/**
 * Compute's checks on a VM definition: a network profile whose NICs exist. Compute answers these
 * with InvalidParameter and InvalidResourceReference.
 */
export function validateVirtualMachine(
  core: EmulatorCore,
  body: Record<string, unknown>,
  id: string,
) {
  const properties = (body.properties ?? {}) as Record<string, unknown>;
  const networkProfile = properties.networkProfile as
    | { networkInterfaces?: Array<{ id?: unknown }> }
    | undefined;
  const nics = networkProfile?.networkInterfaces;
  if (!Array.isArray(nics) || nics.length === 0) {
    throw new ArmError(
      400,
      'InvalidParameter',
      "Required parameter 'networkProfile' is missing (null).",
    );
  }
  for (const nic of nics) {
    const nicId = typeof nic?.id === 'string' ? nic.id : '';
    const found = nicId ? core.state.getResource(nicId) : undefined;
    if (found?.type.toLowerCase() !== 'microsoft.network/networkinterfaces') {
      throw armErrors.invalidResourceReference(nicId, id);
    }
  }
}

/** What compute stores of a VM definition: no admin password, plus vmId and timeCreated. */
export function virtualMachineProperties(
  input: Record<string, unknown>,
  existing: ResourceRecord | undefined,
  now: number,
): Record<string, unknown> {
  const properties = structuredClone(input);
  const osProfile = properties.osProfile as Record<string, unknown> | undefined;
  if (osProfile) delete osProfile.adminPassword;
  return {
    ...properties,
    vmId: existing?.properties.vmId ?? randomUUID(),
    timeCreated: existing?.properties.timeCreated ?? iso(now),
  };
}

/** The power state now: the settled one, or the transition an operation in flight is making. */
export function currentPowerState(core: EmulatorCore, vm: ResourceRecord): string | undefined {
  const operation = vm.operationId ? core.state.operations.get(vm.operationId) : undefined;
  if (operation?.status === 'InProgress') {
    if (operation.kind === 'vmAction') return TRANSITIONS[operation.action ?? ''];
    if (operation.kind === 'resourcePut' && !vm.powerState) return 'starting';
  }
  return vm.powerState;
}

export function instanceView(core: EmulatorCore, vm: ResourceRecord) {
  const power = currentPowerState(core, vm);
  const osProfile = vm.properties.osProfile as { computerName?: string } | undefined;
  return {
    ...(osProfile?.computerName ? { computerName: osProfile.computerName } : {}),
    statuses: [
      {
        code: `ProvisioningState/${vm.provisioningState.toLowerCase()}`,
        level: vm.provisioningState === 'Failed' ? 'Error' : 'Info',
        displayStatus: PROVISIONING_DISPLAY[vm.provisioningState] ?? vm.provisioningState,
        time: iso(vm.changedTime),
      },
      ...(power
        ? [{ code: `PowerState/${power}`, level: 'Info', displayStatus: POWER_DISPLAY[power] }]
        : []),
    ],
  };
}

/** POST start, powerOff, deallocate or restart: 202 with both polling headers, as compute does. */
export function virtualMachineAction(
  core: EmulatorCore,
  req: ArmRequest,
  vm: ResourceRecord,
  actionSegment: string,
): ArmResponse {
  const key = actionSegment.toLowerCase();
  const duration = ACTION_DURATIONS[key];
  const action = ACTION_NAMES[key];
  if (!duration || !action) throw armErrors.noRoute(req.method, req.path);
  requireWritableGroup(core, vm.subscriptionId, vm.id.split('/')[4] as string);
  assertWritable(core.state, vm.id, req.path);
  if (vm.provisioningState === 'Creating' || vm.provisioningState === 'Deleting') {
    throw armErrors.operationNotAllowed(
      `Operation '${action}' is not allowed on VM '${vm.name}' since the VM is ${vm.provisioningState === 'Creating' ? 'being created' : 'marked for deletion'}.`,
    );
  }
  if (action === 'restart' && vm.powerState === 'deallocated') {
    throw armErrors.operationNotAllowed(
      `Operation 'restart' is not allowed on VM '${vm.name}' since the VM is deallocated.`,
    );
  }
  const previous = vm.operationId ? core.state.operations.get(vm.operationId) : undefined;
  if (previous?.status === 'InProgress') {
    core.state.endOperation(previous, 'Canceled', req.now, {
      status: 409,
      code: 'OperationPreempted',
      message: 'Operation execution has been preempted by a more recent operation.',
    });
  }
  const operation = core.startOperation({
    kind: 'vmAction',
    subscriptionId: vm.subscriptionId,
    targetKey: vm.id.toLowerCase(),
    namespace: 'Microsoft.Compute',
    location: vm.location ?? 'global',
    apiVersion: req.apiVersion,
    duration,
    action,
  });
  vm.operationId = operation.id;
  vm.provisioningState = 'Updating';
  core.state.changed();
  return json(202, undefined, {
    'azure-asyncoperation': core.asyncOperationUrl(operation),
    location: `${core.operationResultUrl(operation)}&monitor=true`,
    'retry-after': core.retryAfter(operation),
  });
}
