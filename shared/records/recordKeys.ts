/**
 * Where every record lives: the one key scheme of the app. In the records container a key is a
 * path of segments under a prefix that names the record's kind; a JSON record ends in `.json`.
 * In a table (`tableNames`) a record has a partition and a row key. Each applied cleanup item,
 * operation and audit entry has a key of its own, so parallel writers never contend for one
 * document. Group names are unique only per subscription, hence the subscription in every key
 * that holds one.
 *
 * @example
 * recordKeys.operation('3f0c…'); // 'operations/3f0c….json'
 * recordKeys.cleanup.item('20260101T000000Z-ab12cd', 'sub-1', 'sbx-ana');
 * // 'cleanup/runs/20260101T000000Z-ab12cd/items/sub-1/sbx-ana.json'
 */
import { createHash } from 'node:crypto';

export const recordKeys = {
  /** A sandbox operation (provision or teardown). */
  operation: (id: string) => `operations/${id}.json`,
  /** Which operation an `Idempotency-Key` made: one per owner and key, hashed so the key's characters never reach a blob name. */
  idempotency: (owner: string, key: string) =>
    `idempotency/${createHash('sha256').update(`${owner.toLowerCase()}\n${key}`).digest('hex')}.json`,
  /** The operation that holds a sandbox name while it is being created. */
  nameReservation: (name: string) => `sandboxes/${name.toLowerCase()}.json`,
  /**
   * What the app knows of one sandbox: how it came, its owner and last known lease, its end. One
   * per group of that name, by when it was created (a name can be used again once its group is
   * gone), so a late event about an earlier group finds that group's record.
   */
  sandbox: (subscriptionId: string, name: string, createdAt: string) =>
    `sandbox-records/${subscriptionId.toLowerCase()}/${name.toLowerCase()}/${createdAt}.json`,
  /** Every record of the groups called `name`, oldest first. */
  sandboxes: (subscriptionId: string, name: string) =>
    `sandbox-records/${subscriptionId.toLowerCase()}/${name.toLowerCase()}/`,
  /** The teardown that holds a sandbox while it is being deleted: repeats get the same one. */
  teardown: (subscriptionId: string, name: string) =>
    `teardowns/${subscriptionId}/${name.toLowerCase()}.json`,
  /**
   * The audit trail's log for the ten minutes of UTC time `at` falls in (an append blob, one JSON
   * line per entry): `audit/2026-01-15/0930.jsonl` holds 09:30:00 to 09:39:59.
   */
  auditLog: (at: string) =>
    `audit/${at.slice(0, 10)}/${at.slice(11, 13)}${at.slice(14, 15)}0.jsonl`,
  /** Every audit log of one UTC day (`yyyy-mm-dd`), and the entries written one per blob before. */
  auditDay: (day: string) => `audit/${day}/`,
  /** Where an audit entry was kept before the trail moved to logs: one blob per entry. */
  auditEntry: (at: string, action: string, id: string) =>
    `audit/${at.slice(0, 10)}/${at}-${action}-${id}.json`,
  /** One resource group's history: a log (append blob) of its audit entries, in time order. */
  groupHistoryLog: (subscriptionId: string, group: string) =>
    `history/${subscriptionId}/${group.toLowerCase()}.jsonl`,
  /** Where a group's history was kept before it moved to a log: one blob per entry under this. */
  groupHistoryOf: (subscriptionId: string, group: string) =>
    `history/${subscriptionId}/${group.toLowerCase()}/`,
  cleanup: {
    run: (runId: string) => `cleanup/runs/${runId}/run.json`,
    plan: (runId: string) => `cleanup/runs/${runId}/plan.json`,
    summary: (runId: string) => `cleanup/runs/${runId}/summary.md`,
    /** Where runs applied before their items moved to the `cleanupitems` table kept them. */
    itemsPrefix: (runId: string) => `cleanup/runs/${runId}/items/`,
    item: (runId: string, subscriptionId: string, group: string) =>
      `cleanup/runs/${runId}/items/${subscriptionId}/${group}.json`,
    /** Points at the most recently requested run. */
    latest: () => 'cleanup/latest.json',
    /**
     * The run that holds a set of subscriptions (at most one active run per set): the set sorted
     * and in lower case, hashed, so any order or spelling of the same set names one record.
     */
    activeRun: (subscriptionIds: readonly string[]) =>
      `cleanup/active/${createHash('sha256')
        .update([...new Set(subscriptionIds.map((s) => s.toLowerCase()))].sort().join('\n'))
        .digest('hex')}.json`,
    /** Marks that a lease warning was sent, so each lease end is warned about once. */
    leaseWarning: (subscriptionId: string, group: string, expiresAt: string) =>
      `cleanup/warnings/${subscriptionId}/${group}/${expiresAt.replace(/[^0-9A-Za-z]/g, '')}.json`,
  },
  /** The rows of `tableNames.cleanupItems`: one partition per run (its id). */
  cleanupItems: {
    /** One applied item: the plan's entry for the group, and the worker's outcome. */
    item: (subscriptionId: string, group: string) => `item|${subscriptionId}|${group}`,
    itemsPrefix: () => 'item|',
    /** One shard of the run's count of terminal outcomes (spread, so finishing items rarely contend). */
    tally: (shard: number) => `tally|${String(shard).padStart(2, '0')}`,
    talliesPrefix: () => 'tally|',
  },
  power: {
    run: (runId: string) => `power/runs/${runId}/run.json`,
    plan: (runId: string) => `power/runs/${runId}/plan.json`,
    itemsPrefix: (runId: string) => `power/runs/${runId}/items/`,
    item: (runId: string, subscriptionId: string, group: string, vm: string) =>
      `power/runs/${runId}/items/${subscriptionId}/${group}/${vm}.json`,
    /** Points at the most recently requested run. */
    latest: () => 'power/latest.json',
    /** When schedules were last evaluated: transitions since then are caught up. */
    evaluated: () => 'power/evaluated.json',
    /** Claims one transition of one VM for one run, so each off or on hour is acted on once. */
    transition: (subscriptionId: string, group: string, vm: string, kind: string, at: string) =>
      `power/transitions/${subscriptionId}/${group.toLowerCase()}/${vm.toLowerCase()}/${kind}-${at.replace(/[^0-9A-Za-z]/g, '')}.json`,
  },
  notifications: {
    /** The webhook a sandbox's request named for its owner (`undefined` url when it named none). */
    ownerWebhook: (subscriptionId: string, sandbox: string) =>
      `notifications/owners/${subscriptionId}/${sandbox.toLowerCase()}.json`,
    /**
     * The row of `tableNames.notificationDeliveries`, in the event's partition, that says one
     * delivery succeeded (until 2026-12 a blob, `notifications/delivered/{eventId}/{target}.json`).
     */
    delivered: (target: string) => `delivered|${target}`,
    /** One delivery that was given up, with the reason. */
    poisoned: (eventId: string, target: string) =>
      `notifications/poisoned/${eventId}/${target}.json`,
  },
} as const;
