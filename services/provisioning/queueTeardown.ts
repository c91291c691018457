import { recordAudit } from '../../shared/audit/recordAudit.js';
import { RecordConflictError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { enqueueOperation } from './enqueueOperation.js';
import type { Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { claimTeardown } from './teardownClaim.js';

/** The sandbox to tear down, and who asks. */
export interface TeardownRequest {
  sandbox: { name: string; owner: string; resourceGroupId: string };
  /** Who asks, for people (a caller's name, or `worker`). */
  requestedBy: string;
  requestedById?: string;
}

/**
 * The one way a sandbox's teardown starts: a new teardown operation claims the sandbox
 * (`claimTeardown`), is written, audited and queued; while another teardown holds the sandbox,
 * that one is returned instead, so ARM sees one delete however many ask. The caller has decided
 * that the teardown may happen (owner, admin, or the app's own policy).
 *
 * @example
 * const operation = await queueTeardown(deps, { sandbox, requestedBy: caller.name, requestedById: caller.id });
 */
export async function queueTeardown(
  deps: ProvisioningDeps,
  request: TeardownRequest,
): Promise<Operation> {
  const { sandbox } = request;
  const now = deps.clock.now().toISOString();
  const operation: Operation = {
    id: deps.newId(),
    kind: 'teardown',
    status: 'queued',
    sandbox: sandbox.name,
    owner: sandbox.owner,
    subscriptionId: deps.settings.subscriptionId,
    requestedBy: request.requestedBy,
    ...(request.requestedById ? { requestedById: request.requestedById } : {}),
    steps: [{ name: 'resourceGroup', resourceId: sandbox.resourceGroupId, state: 'pending' }],
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
  const claim = await claimTeardown(deps, operation);
  if (!claim.claimed) return claim.operation;
  try {
    await deps.records.create(recordKeys.operation(operation.id), operation);
  } catch (error) {
    // A repeat of this request wrote it from the claim first.
    if (!(error instanceof RecordConflictError)) throw error;
  }
  await recordAudit(
    deps.records,
    {
      at: now,
      actor: request.requestedBy,
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
