import type { ArmState, OperationRecord } from './ArmState.js';
import { armErrors } from './armErrors.js';
import { resourceTypeOf } from './providers/resourceTypes.js';

/** The power state a VM settles in after each action. */
export const VM_ACTION_RESULT: Record<string, string> = {
  start: 'running',
  powerOff: 'stopped',
  deallocate: 'deallocated',
  restart: 'running',
};

const OPERATION_NAMES: Record<OperationRecord['kind'], string> = {
  groupDelete: 'DeleteResourceGroup',
  resourcePut: 'PutResource',
  resourceDelete: 'DeleteResource',
  vmAction: 'VirtualMachineAction',
};

/**
 * Applies a due operation's outcome to the state: the group or resource is removed, or settles in
 * its new provisioning and power state, or the operation ends `Failed` when faults said so.
 */
export function completeOperation(operation: OperationRecord, state: ArmState, now: number): void {
  const at = Math.min(now, operation.completesAt);
  const failure = operation.failure ?? (operation.willFail ? failureOf(operation) : undefined);
  if (operation.kind === 'groupDelete') {
    const group = state.groups.get(operation.targetKey);
    if (group && group.deleteOperationId === operation.id) {
      const failure = operation.willFail
        ? groupDeletionFailure(state, group.name, operation)
        : undefined;
      if (failure) {
        delete group.deleteOperationId;
        state.endOperation(operation, 'Failed', at, failure);
      } else {
        state.removeGroup(group);
      }
    }
    return;
  }
  const resource = state.resources.get(operation.targetKey);
  if (!resource || resource.operationId !== operation.id) {
    // The resource went away (its group was deleted) or a newer operation took over.
    state.endOperation(operation, 'Canceled', at, {
      status: 409,
      code: 'OperationPreempted',
      message: 'Operation execution has been preempted by a more recent operation.',
    });
    return;
  }
  delete resource.operationId;
  resource.changedTime = at;
  if (failure) {
    resource.provisioningState = 'Failed';
    state.endOperation(operation, 'Failed', at, failure);
    return;
  }
  switch (operation.kind) {
    case 'resourcePut':
      resource.provisioningState = 'Succeeded';
      if (resource.type.toLowerCase() === 'microsoft.compute/virtualmachines') {
        resource.powerState = 'running';
      }
      resourceTypeOf(resource.type)?.onSucceeded?.(resource, state, at);
      break;
    case 'resourceDelete':
      state.removeResource(resource.id);
      break;
    case 'vmAction':
      resource.provisioningState = 'Succeeded';
      resource.powerState = VM_ACTION_RESULT[operation.action ?? ''] ?? resource.powerState;
      break;
  }
  state.changed();
}

function groupDeletionFailure(
  state: ArmState,
  name: string,
  operation: OperationRecord,
): NonNullable<OperationRecord['error']> {
  const ids = [...state.resourceKeysInGroup(operation.targetKey)]
    .map((key) => state.resources.get(key)?.id)
    .filter(Boolean);
  return {
    status: 409,
    code: 'ResourceGroupDeletionBlocked',
    message: `Deletion of resource group '${name}' failed as resources with identifiers '${ids.join(',')}' could not be deleted. The provisioning state of the resource group will be rolled back. The tracking Id is '${operation.id}'. Please check audit logs for more details.`,
  };
}

function failureOf(operation: OperationRecord): NonNullable<OperationRecord['error']> {
  const error = armErrors.operationFailed(OPERATION_NAMES[operation.kind]);
  return { status: error.status, code: error.code, message: error.message };
}
