/**
 * The events of each feature, built in one place so every emitter says the same things the same
 * way. Each event's key (what makes it distinct) is chosen so that emitting it again for the same
 * fact gives the same id: an operation's id, a lease's end, a run's id.
 */
import type { PartialGroup } from '../provisioning/Operation.js';
import { readTag, TAG_OWNER } from '../sandbox/sandboxTags.js';
import { type AppEvent, type AppEventType, appEvent } from './AppEvent.js';

interface SandboxFacts {
  sandbox: string;
  subscriptionId: string;
  /** The owner's object id (or, for sandboxes made before sign-in, the name the tag holds). */
  owner?: string;
  /** The owner's sign-in name, where the app knows it. */
  ownerName?: string;
  time: string;
}

/**
 * `sandbox.provisioned`: a provision operation succeeded.
 *
 * @example
 * sandboxProvisioned({ sandbox: 'ana-1', subscriptionId, owner, time, operationId, blueprint, expiresAt });
 */
export function sandboxProvisioned(
  facts: SandboxFacts & { operationId: string; blueprint?: string; expiresAt?: string },
): AppEvent {
  return sandboxEvent('sandbox.provisioned', facts, facts.operationId, {
    operationId: facts.operationId,
    blueprint: facts.blueprint,
    expiresAt: facts.expiresAt,
    resourceGroupId: `/subscriptions/${facts.subscriptionId}/resourceGroups/${facts.sandbox}`,
  });
}

/** `sandbox.provisioning-failed`: a provision operation ended `failed`, with ARM's or the app's reason. */
export function sandboxProvisioningFailed(
  facts: SandboxFacts & {
    operationId: string;
    blueprint?: string;
    error: { code: string; message: string };
    /** What became of the group it left (`FAILED_SANDBOX_POLICY`), when known. */
    partialGroup?: PartialGroup;
  },
): AppEvent {
  return sandboxEvent('sandbox.provisioning-failed', facts, facts.operationId, {
    operationId: facts.operationId,
    blueprint: facts.blueprint,
    error: facts.error,
    partialGroup: facts.partialGroup,
  });
}

/** `sandbox.expiring`: once per lease end, within cleanup's warning window. */
export function sandboxExpiring(
  facts: SandboxFacts & { expiresAt: string; runId: string; detail: string },
): AppEvent {
  return sandboxEvent('sandbox.expiring', facts, facts.expiresAt, {
    expiresAt: facts.expiresAt,
    detail: facts.detail,
    runId: facts.runId,
  });
}

/** `sandbox.extended`: the lease now ends at `to`. */
export function sandboxExtended(
  facts: SandboxFacts & { from: string; to: string; by: string },
): AppEvent {
  return sandboxEvent('sandbox.extended', facts, facts.to, {
    from: facts.from,
    to: facts.to,
    by: facts.by,
  });
}

/**
 * `sandbox.deleted`: by a teardown its owner (or an admin) asked for, by cleanup, or outside the
 * app (`out-of-band`: the portal, `az`, a script), then with who did it (`deletedBy`) and the
 * operation that made the sandbox.
 */
export function sandboxDeleted(
  facts: SandboxFacts & {
    by: 'owner' | 'cleanup' | 'out-of-band';
    operationId?: string;
    runId?: string;
    deletedBy?: string;
  },
): AppEvent {
  return sandboxEvent('sandbox.deleted', facts, facts.operationId ?? facts.runId ?? facts.sandbox, {
    by: facts.by,
    deletedBy: facts.deletedBy,
    operationId: facts.operationId,
    runId: facts.runId,
  });
}

/**
 * `sandbox.adopted`: a group a person made without the app became a sandbox, with them as its
 * owner and a lease; cleanup deletes it when the lease ends.
 *
 * @example
 * sandboxAdopted({ sandbox: 'rg-ana', subscriptionId, owner, ownerName, time, operationId, expiresAt });
 */
