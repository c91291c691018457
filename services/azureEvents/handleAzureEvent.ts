import { recordAudit } from '../../shared/audit/recordAudit.js';
import { classifyError, RecordConflictError } from '../../shared/errors.js';
import type { RecordStore } from '../../shared/records/RecordStore.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { updateRecord } from '../../shared/records/updateRecord.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { sandboxAdopted, sandboxDeleted } from '../notifications/events.js';
import type { OwnerWebhook } from '../notifications/OwnerWebhook.js';
import type { Operation } from '../provisioning/Operation.js';
import { teardownUnderway } from '../provisioning/teardownClaim.js';
import { normalizedInstant } from '../sandbox/normalizedInstant.js';
import type { SandboxRecord } from '../sandbox/SandboxRecord.js';
import { findSandboxRecord } from '../sandbox/sandboxRecords.js';
import type { AzureEventsPorts } from './AzureEventsPorts.js';
import { type AzureResourceEvent, parseAzureResourceEvent } from './AzureResourceEvent.js';
import { type AzureEventSubject, classifyAzureEvent } from './classifyAzureEvent.js';
import { decideGroupDelete } from './decideGroupDelete.js';
import { type Adoption, decideGroupWrite } from './decideGroupWrite.js';
import { InvalidAzureEventError } from './errors.js';
import type { EventPrincipal } from './principalOfClaims.js';
import { type ResourceGroupTarget, resourceGroupTargetOf } from './resourceGroupTargetOf.js';

/** What the app did about one event. */
export type AzureEventOutcome =
  | { outcome: 'poisoned'; reason: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'no-change'; reason: string }
  | {
      outcome: 'acted';
      /**
       * What was done, in order: `tagged`, `adopted`, `lease-change-recorded`, `deletion-recorded`,
       * `deleted-out-of-band`, `deletion-corrected`.
       */
      actions: string[];
    };

const MAX_POISONED_TEXT = 16 * 1024;

/**
 * The `azure-events` worker: acts on one Azure Resource Manager event. Tags a new group with its
 * creator, adopts it when adoption is on, and notes changes made to sandboxes outside the app (see
 * `decideGroupWrite`, `decideGroupDelete`). Safe to repeat and to receive out of order: every
 * decision is made from ARM's state and the records as they are now, every write adds only what
 * is missing, and record changes are conditional.
 *
 * A message that is no event goes to `azure-events-poison` with the reason; transient failures
 * (throttling, 5xx, an ETag race) are thrown for the queue to deliver the event again.
 *
 * @example
 * await handleAzureEvent(message, ports); // { outcome: 'acted', actions: ['tagged'] }
 */
export async function handleAzureEvent(
  message: unknown,
  ports: AzureEventsPorts,
): Promise<AzureEventOutcome> {
  let event: AzureResourceEvent;
  try {
    event = parseAzureResourceEvent(message);
  } catch (error) {
    if (!(error instanceof InvalidAzureEventError)) throw error;
    await poison(ports, message, error.message);
    return { outcome: 'poisoned', reason: error.message };
  }
  const subject = classifyAzureEvent(event, ports.settings.self);
  const target = resourceGroupTargetOf(event.data.resourceUri);
  const log = ports.logger.child({
    eventId: event.id,
    eventType: event.eventType,
    ...(target
      ? { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup }
      : { resourceUri: event.data.resourceUri }),
    ...(subject.kind === 'ignored' ? {} : { principal: subject.principal.label }),
  });
  const outcome = await act(event, subject, { ...ports, logger: log });
  log.info('azure event handled', {
    outcome: outcome.outcome,
    ...('reason' in outcome ? { reason: outcome.reason } : { actions: outcome.actions }),
  });
  return outcome;
}

async function act(
  event: AzureResourceEvent,
  subject: AzureEventSubject,
  ports: AzureEventsPorts,
): Promise<AzureEventOutcome> {
  if (subject.kind === 'ignored') return { outcome: 'ignored', reason: subject.reason };
  if (subject.kind === 'group-deleted') return groupDeleted(event, subject, ports);
  return groupWritten(event, subject.target, subject.principal, ports);
}

