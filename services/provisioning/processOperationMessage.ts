import { PolicyViolationError, ValidationError } from '../../shared/apiErrors.js';
import type { LroCheckpoint, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { recordAudit } from '../../shared/audit/recordAudit.js';
import { AppError, classifyError, RecordConflictError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging/logger.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import {
  sandboxDeleted,
  sandboxProvisioned,
  sandboxProvisioningFailed,
} from '../notifications/events.js';
import { normalizedInstant } from '../sandbox/normalizedInstant.js';
import type { SandboxRecord } from '../sandbox/SandboxRecord.js';
import {
  buildSandboxTags,
  isManagedBy,
  readTag,
  TAG_CREATED_AT,
  TAG_CREATED_BY,
  TAG_EXPIRES_AT,
  TAG_OPERATION_ID,
  TAG_POWER_SCHEDULE,
} from '../sandbox/sandboxTags.js';
import { applyFailedSandboxPolicy, needsFailedSandboxPolicy } from './applyFailedSandboxPolicy.js';
import { type Blueprint, layoutBlueprint } from './blueprints/Blueprint.js';
import { planBlueprint } from './blueprints/planBlueprint.js';
import { type ResourceSpec, resourceIdOf } from './blueprints/ResourceSpec.js';
import { countOwnerSandboxes } from './countOwnerSandboxes.js';
import { SandboxExistsError } from './errors.js';
import { checkOwnerQuota, evaluateSandboxPolicy } from './evaluateSandboxPolicy.js';
import {
  isTerminal,
  type Operation,
  type OperationError,
  type OperationStep,
  type PartialGroup,
  transitionOperation,
  updateStep,
} from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { provisionMessageSchema } from './ProvisionMessage.js';

/** What became of a message: the operation's end, or `skipped` when there was nothing to do. */
export type MessageOutcome = 'succeeded' | 'failed' | 'skipped';

const RESOURCE_GROUP_STEP = 'resourceGroup';

/**
 * Carries out the operation a `provision-requests` message names. Re-delivery is harmless: a
 * finished operation is skipped, finished steps are skipped, a step with a saved resume token
 * resumes its long-running operation, and a resource that already exists is not created again.
 *
 * Transient failures (429, 5xx, network, an ETag race) are thrown, so the queue delivers the
 * message again; the reason is kept on the operation for the poison handler. Permanent failures
 * (policy, validation, ARM 4xx) end the operation `failed` with ARM's code and message, and the
 * message completes; a failed provisioning reports what became of the group it left
 * (`applyFailedSandboxPolicy`).
 *
 * @example
 * app.storageQueue('provisionWorker', { queueName: 'provision-requests', connection: 'AzureWebJobsStorage',
 *   handler: (message, context) => processOperationMessage(deps, message) });
 */
export async function processOperationMessage(
  deps: ProvisioningDeps,
  message: unknown,
): Promise<MessageOutcome> {
  const parsed = provisionMessageSchema.safeParse(message);
  if (!parsed.success) {
    deps.logger.error('dropping a malformed provision-requests message', { message });
    return 'skipped';
  }
  const log = deps.logger.child({ operationId: parsed.data.operationId });
  const journal = await openJournal(deps, parsed.data.operationId);
  const stored = journal.value;
  if (!stored) {
    log.error('no operation record for this message; nothing to do');
    return 'skipped';
  }
  if (isTerminal(stored.status)) {
    if (needsFailedSandboxPolicy(stored)) {
      // The delivery that failed it could not settle its group: this one does.
      await settlePartialGroup(deps, journal, await applyFailedSandboxPolicy(deps, stored));
      return 'failed';
    }
    log.info('operation already finished; message was a re-delivery', { status: stored.status });
    return 'skipped';
  }
  // A provisioning's plan is worked out before the operation is marked running, so that one write
  // marks it running and lists its steps; a plan that cannot be made fails the operation below.
  let prepared: PreparedProvision | { error: unknown } | undefined;
  if (stored.kind === 'provision') {
    try {
      prepared = prepareProvision(deps, stored);
    } catch (error) {
      prepared = { error };
    }
  }
  const steps = prepared && 'steps' in prepared ? prepared.steps : undefined;
  let operation = await journal.update((op) => ({
    ...(op.status === 'queued' ? transitionOperation(op, 'running', deps.clock.now()) : op),
    attempts: op.attempts + 1,
    // The group's step starts at once: it is listed running.
    ...(steps && op.steps.length === 0 ? { steps } : {}),
  }));
  const sandboxLog = log.child({ sandbox: operation.sandbox, kind: operation.kind });
  sandboxLog.info('operation started', { attempt: operation.attempts });
  try {
    if (operation.kind === 'provision') {
      if (!prepared || 'error' in prepared) throw prepared?.error;
      await provision(deps, journal, operation, prepared, sandboxLog);
    } else if (operation.kind === 'teardown') await teardown(deps, journal, operation);
    else
      throw new AppError(`A ${operation.kind} operation has no work to carry out.`, {
        kind: 'permanent',
        code: 'NothingToCarryOut',
      });
  } catch (error) {
    const classification = classifyError(error);
    const reason: OperationError = { code: classification.code, message: classification.message };
    if (classification.kind === 'transient') {
      sandboxLog.warn('transient failure; the queue will deliver the message again', { ...reason });
      await journal
        .update((op) => ({
          ...op,
          lastTransientError: reason,
          updatedAt: deps.clock.now().toISOString(),
        }))
        .catch(() => undefined);
      throw error;
    }
    sandboxLog.error('operation failed', { ...reason });
    // The group it leaves is settled first, so the operation reads failed with what became of it.
    let partialGroup: PartialGroup | undefined;
    let unsettled: unknown;
    if (operation.kind === 'provision') {
      try {
        partialGroup = await applyFailedSandboxPolicy(deps, journal.value!);
      } catch (policyError) {
        unsettled = policyError;
      }
    }
    operation = await journal.update((op) =>
      isTerminal(op.status)
        ? op
        : {
            ...transitionOperation(
              failRunningSteps(op, reason),
              'failed',
              deps.clock.now(),
              reason,
            ),
            ...(partialGroup ? { partialGroup } : {}),
          },
    );
    await audit(deps, operation, 'operation.failed', {
      error: reason,
      ...(partialGroup ? { partialGroup } : {}),
    });
    await emitOutcome(deps, operation);
    // Transient: the next delivery finds the operation failed and settles its group then.
    if (unsettled !== undefined) throw unsettled;
    return 'failed';
  }
  // The last step's success is recorded with the operation's (see `runStep`).
  operation = await journal.update((op) =>
    isTerminal(op.status)
      ? op
      : transitionOperation(completeRunningSteps(op), 'succeeded', deps.clock.now()),
  );
  sandboxLog.info('operation succeeded');
  // The audit entry and the event at once, as they were one after the other: a redelivery writes
  // neither again, since the operation is finished.
  await Promise.all([audit(deps, operation, 'operation.succeeded'), emitOutcome(deps, operation)]);
  return 'succeeded';
}

/**
 * The event of an operation's end: `sandbox.provisioned`, `sandbox.provisioning-failed` or
 * `sandbox.deleted` (a failed teardown tells nobody anything new). Its id is the operation's.
 *
 * @example
 * await emitOutcome(deps, operation);
 */
export async function emitOutcome(
  deps: Pick<ProvisioningDeps, 'events' | 'clock'>,
  operation: Operation,
): Promise<void> {
  const facts = {
    sandbox: operation.sandbox,
    subscriptionId: operation.subscriptionId,
    owner: operation.owner,
    ...(operation.request?.ownerName ? { ownerName: operation.request.ownerName } : {}),
    operationId: operation.id,
    time: deps.clock.now().toISOString(),
  };
  const blueprint = operation.request?.blueprint;
  if (operation.kind === 'teardown') {
    if (operation.status === 'succeeded') {
      await deps.events.publish(sandboxDeleted({ ...facts, by: 'owner' }));
    }
  } else if (operation.status === 'succeeded') {
    await deps.events.publish(
      sandboxProvisioned({
        ...facts,
        ...(blueprint ? { blueprint } : {}),
        ...(operation.expiresAt ? { expiresAt: operation.expiresAt } : {}),
      }),
    );
  } else if (operation.status === 'failed') {
    await deps.events.publish(
      sandboxProvisioningFailed({
        ...facts,
        ...(blueprint ? { blueprint } : {}),
        error: operation.error ?? { code: 'Failed', message: 'The operation failed.' },
        ...(operation.partialGroup ? { partialGroup: operation.partialGroup } : {}),
      }),
    );
  }
}

/** What a provisioning will create, worked out from its request before anything is done. */
interface PreparedProvision {
  blueprint: Blueprint;
  request: NonNullable<Operation['request']>;
  waves: ResourceSpec[][];
  /** The operation's steps: the group's (running), then one per resource (pending). */
  steps: OperationStep[];
}

/**
 * Lays the operation's blueprint out and checks it against today's policy (which may have
 * tightened since the request was accepted: the worker has the last word). Throws the validation
 * or policy error that fails the operation.
 */
function prepareProvision(deps: ProvisioningDeps, operation: Operation): PreparedProvision {
  const { settings } = deps;
  const request = operation.request;
  const blueprint = request && deps.blueprints.get(request.blueprint);
  if (!request || !blueprint || !operation.expiresAt) {
    throw new ValidationError([
      { rule: 'blueprint', message: `unknown blueprint '${request?.blueprint ?? ''}'` },
    ]);
  }
  const { resources } = layoutBlueprint(blueprint, {
    subscriptionId: operation.subscriptionId,
    sandbox: operation.sandbox,
    location: request.location,
    parameters: request.parameters ?? {},
    secret: deps.secret,
  });
  const waves = planBlueprint(blueprint.name, resources);
  const violations = evaluateSandboxPolicy(
    {
      name: request.name,
      location: request.location,
      ttlHours: request.ttlHours,
      userTags: request.tags ?? {},
      resources,
    },
    settings.policy,
  );
  if (violations.length > 0) throw new PolicyViolationError(violations);
  const groupId = `/subscriptions/${operation.subscriptionId}/resourceGroups/${operation.sandbox}`;
  const steps: OperationStep[] = [
    { name: RESOURCE_GROUP_STEP, resourceId: groupId, state: 'running' },
    ...waves.flat().map(
      (spec): OperationStep => ({
        name: spec.key,
        resourceId: resourceIdOf(operation.subscriptionId, operation.sandbox, spec),
        state: 'pending',
      }),
    ),
  ];
  return { blueprint, request, waves, steps };
}

async function provision(
  deps: ProvisioningDeps,
  journal: OperationJournal,
  operation: Operation,
  { blueprint, request, waves }: PreparedProvision,
  log: Logger,
): Promise<void> {
  const { settings } = deps;
  await runStep(
    deps,
    journal,
    RESOURCE_GROUP_STEP,
    async () => {
      // Requests accepted at the same time each saw the owner under quota; the last word is ARM's
      // count just before the group is created, read beside the group itself (a redelivery that
      // finds its group made spends the count for nothing; a first delivery waits for one read).
      const [existing, held] = await Promise.all([
        retried(deps, () => deps.groups.get(operation.subscriptionId, operation.sandbox)),
        retried(deps, () =>
          countOwnerSandboxes(
            deps,
            [operation.owner, ...(request.ownerName ? [request.ownerName] : [])],
            operation.sandbox,
          ),
        ),
      ]);
      if (existing) {
        if (readTag(existing.tags, TAG_OPERATION_ID) !== operation.id)
          throw new SandboxExistsError(operation.sandbox);
        if (existing.provisioningState === 'Deleting') {
          throw new AppError(`Resource group ${operation.sandbox} is being deleted.`, {
            kind: 'permanent',
            code: 'ResourceGroupBeingDeleted',
          });
        }
        // A delivery that died after creating the group: the record may not have been written.
        await recordSandbox(deps, operation, existing);
        return;
      }
      const quota = checkOwnerQuota(held, settings.policy);
      if (quota.length > 0) throw new PolicyViolationError(quota);
      const tags = buildSandboxTags(
        {
          managedBy: settings.appName,
          owner: operation.owner,
          ownerName: request.ownerName ?? operation.owner,
          expiresAt: new Date(operation.expiresAt!),
          blueprint: blueprint.name,
          operationId: operation.id,
          createdBy: operation.createdBy ?? operation.requestedBy,
          createdAt: deps.clock.now(),
        },
        request.tags,
      );
      if (request.powerSchedule !== undefined) tags[TAG_POWER_SCHEDULE] = request.powerSchedule;
      const created = await retried(deps, () =>
        deps.groups.createOrUpdate(operation.subscriptionId, operation.sandbox, {
          location: request.location,
          tags,
        }),
      );
      await recordSandbox(deps, operation, created);
    },
    { last: waves.length === 0 },
  );

  for (const [index, wave] of waves.entries()) {
    log.info('creating resources', {
      wave: index + 1,
      of: waves.length,
      resources: wave.map((r) => r.key),
    });
    const results = await Promise.allSettled(
      wave.map((spec) => createResource(deps, journal, spec)),
    );
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

/**
 * The sandbox's record (see `SandboxRecord`), once its group exists: what Azure's events about the
 * group are later measured against. A record this operation wrote already is kept as it is.
 */
async function recordSandbox(
  deps: ProvisioningDeps,
  operation: Operation,
  group: ResourceGroupInfo,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  // The group's own `created-at` (this operation wrote it) keys the record, so a redelivery finds
  // the record it wrote before.
  const createdAt =
    normalizedInstant(readTag(group.tags, TAG_CREATED_AT)) ?? group.createdTime ?? now;
  const createdBy = readTag(group.tags, TAG_CREATED_BY);
  const expiresAt = readTag(group.tags, TAG_EXPIRES_AT);
  const record: SandboxRecord = {
    subscriptionId: operation.subscriptionId,
    name: group.name || operation.sandbox,
    origin: 'provisioned',
    operationId: operation.id,
    owner: operation.owner,
    ...(operation.request?.ownerName ? { ownerName: operation.request.ownerName } : {}),
    ...(createdBy ? { createdBy } : {}),
    createdAt,
    ...(expiresAt ? { expiresAt } : {}),
    status: 'active',
    updatedAt: now,
  };
  try {
    await deps.records.create(
      recordKeys.sandbox(operation.subscriptionId, operation.sandbox, createdAt),
      record,
    );
  } catch (error) {
    if (!(error instanceof RecordConflictError)) throw error;
  }
}

async function createResource(
  deps: ProvisioningDeps,
  journal: OperationJournal,
  spec: ResourceSpec,
) {
  const current = journal.value!.steps.find((s) => s.name === spec.key);
  if (!current) throw new Error(`Operation has no step '${spec.key}'.`);
  if (current.state === 'succeeded') return;
  await runStep(deps, journal, spec.key, async (step) => {
    // Written whether or not it exists: ARM's PUT is idempotent (a resource provider must accept
    // the same PUT again), so a delivery that died before saving its poller just sends it again,
    // and a resource ARM made with its parent (a storage account's blobServices/default) still
    // gets the blueprint's settings. Nothing is read first, so the app's role needs no read
    // action for a resource type it only creates.
    await deps.resources.createOrUpdate(step.resourceId, spec, checkpoint(deps, journal, step));
  });
}

async function teardown(deps: ProvisioningDeps, journal: OperationJournal, operation: Operation) {
  await runStep(
    deps,
    journal,
    RESOURCE_GROUP_STEP,
    async (step) => {
      const group = await retried(deps, () =>
        deps.groups.get(operation.subscriptionId, operation.sandbox),
      );
      if (group && !isManagedBy(group.tags, deps.settings.appName)) {
        throw new AppError(
          `Resource group ${operation.sandbox} is no longer managed by this app.`,
          {
            kind: 'permanent',
            code: 'NotManaged',
          },
        );
      }
      await deps.groups.delete(
        operation.subscriptionId,
        operation.sandbox,
        checkpoint(deps, journal, step),
      );
    },
    { last: true },
  );
}

/** Records what became of a failed provisioning's group, once. */
async function settlePartialGroup(
  deps: ProvisioningDeps,
  journal: OperationJournal,
  partialGroup: PartialGroup,
): Promise<void> {
  await journal.update((op) => (op.partialGroup ? undefined : { ...op, partialGroup }));
  deps.logger.info('failed sandbox settled', { ...partialGroup });
}

/**
 * Runs one step: skipped when done, marked running, then succeeded, or failed when permanent. The
 * operation's `last` step is left running when its work is done: the operation's own success,
 * written next, records it (one write fewer; a crash between the two does the step again, and
 * every step's work may be done again).
 */
async function runStep(
  deps: ProvisioningDeps,
  journal: OperationJournal,
  name: string,
  work: (step: OperationStep) => Promise<void>,
  options: { last?: boolean } = {},
): Promise<void> {
  const step = journal.value!.steps.find((s) => s.name === name);
  if (!step) throw new Error(`Operation has no step '${name}'.`);
  if (step.state === 'succeeded') return;
  if (step.state !== 'running') {
    await journal.update((op) => updateStep(op, name, { state: 'running' }, deps.clock.now()));
  }
  try {
    await work(step);
  } catch (error) {
    const classification = classifyError(error);
    if (classification.kind === 'permanent') {
      const reason = { code: classification.code, message: classification.message };
      await journal.update((op) =>
        updateStep(op, name, { state: 'failed', error: reason }, deps.clock.now()),
      );
    }
    throw error;
  }
  if (options.last) return;
  await journal.update((op) =>
    updateStep(
      op,
      name,
      { state: 'succeeded', resumeToken: undefined, error: undefined },
      deps.clock.now(),
    ),
  );
}

function checkpoint(
  deps: ProvisioningDeps,
  journal: OperationJournal,
  step: OperationStep,
): LroCheckpoint {
  return {
    ...(step.resumeToken === undefined ? {} : { resumeToken: step.resumeToken }),
    saveResumeToken: async (token) => {
      await journal.update((op) =>
        updateStep(op, step.name, { resumeToken: token }, deps.clock.now()),
      );
    },
    ...(deps.signal ? { signal: deps.signal } : {}),
  };
}

/** The steps still running marked succeeded: the operation's work is all done. */
function completeRunningSteps(operation: Operation): Operation {
  return {
    ...operation,
    steps: operation.steps.map((s) => {
      if (s.state !== 'running') return s;
      const { resumeToken: _token, error: _error, ...step } = s;
      return { ...step, state: 'succeeded' };
    }),
  };
}

function failRunningSteps(operation: Operation, reason: OperationError): Operation {
  return {
    ...operation,
    steps: operation.steps.map((s) =>
      s.state === 'running' ? { ...s, state: 'failed', error: s.error ?? reason } : s,
    ),
  };
}

/** A read of ARM that may hit throttling: retried in process, honouring `Retry-After`. */
function retried<T>(deps: ProvisioningDeps, fn: () => Promise<T>): Promise<T> {
  return withRetry(fn, {
    ...retryPolicies.armRead,
    clock: deps.clock,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}

async function audit(
  deps: ProvisioningDeps,
  operation: Operation,
  action: 'operation.succeeded' | 'operation.failed',
  details?: Record<string, unknown>,
) {
  await recordAudit(
    deps.records,
    {
      at: deps.clock.now().toISOString(),
      actor: 'worker',
      action,
      subscriptionId: operation.subscriptionId,
      resourceGroup: operation.sandbox,
      operationId: operation.id,
      details: { kind: operation.kind, ...details },
    },
    operation.id,
  ).catch((error: unknown) => deps.logger.warn('could not write the audit entry', { error }));
}

/**
 * The operation's record, read for this delivery; every change goes through it, so steps of one
 * wave can save their resume tokens concurrently.
 */
type OperationJournal = RecordJournal<Operation>;

function openJournal(deps: ProvisioningDeps, operationId: string): Promise<OperationJournal> {
  return RecordJournal.open<Operation>(deps.records, recordKeys.operation(operationId), {
    retries: 10,
  });
}