export function sandboxAdopted(
  facts: SandboxFacts & { operationId: string; expiresAt?: string; createdBy?: string },
): AppEvent {
  return sandboxEvent('sandbox.adopted', facts, facts.operationId, {
    createdBy: facts.createdBy,
    operationId: facts.operationId,
    expiresAt: facts.expiresAt,
    resourceGroupId: `/subscriptions/${facts.subscriptionId}/resourceGroups/${facts.sandbox}`,
  });
}

/**
 * `sandbox.deleted` by cleanup: a group of a run deleted, as the plan saw it (its owner from its
 * tags).
 *
 * @example
 * sandboxDeletedByCleanup(planItem, runId, clock.now());
 */
export function sandboxDeletedByCleanup(
  group: { name: string; subscriptionId: string; tags: Readonly<Record<string, string>> },
  runId: string,
  time: Date,
): AppEvent {
  const owner = readTag(group.tags, TAG_OWNER);
  return sandboxDeleted({
    sandbox: group.name,
    subscriptionId: group.subscriptionId,
    ...(owner ? { owner } : {}),
    by: 'cleanup',
    runId,
    time: time.toISOString(),
  });
}

/** A cleanup run as its events tell it. */
interface CleanupRunFacts {
  runId: string;
  mode: string;
  counts?: unknown;
  blastRadius?: unknown;
}

/**
 * `cleanup.run.blocked`: the breaker tripped; the run waits for an admin's approval.
 *
 * @example
 * cleanupRunBlocked(run, clock.now());
 */
export function cleanupRunBlocked(run: CleanupRunFacts, time: Date): AppEvent {
  return appEvent('cleanup.run.blocked', run.runId, {
    key: run.runId,
    time: time.toISOString(),
    data: compact({
      runId: run.runId,
      mode: run.mode,
      counts: run.counts,
      blastRadius: run.blastRadius,
      approve: `/api/cleanup/runs/${run.runId}/approve`,
    }),
  });
}

/**
 * `cleanup.run.completed`: a dry run is planned, or every applied item has its outcome.
 *
 * @example
 * cleanupRunCompleted(run, clock.now());
 */
export function cleanupRunCompleted(run: CleanupRunFacts, time: Date): AppEvent {
  return appEvent('cleanup.run.completed', run.runId, {
    key: run.runId,
    time: time.toISOString(),
    data: compact({
      runId: run.runId,
      mode: run.mode,
      counts: run.counts,
      report: `/api/cleanup/runs/${run.runId}`,
    }),
  });
}

/** `power.run.completed`: every VM the run acted on has its outcome. */
export function powerRunCompleted(run: {
  runId: string;
  time: string;
  summary: Record<string, unknown>;
}): AppEvent {
  return appEvent('power.run.completed', run.runId, {
    key: run.runId,
    time: run.time,
    data: { runId: run.runId, ...run.summary, report: `/api/power/runs/${run.runId}` },
  });
}

/** `vm.deallocated` or `vm.started`: a power run stopped or started one VM of a sandbox. */
export function vmPowered(
  type: 'vm.deallocated' | 'vm.started',
  facts: SandboxFacts & {
    vm: string;
    vmId: string;
    runId: string;
    reason: string;
    estimatedHoursSaved?: number;
  },
): AppEvent {
  return sandboxEvent(type, facts, `${facts.runId}\n${facts.vmId.toLowerCase()}`, {
    vm: facts.vm,
    vmId: facts.vmId,
    runId: facts.runId,
    reason: facts.reason,
    estimatedHoursSaved: facts.estimatedHoursSaved,
  });
}

/** An event about one sandbox: its subject the sandbox, its data who owns it and `data`. */
function sandboxEvent(
  type: AppEventType,
  facts: SandboxFacts,
  key: string,
  data: Record<string, unknown>,
): AppEvent {
  return appEvent(type, facts.sandbox, {
    key,
    time: facts.time,
    subscriptionId: facts.subscriptionId,
    data: compact({
      sandbox: facts.sandbox,
      owner: facts.owner,
      ownerName: facts.ownerName,
      ...data,
    }),
  });
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