async function groupWritten(
  event: AzureResourceEvent,
  target: ResourceGroupTarget,
  principal: EventPrincipal,
  ports: AzureEventsPorts,
): Promise<AzureEventOutcome> {
  const { subscriptionId } = target;
  const group = await withRetry(() => ports.groups.get(subscriptionId, target.resourceGroup), {
    ...retryPolicies.armRead,
    clock: ports.clock,
  });
  const name = group?.name ?? target.resourceGroup;
  const record = await findSandboxRecord(ports.records, subscriptionId, name);
  const decision = decideGroupWrite(
    {
      subscriptionId,
      eventId: event.id,
      eventTime: event.eventTime,
      scope: target.scope,
      principal,
      group,
      record: record?.value,
    },
    ports.settings,
  );
  if (decision.noChange) return { outcome: 'no-change', reason: decision.noChange };
  const actions: string[] = [];
  const at = normalizedInstant(event.eventTime)!;
  if (decision.adoption) await writeAdoptionRecords(ports, decision.adoption, group!.id);
  if (Object.keys(decision.tags).length > 0) {
    try {
      await ports.groups.mergeTags(subscriptionId, name, decision.tags);
    } catch (error) {
      // Deleted since it was read: its delete event tells the rest.
      if (classifyError(error).status === 404)
        return { outcome: 'no-change', reason: 'group-gone' };
      throw error;
    }
    actions.push('tagged');
    await audit(ports.records, {
      at,
      actor: principal.label ?? 'unknown',
      action: 'group.creator-tagged',
      subscriptionId,
      resourceGroup: name,
      details: { tags: decision.tags },
      id: event.id,
    });
  }
  if (decision.adoption) {
    actions.push('adopted');
    const { record } = decision.adoption;
    await ports.events.publish(
      sandboxAdopted({
        sandbox: record.name,
        subscriptionId,
        owner: record.owner,
        ...(record.ownerName ? { ownerName: record.ownerName } : {}),
        ...(record.createdBy ? { createdBy: record.createdBy } : {}),
        ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
        operationId: record.operationId,
        time: at,
      }),
    );
    await audit(ports.records, {
      at,
      actor: record.createdBy ?? record.owner,
      action: 'sandbox.adopted',
      subscriptionId,
      resourceGroup: name,
      operationId: decision.adoption.operationId,
      reason: 'Created without the app while adoption is on.',
      details: { owner: record.owner, ownerName: record.ownerName, expiresAt: record.expiresAt },
      id: event.id,
    });
  }
  if (decision.leaseChange && record) {
    const { from, to } = decision.leaseChange;
    // Only the change from the lease the record still holds: a concurrent copy of this event, or
    // an extension recorded meanwhile, has already accounted for it.
    let changed = false;
    await updateRecord<SandboxRecord>(ports.records, record.key, (current) => {
      changed = current.status === 'active' && current.expiresAt === from;
      if (!changed) return undefined;
      const { expiresAt: _, ...rest } = current;
      return { ...rest, ...(to ? { expiresAt: to } : {}), updatedAt: at };
    });
    if (changed) {
      actions.push('lease-change-recorded');
      await audit(ports.records, {
        at,
        actor: principal.label ?? 'unknown',
        action: 'sandbox.lease-changed-out-of-band',
        subscriptionId,
        resourceGroup: name,
        operationId: record.value.operationId,
        reason: 'The lease tag was changed outside the app.',
        details: { from: from ?? null, to: to ?? null },
        id: event.id,
      });
    }
  }
  return actions.length > 0
    ? { outcome: 'acted', actions }
    : { outcome: 'no-change', reason: 'raced' };
}

