import { recordAudit } from '../../shared/audit/recordAudit.js';
import { type Caller, mayActFor, ownerFor } from '../../shared/auth/Caller.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { enqueueOperation } from './enqueueOperation.js';
import { NotSandboxOwnerError } from './errors.js';
import { findSandbox } from './getSandbox.js';
import type { Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * Queues the deletion of a sandbox's group and returns the teardown operation. Only its owner or
 * an admin may; naming another `owner` (`?owner=`) is an admin's alone.
 *
 * @example
 * const operation = await requestTeardown(deps, { name: 'ana-1', caller });
 * // 202, Location: /api/operations/${operation.id}
 */
export async function requestTeardown(
  deps: ProvisioningDeps,
  input: { name: string; caller: Caller; owner?: string },
): Promise<Operation> {
  const { caller } = input;
  ownerFor(caller, input.owner);
  const sandbox = await findSandbox(deps, input.name);
  if (!mayActFor(caller, sandbox.owner)) {
    throw new NotSandboxOwnerError(sandbox.name, caller.name);
  }
  const now = deps.clock.now().toISOString();
  const operation: Operation = {
    id: deps.newId(),
    kind: 'teardown',
    status: 'queued',
    sandbox: sandbox.name,
    owner: sandbox.owner,
    subscriptionId: deps.settings.subscriptionId,
    requestedBy: caller.name,
    requestedById: caller.id,
    steps: [{ name: 'resourceGroup', resourceId: sandbox.resourceGroupId, state: 'pending' }],
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
  await deps.records.create(recordKeys.operation(operation.id), operation);
  await recordAudit(
    deps.records,
    {
      at: now,
      actor: caller.name,
      action: 'sandbox.teardown-requested',
      subscriptionId: deps.settings.subscriptionId,
      resourceGroup: sandbox.name,
      operationId: operation.id,
    },
    operation.id,
  );
  await enqueueOperation(deps, operation);
  return operation;
}
