import type { ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { matchProtectedPattern } from '../cleanup/matchProtectedPattern.js';
import { normalizedInstant } from '../sandbox/normalizedInstant.js';
import { parseInstant } from '../sandbox/parseInstant.js';
import type { SandboxRecord } from '../sandbox/SandboxRecord.js';
import {
  isManagedBy,
  readTag,
  TAG_CREATED_AT,
  TAG_CREATED_BY,
  TAG_EXPIRES_AT,
  TAG_MANAGED_BY,
  TAG_OPERATION_ID,
  TAG_OWNER,
  TAG_OWNER_NAME,
} from '../sandbox/sandboxTags.js';
import type { AzureEventsSettings } from './AzureEventsSettings.js';
import { adoptionOperationId } from './adoptionOperationId.js';
import { CREATING_WRITE_WINDOW_MS, isCreatingWrite } from './isCreatingWrite.js';
import type { EventPrincipal } from './principalOfClaims.js';

/** What a write to a group (or its tags) by someone other than the app is known by. */
export interface GroupWriteFacts {
  subscriptionId: string;
  eventId: string;
  eventTime: string;
  /** A write to the group itself, or to its tags (`Microsoft.Resources/tags`). */
  scope: 'group' | 'tags';
  principal: EventPrincipal;
  /** The group as ARM answers it now; `undefined` when it is gone. */
  group: ResourceGroupInfo | undefined;
  /** The latest record of a sandbox of that name, if any. */
  record: SandboxRecord | undefined;
}

/** A group the app takes over: the records to write before its tags. */
export interface Adoption {
  operationId: string;
  record: SandboxRecord;
}

/** Why a write needs nothing of the app. */
export type GroupWriteNoChange =
  | 'group-gone'
  | 'group-deleting'
  | 'already-tagged'
  | 'not-the-creating-write'
  | 'creator-unknown';

export interface GroupWriteDecision {
  /** Tags to add, all in one merge; none: no write. Never a tag the group has (in any case). */
  tags: Record<string, string>;
  adoption?: Adoption;
  /** The lease changed outside the app since the app last knew it. */
  leaseChange?: { from?: string; to?: string };
  /** Why nothing is done, when nothing is. */
  noChange?: GroupWriteNoChange;
}

/**
 * Decides what a write to a resource group by someone other than the app calls for, from the group
 * as it is now. Pure; every answer depends only on the group's state and the event, so a repeated
 * or late event decides nothing new:
 *
 * - **Creator tags.** The write that created the group (see `isCreatingWrite`) names its creator:
 *   `created-by` from the claims and `created-at` (ARM's `createdTime`, or the event's time),
 *   each only where the group does not have it.
 * - **Adoption** (when on): a group a person created in a configured subscription, that no app
 *   manages and whose name is not protected, becomes a sandbox with its creator as owner and the
 *   default lease from its creation; the contract tags go in the same merge as the creator's.
 * - **A lease changed out of band**: a sandbox's `sandbox-expires-at` differs from the one its
 *   record holds.
 *
 * @example
 * decideGroupWrite({ subscriptionId, eventId, eventTime, scope: 'group', principal, group, record: undefined }, settings);
 * // { tags: { 'created-by': 'ana@contoso.com', 'created-at': '2026-01-01T10:00:00.000Z' } }
 */
export function decideGroupWrite(
  facts: GroupWriteFacts,
  settings: AzureEventsSettings,
): GroupWriteDecision {
  const { group } = facts;
  if (!group) return { tags: {}, noChange: 'group-gone' };
  if (group.provisioningState.toLowerCase() === 'deleting') {
    return { tags: {}, noChange: 'group-deleting' };
  }
  const tags: Record<string, string> = {};
  let noChange: GroupWriteNoChange | undefined;
  let adoption: Adoption | undefined;
  const creating = facts.scope === 'group' && isCreatingWrite(facts.eventTime, group.createdTime);
  if (!creating) {
    noChange = 'not-the-creating-write';
  } else if (readTag(group.tags, TAG_CREATED_BY) !== undefined) {
    noChange = 'already-tagged';
  } else if (!facts.principal.label) {
    noChange = 'creator-unknown';
  } else {
    const createdAt = normalizedInstant(group.createdTime) ?? normalizedInstant(facts.eventTime)!;
    tags[TAG_CREATED_BY] = facts.principal.label;
    if (readTag(group.tags, TAG_CREATED_AT) === undefined) tags[TAG_CREATED_AT] = createdAt;
    adoption = adoptionOf(facts, group, createdAt, settings);
    if (adoption) Object.assign(tags, adoptionTags(group, adoption, settings.appName));
  }
  const leaseChange = adoption ? undefined : leaseChangeOf(facts, group, settings);
  if (Object.keys(tags).length > 0 || leaseChange) {
    return { tags, ...(adoption ? { adoption } : {}), ...(leaseChange ? { leaseChange } : {}) };
  }
  return { tags, noChange: noChange ?? 'already-tagged' };
}

function adoptionOf(
  facts: GroupWriteFacts,
  group: ResourceGroupInfo,
  createdAt: string,
  settings: AzureEventsSettings,
): Adoption | undefined {
  const { adoption } = settings;
  const { principal } = facts;
  const subscription = facts.subscriptionId.toLowerCase();
  if (
    !adoption.enabled ||
    !adoption.subscriptions.some((s) => s.toLowerCase() === subscription) ||
    principal.kind !== 'user' ||
    !principal.objectId ||
    readTag(group.tags, TAG_MANAGED_BY) !== undefined ||
    matchProtectedPattern(group.name, settings.protectedPatterns) !== undefined
  ) {
    return undefined;
  }
  const operationId = adoptionOperationId(facts.subscriptionId, group.name, createdAt);
  // A lease the person wrote with the group stands; otherwise the default, from its creation.
  const lease =
    normalizedInstant(readTag(group.tags, TAG_EXPIRES_AT)) ??
    new Date(Date.parse(createdAt) + adoption.ttlHours * 3_600_000).toISOString();
  return {
    operationId,
    record: {
      subscriptionId: facts.subscriptionId,
      name: group.name,
      origin: 'adopted',
      operationId,
      owner: readTag(group.tags, TAG_OWNER) ?? principal.objectId,
      ownerName: readTag(group.tags, TAG_OWNER_NAME) ?? principal.name ?? principal.objectId,
      createdBy: principal.label!,
      createdAt,
      expiresAt: readTag(group.tags, TAG_EXPIRES_AT) ?? lease,
      status: 'active',
      updatedAt: createdAt,
    },
  };
}

/** The contract tags an adopted group lacks (a tag it has already is never overwritten). */
function adoptionTags(
  group: ResourceGroupInfo,
  adoption: Adoption,
  appName: string,
): Record<string, string> {
  const { record } = adoption;
  const wanted: Record<string, string> = {
    [TAG_MANAGED_BY]: appName,
    [TAG_OWNER]: record.owner,
    [TAG_OWNER_NAME]: record.ownerName ?? record.owner,
    [TAG_EXPIRES_AT]: record.expiresAt!,
    [TAG_OPERATION_ID]: adoption.operationId,
  };
  return Object.fromEntries(
    Object.entries(wanted).filter(([name]) => readTag(group.tags, name) === undefined),
  );
}

function leaseChangeOf(
  facts: GroupWriteFacts,
  group: ResourceGroupInfo,
  settings: AzureEventsSettings,
): GroupWriteDecision['leaseChange'] {
  const { record } = facts;
  if (record?.status !== 'active' || !isManagedBy(group.tags, settings.appName)) {
    return undefined;
  }
  if (!sameGroup(record, group)) return undefined;
  const now = readTag(group.tags, TAG_EXPIRES_AT);
  if (sameInstant(now, record.expiresAt)) return undefined;
  return { ...(record.expiresAt ? { from: record.expiresAt } : {}), ...(now ? { to: now } : {}) };
}

/** A record is the group's when it was created with it (not an earlier group of that name). */
function sameGroup(record: SandboxRecord, group: ResourceGroupInfo): boolean {
  const created = group.createdTime === undefined ? undefined : parseInstant(group.createdTime);
  const recorded = parseInstant(record.createdAt);
  if (created === undefined || recorded === undefined) return true;
  return Math.abs(created - recorded) <= CREATING_WRITE_WINDOW_MS;
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const [x, y] = [parseInstant(a), parseInstant(b)];
  return x !== undefined && x === y;
}
