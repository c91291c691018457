/**
 * The port through which services see Azure resource groups. One real implementation talks to
 * ARM through `@azure/arm-resources` and `@azure/arm-locks`; fast tests use an in-memory fake.
 */

/** A resource group as the services need it: plain data, tags always present. */
export interface ResourceGroupInfo {
  subscriptionId: string;
  name: string;
  /** Full ARM id, `/subscriptions/{s}/resourceGroups/{name}`. */
  id: string;
  location: string;
  tags: Record<string, string>;
  /** ARM's `properties.provisioningState`, for example `Succeeded` or `Deleting`. */
  provisioningState: string;
  /** When ARM created the group, where ARM reports it. */
  createdTime?: string;
}

/** A management lock on a group or on a resource inside it. */
export interface LockInfo {
  id: string;
  name: string;
  level: 'CanNotDelete' | 'ReadOnly';
  notes?: string;
}

/** A lock of a subscription's listing, with the group it sits in (none: the subscription's own). */
export interface SubscriptionLock extends LockInfo {
  resourceGroup?: string;
}

/**
 * The locks of a subscription's listing that hold a group: its own, its resources', and the
 * subscription's (which hold every group). Names compare without case, as in ARM.
 *
 * @example
 * locksOfGroup(await groups.listLocksInSubscription(sub), 'sbx-ana');
 */
export function locksOfGroup(locks: readonly SubscriptionLock[], name: string): LockInfo[] {
  const lower = name.toLowerCase();
  return locks
    .filter((l) => l.resourceGroup === undefined || l.resourceGroup.toLowerCase() === lower)
    .map(({ resourceGroup: _, ...lock }) => lock);
}

/** Where a long-running delete saves and finds its poller state, so a crash resumes polling. */
export interface LroCheckpoint {
  /** The resume token saved by an earlier attempt, if any. */
  resumeToken?: string;
  /**
   * Called with the poller's resume token as soon as the operation has started (once the SDK's
   * `begin*` has returned: after the initial request and, for `@azure/arm-resources`, one poll).
   * A crash before that repeats the initial request, which ARM treats idempotently.
   */
  saveResumeToken?: (token: string) => Promise<void>;
  signal?: AbortSignal;
  /**
   * How long to wait for the operation to end once it is running. Past it the call throws
   * `LroTimeoutError` with the resume token and when ARM suggests looking again, so a worker can
   * hand the wait over instead of holding on to it; `0` starts the operation (or looks at a
   * resumed one once) and returns. Default: the whole operation's budget.
   */
  waitMs?: number;
}

export interface ResourceGroups {
  /** Every group in the subscription, paging through `nextLink`. */
  list(subscriptionId: string): AsyncIterable<ResourceGroupInfo>;
  /** The group, or `undefined` when ARM answers 404. */
  get(subscriptionId: string, name: string): Promise<ResourceGroupInfo | undefined>;
  /** Creates the group, or updates it in place when it exists (ARM's PUT semantics). */
  createOrUpdate(
    subscriptionId: string,
    name: string,
    group: { location: string; tags: Record<string, string> },
  ): Promise<ResourceGroupInfo>;
  /**
   * Adds or overwrites the given tags and keeps every other tag (ARM's Tags API, `Merge`). The
   * port offers no way to replace the whole set: read-modify-write of tags loses a tag someone
   * else writes in between.
   */
  mergeTags(
    subscriptionId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<ResourceGroupInfo>;
  /**
   * Locks at the group's scope, on every resource inside it, and on the subscription. With
   * `maxAgeMs`, they may come from a listing of the whole subscription's locks that started at
   * most that long ago, one request shared by every group instead of one per group.
   */
  listLocks(
    subscriptionId: string,
    name: string,
    options?: { maxAgeMs?: number },
  ): Promise<LockInfo[]>;
  /** Every lock in the subscription, on the subscription itself, its groups and resources. */
  listLocksInSubscription(subscriptionId: string): Promise<SubscriptionLock[]>;
  /**
   * Deletes the group through ARM's long-running operation and waits for it to finish (or for
   * `checkpoint.waitMs`). Resolves `not-found` when the group is already gone, so a delete is
   * idempotent. A resumed delete is never sent again while ARM still runs it.
   */
  delete(
    subscriptionId: string,
    name: string,
    checkpoint?: LroCheckpoint,
  ): Promise<'deleted' | 'not-found'>;
}
