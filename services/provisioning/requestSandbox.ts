import { PolicyViolationError, ValidationError } from '../../shared/apiErrors.js';
import { recordAudit } from '../../shared/audit/recordAudit.js';
import type { Caller } from '../../shared/auth/Caller.js';
import { RecordConflictError } from '../../shared/errors.js';
import { claimRecord } from '../../shared/records/claimRecord.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { formatCreatedBy } from '../sandbox/formatCreatedBy.js';
import { countOwnerSandboxes } from './countOwnerSandboxes.js';
import { enqueueOperation, resumeQueuedOperation } from './enqueueOperation.js';
import { IdempotencyKeyReuseError, SandboxExistsError } from './errors.js';
import { checkOwnerQuota } from './evaluateSandboxPolicy.js';
import { hashRequest } from './hashRequest.js';
import { isTerminal, type Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { prepareSandboxRequest } from './prepareSandboxRequest.js';
import { resendStrandedOperation } from './resendStrandedOperation.js';
import { writeOwnerWebhook } from './writeOwnerWebhook.js';

export interface SandboxRequestInput {
  /** The parsed JSON body, still unvalidated. */
  body: unknown;
  /** Who is calling, proven by the HTTP adapter. */
  caller: Caller;
  idempotencyKey?: string;
}

export interface AcceptedRequest {
  operation: Operation;
  /** True when an earlier request with the same `Idempotency-Key` already made this operation. */
  replayed: boolean;
}

/** `idempotency/{hash}.json`: which operation a key made, and for which request. */
export interface IdempotencyRecord {
  requestHash: string;
  operationId: string;
  createdAt: string;
}

/** `sandboxes/{name}.json`: the operation that holds a sandbox name while it is being created. */
export interface NameReservation {
  operationId: string;
  createdAt: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Accepts a sandbox request: validates everything before writing anything, then records the
 * operation and queues it. Writes happen in an order that a retry can always finish: the
 * idempotency binding, the name reservation, the owner's webhook, the operation, then the audit
 * entry and the message together. When queueing fails the operation is marked failed (nothing
 * is left `queued` for ever) and `EnqueueFailedError` is thrown; a retry with the same
 * `Idempotency-Key` starts it afresh.
 *
 * @example
 * const { operation } = await requestSandbox(deps, { body, caller, idempotencyKey });
 * // 202, Location: /api/operations/${operation.id}
 */
export async function requestSandbox(
  deps: ProvisioningDeps,
  input: SandboxRequestInput,
): Promise<AcceptedRequest> {
  const { settings } = deps;
  if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw new ValidationError([
      { rule: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' },
    ]);
  }
  const now = deps.clock.now();
  const prepared = prepareSandboxRequest({
    body: input.body,
    caller: input.caller,
    now,
    subscriptionId: settings.subscriptionId,
    policy: settings.policy,
    blueprints: deps.blueprints,
    powerDefaults: settings.powerDefaults,
    allowPrivateWebhooks: settings.allowPrivateWebhooks,
  });
  const { request } = prepared;
  const requestHash = hashRequest(request);

  let operationId = deps.newId();
  let binding: { key: string; etag?: string } | undefined;
  if (input.idempotencyKey !== undefined) {
    const key = recordKeys.idempotency(request.owner, input.idempotencyKey);
    const existing = await deps.records.get<IdempotencyRecord>(key);
    if (existing) {
      if (existing.value.requestHash !== requestHash) {
        throw new IdempotencyKeyReuseError(existing.value.operationId);
      }
      const earlier = await deps.records.get<Operation>(
        recordKeys.operation(existing.value.operationId),
      );
      if (
        earlier &&
        !(earlier.value.status === 'failed' && earlier.value.error?.code === 'EnqueueFailed')
      ) {
        // The earlier request got as far as its operation; finish what it may not have.
        if (earlier.value.status === 'queued') await resumeQueuedOperation(deps, earlier.value);
        return { operation: earlier.value, replayed: true };
      }
      if (earlier) binding = { key, etag: existing.etag };
      else operationId = existing.value.operationId;
    } else {
      binding = { key };
    }
  }

  await ensureNameFree(deps, request.name, [request.owner, request.ownerName]);

  if (binding) {
    const value: IdempotencyRecord = { requestHash, operationId, createdAt: now.toISOString() };
    try {
      if (binding.etag) await deps.records.replace(binding.key, value, binding.etag);
      else await deps.records.create(binding.key, value);
    } catch (error) {
      if (!(error instanceof RecordConflictError)) throw error;
      // Another request with the same key won the race: answer as a retry of it would.
      return requestSandbox(deps, input);
    }
  }
  await reserveName(deps, request.name, operationId, now);

  const operation: Operation = {
    id: operationId,
    kind: 'provision',
    status: 'queued',
    sandbox: request.name,
    owner: request.owner,
    subscriptionId: settings.subscriptionId,
    requestedBy: input.caller.name,
    requestedById: input.caller.id,
    ...createdByOf(input.caller),
    request,
    expiresAt: prepared.expiresAt.toISOString(),
    steps: [],
    attempts: 0,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  // The owner's webhook is written with every request, so a sandbox that reuses a name never
  // inherits another's, and beside the operation: should only the operation land, whoever sends
  // its message later (a retry with the same key, the stranded operation's resend) writes the
  // webhook first (`resumeQueuedOperation`).
  await Promise.all([
    writeOwnerWebhook(deps, operation),
    deps.records.create(recordKeys.operation(operationId), operation).catch((error: unknown) => {
      if (!(error instanceof RecordConflictError)) throw error;
    }),
  ]);
  // The audit entry beside the message; should either fail, a retry with the same key finds the
  // operation and finishes its queueing.
  await Promise.all([
    recordAudit(
      deps.records,
      {
        at: now.toISOString(),
        actor: operation.requestedBy,
        action: 'sandbox.requested',
        subscriptionId: settings.subscriptionId,
        resourceGroup: request.name,
        operationId,
        details: {
          blueprint: request.blueprint,
          location: request.location,
          expiresAt: operation.expiresAt,
        },
      },
      operationId,
      // The name was free: its group has no history yet, unless the name is being reused.
      { newGroup: true },
    ),
    enqueueOperation(deps, operation),
  ]);
  return { operation, replayed: false };
}

/** The `created-by` the sandbox's group will carry: the caller. */
function createdByOf(caller: Caller): { createdBy?: string } {
  const createdBy = formatCreatedBy({
    kind: caller.kind,
    name: caller.name,
    objectId: caller.id,
    ...(caller.appId ? { appId: caller.appId } : {}),
  });
  return createdBy ? { createdBy } : {};
}

/** 409 when a group of that name exists (managed or not); 422 when the owner is at quota. */
async function ensureNameFree(
  deps: ProvisioningDeps,
  name: string,
  owner: readonly string[],
): Promise<void> {
  const { settings } = deps;
  // Both reads at once; a group of that name answers 409 whatever the count.
  const [existing, active] = await Promise.all([
    deps.groups.get(settings.subscriptionId, name),
    countOwnerSandboxes(deps, owner, name),
  ]);
  if (existing) throw new SandboxExistsError(name);
  const violations = checkOwnerQuota(active, settings.policy);
  if (violations.length > 0) throw new PolicyViolationError(violations);
}

/**
 * Holds the name for this operation. A name held by another operation that is still queued or
 * running is taken; one held by a finished operation (its group is gone, as checked before) or
 * by an operation that was never written is free again.
 */
async function reserveName(
  deps: ProvisioningDeps,
  name: string,
  operationId: string,
  now: Date,
): Promise<void> {
  const outcome = await claimRecord<NameReservation>(
    deps.records,
    recordKeys.nameReservation(name),
    { operationId, createdAt: now.toISOString() },
    {
      holderOf: (held) => held.operationId,
      isActive: async (held) => {
        const holder = await deps.records.get<Operation>(recordKeys.operation(held.operationId));
        if (!holder || isTerminal(holder.value.status)) return false;
        // The name stays taken; if its operation was stranded before queueing, that one resumes.
        await resendStrandedOperation(deps, holder.value);
        return true;
      },
    },
  );
  if (!outcome.won) throw new SandboxExistsError(name);
}