async function groupDeleted(
  event: AzureResourceEvent,
  subject: Exclude<AzureEventSubject, { kind: 'ignored' }>,
  ports: AzureEventsPorts,
): Promise<AzureEventOutcome> {
  const { subscriptionId, resourceGroup } = subject.target;
  const found = await findSandboxRecord(
    ports.records,
    subscriptionId,
    resourceGroup,
    event.eventTime,
  );
  const underway =
    !subject.own && found?.value.status === 'active'
      ? await teardownUnderway(ports.records, subscriptionId, resourceGroup)
      : false;
  const decision = decideGroupDelete({
    eventId: event.id,
    eventTime: event.eventTime,
    principal: subject.principal,
    own: subject.own,
    record: found?.value,
    teardownUnderway: underway,
  });
  if (decision.kind === 'no-change') return { outcome: 'no-change', reason: decision.reason };
  let closed = false;
  let corrected = false;
  await updateRecord<SandboxRecord>(ports.records, found!.key, (current) => {
    closed = current.status === 'active';
    corrected =
      !closed && current.deleted !== undefined && decision.record.deleted!.at < current.deleted.at;
    return closed || corrected ? decision.record : undefined;
  });
  // The sandbox's end was told already (the audit trail, people): only its record is corrected.
  if (corrected) return { outcome: 'acted', actions: ['deletion-corrected'] };
  if (!closed) return { outcome: 'no-change', reason: 'already-recorded' };
  if (decision.via === 'app') return { outcome: 'acted', actions: ['deletion-recorded'] };
  const { record } = decision;
  await audit(ports.records, {
    at: record.deleted!.at,
    actor: record.deleted!.by,
    action: 'sandbox.deleted-out-of-band',
    subscriptionId,
    resourceGroup: record.name,
    operationId: record.operationId,
    reason: 'The group was deleted outside the app.',
    details: { owner: record.owner, origin: record.origin },
    id: event.id,
  });
  await ports.events.publish(
    sandboxDeleted({
      sandbox: record.name,
      subscriptionId,
      owner: record.owner,
      ...(record.ownerName ? { ownerName: record.ownerName } : {}),
      by: 'out-of-band',
      deletedBy: record.deleted!.by,
      operationId: record.operationId,
      time: record.deleted!.at,
    }),
  );
  return { outcome: 'acted', actions: ['deleted-out-of-band'] };
}

/** The adoption's operation and the sandbox's record, before the tags: a retry finds them. */
async function writeAdoptionRecords(
  ports: AzureEventsPorts,
  adoption: Adoption,
  groupId: string,
): Promise<void> {
  const { record } = adoption;
  const operation: Operation = {
    id: adoption.operationId,
    kind: 'adoption',
    status: 'succeeded',
    sandbox: record.name,
    owner: record.owner,
    subscriptionId: record.subscriptionId,
    requestedBy: record.createdBy ?? record.owner,
    requestedById: record.owner,
    ...(record.createdBy ? { createdBy: record.createdBy } : {}),
    ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
    steps: [{ name: 'resourceGroup', resourceId: groupId, state: 'succeeded' }],
    attempts: 1,
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
  };
  await createOnce(ports.records, recordKeys.operation(operation.id), operation);
  // Notices about the sandbox go to no webhook an earlier sandbox of the name named.
  await ports.records.put<OwnerWebhook>(
    recordKeys.notifications.ownerWebhook(record.subscriptionId, record.name),
    { operationId: operation.id },
  );
  await createOnce(
    ports.records,
    recordKeys.sandbox(record.subscriptionId, record.name, record.createdAt),
    record,
  );
}

async function createOnce<T>(records: RecordStore, key: string, value: T): Promise<void> {
  try {
    await records.create(key, value);
  } catch (error) {
    if (!(error instanceof RecordConflictError)) throw error;
  }
}

async function audit(
  records: RecordStore,
  entry: Parameters<typeof recordAudit>[1] & { id: string },
): Promise<void> {
  const { id, ...rest } = entry;
  await recordAudit(records, rest, id);
}

async function poison(ports: AzureEventsPorts, message: unknown, reason: string): Promise<void> {
  const text = typeof message === 'string' ? message : JSON.stringify(message ?? null);
  ports.logger.error('azure-events message is no Azure event; moved to azure-events-poison', {
    reason,
  });
  await withRetry(
    () =>
      ports.poison.send({
        reason,
        poisonedAt: ports.clock.now().toISOString(),
        message:
          text.length > MAX_POISONED_TEXT
            ? `${text.slice(0, MAX_POISONED_TEXT)}…`
            : typeof message === 'string'
              ? message
              : (message ?? null),
      }),
    { ...retryPolicies.enqueue, clock: ports.clock },
  );
}
