import type { SandboxRecord } from '../sandbox/SandboxRecord.js';
import type { EventPrincipal } from './principalOfClaims.js';

/** What a group's delete is known by. */
export interface GroupDeleteFacts {
  eventId: string;
  eventTime: string;
  principal: EventPrincipal;
  /** The app's own identity deleted it (a teardown, or cleanup). */
  own: boolean;
  /** The record of the sandbox of that name created before the delete, if any. */
  record: SandboxRecord | undefined;
  /** Whether a teardown of the sandbox is under way. */
  teardownUnderway: boolean;
}

export type GroupDeleteDecision =
  | {
      /**
       * `record-deleted`: the record learns its group is gone. `record-corrected`: it said so
       * already, from the delete of a later group of that name whose event came first; this
       * earlier delete is the one that ended its group.
       */
      kind: 'record-deleted' | 'record-corrected';
      /** `out-of-band`: deleted outside the app, which raises `sandbox.deleted`; `app`: by the app. */
      via: 'out-of-band' | 'app';
      record: SandboxRecord;
    }
  | {
      kind: 'no-change';
      reason: 'no-sandbox-record' | 'already-recorded' | 'teardown-underway';
    };

/**
 * Decides what a resource group's delete means for the app. Pure. A sandbox the app has a record
 * of, deleted by someone else while no teardown of it is under way, was deleted out of band: its
 * record says so, with who and when. Deleted by the app itself (a teardown, cleanup), the record
 * only learns it. A record that says so already is left alone, so a repeated event does nothing,
 * unless this delete came before the one it names: events may arrive out of order, and a name
 * deleted, made again and deleted again raises two deletes that both find the first group's
 * record. A group is deleted once, so the earliest delete since it was created is its end.
 *
 * @example
 * decideGroupDelete({ eventId, eventTime, principal, own: false, record, teardownUnderway: false });
 * // { kind: 'record-deleted', via: 'out-of-band', record: { …, status: 'deleted', deleted: { by: 'bob@contoso.com', … } } }
 */
export function decideGroupDelete(facts: GroupDeleteFacts): GroupDeleteDecision {
  const { record } = facts;
  if (!record) return { kind: 'no-change', reason: 'no-sandbox-record' };
  const at = new Date(Date.parse(facts.eventTime)).toISOString();
  const correction =
    record.status === 'deleted' && record.deleted !== undefined && at < record.deleted.at;
  if (record.status === 'deleted' && !correction) {
    return { kind: 'no-change', reason: 'already-recorded' };
  }
  if (!correction && !facts.own && facts.teardownUnderway) {
    return { kind: 'no-change', reason: 'teardown-underway' };
  }
  const via = facts.own ? 'app' : 'out-of-band';
  return {
    kind: correction ? 'record-corrected' : 'record-deleted',
    via,
    record: {
      ...record,
      status: 'deleted',
      deleted: {
        at,
        by: facts.principal.label ?? 'unknown',
        via,
        eventId: facts.eventId,
      },
      updatedAt: at,
    },
  };
}
