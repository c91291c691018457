import { ArmError } from '../ArmError.js';
import type { OperationRecord } from '../ArmState.js';
import { type ArmResponse, iso, json } from '../armRequest.js';
import { resourceShape } from '../armShapes.js';
import type { EmulatorCore } from '../EmulatorCore.js';

function requireOperation(core: EmulatorCore, subscriptionId: string, id: string): OperationRecord {
  const operation = core.state.operations.get(id);
  if (!operation || operation.subscriptionId !== subscriptionId) {
    throw new ArmError(404, 'OperationNotFound', `The operation '${id}' could not be found.`);
  }
  return operation;
}

/** The `Azure-AsyncOperation` poll: always 200, with the status in the body. */
export function operationStatus(
  core: EmulatorCore,
  subscriptionId: string,
  id: string,
): ArmResponse {
  const operation = requireOperation(core, subscriptionId, id);
  const running = operation.status === 'InProgress';
  return json(
    200,
    {
      id: `/subscriptions/${subscriptionId}/providers/${operation.namespace}/locations/${operation.location}/${operation.statusSegment ?? 'operationStatuses'}/${operation.id}`,
      name: operation.id,
      status: operation.status,
      startTime: iso(operation.startedAt),
      ...(operation.endedAt !== undefined ? { endTime: iso(operation.endedAt) } : {}),
      ...(operation.error
        ? { error: { code: operation.error.code, message: operation.error.message } }
        : {}),
    },
    running ? { 'retry-after': core.retryAfter(operation) } : undefined,
  );
}

/** The `Location` poll: 202 while running, then the final result (200) or the error. */
export function operationResult(
  core: EmulatorCore,
  subscriptionId: string,
  id: string,
): ArmResponse {
  const operation = requireOperation(core, subscriptionId, id);
  if (operation.status === 'InProgress') {
    return json(202, undefined, {
      location: core.operationResultUrl(operation),
      'retry-after': core.retryAfter(operation),
    });
  }
  if (operation.error) {
    const { status, code, message } = operation.error;
    return json(status, { error: { code, message } });
  }
  if (operation.kind === 'resourcePut') {
    const resource = core.state.resources.get(operation.targetKey);
    if (resource) return json(200, resourceShape(resource, {}, core.state));
  }
  return json(200);
}
