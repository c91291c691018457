/**
 * An in-memory `ResourceGroups` that behaves like `ArmResourceGroups` over ARM: names are
 * case-insensitive, tags are copied in and out, locks block deletes (409 `ScopeLocked`, a
 * permanent error) and ReadOnly locks block writes, a group in `Deleting` refuses writes (409
 * `ResourceGroupBeingDeleted`, transient), a delete of a missing group is `not-found`, and deletes
 * save a resume token through the checkpoint. Deletes finish at once unless `deleteDurationMs` says
 * how long ARM takes; then a caller that waits less (`waitMs`) gets `LroTimeoutError` with the token,
 * and the group stays `Deleting` until the time has come. Errors are the same `AzureRequestError`s the real
 * adapter throws, so `classifyError` treats them alike.
 */
import type {
  LockInfo,
  LroCheckpoint,
  ResourceGroupInfo,
  ResourceGroups,
  SubscriptionLock,
} from '../../../shared/arm/ResourceGroups.js';
import {
  AzureRequestError,
  classifyError,
  type ErrorKind,
  LroTimeoutError,
} from '../../../shared/errors.js';

type Method =
  | 'list'
  | 'get'
  | 'createOrUpdate'
  | 'setTags'
  | 'mergeTags'
  | 'listLocks'
  | 'listLocksInSubscription'
  | 'delete';

export interface RecordedCall {
  method: Method;
  subscriptionId: string;
  name?: string;
}

export interface SeedGroup {
  subscriptionId?: string;
  name: string;
  location?: string;
  tags?: Record<string, string>;
  provisioningState?: string;
  createdTime?: string;
  locks?: Array<Omit<LockInfo, 'id'> & { id?: string }>;
}

/**
 * An error shaped like the real adapter's for ARM's `{ error: { code, message } }`. Its `kind` is
 * what `classifyError` decides for a real response with that status, code and `Retry-After`
 * (so 409 `ResourceGroupBeingDeleted` is transient and 409 `ScopeLocked` permanent), unless given.
 *
 * @example
 * groups.failNext('delete', armError(429, 'TooManyRequests', 'slow down', undefined, 5000));
 */
export function armError(
  status: number,
  code: string,
  message: string,
  kind?: ErrorKind,
  retryAfterMs?: number,
): AzureRequestError {
  const response = Object.assign(new Error(message), {
    statusCode: status,
    code,
    response: {
      status,
      headers: retryAfterMs === undefined ? {} : { 'retry-after-ms': String(retryAfterMs) },
    },
  });
  const classification = classifyError(response);
  return new AzureRequestError({ ...classification, ...(kind ? { kind } : {}) });
}

export class InMemoryResourceGroups implements ResourceGroups {
  /** Every call, in order, for assertions. */
  readonly calls: RecordedCall[] = [];
  private readonly groups = new Map<string, ResourceGroupInfo>();
  private readonly locks = new Map<string, LockInfo[]>();
  private readonly faults = new Map<Method, unknown[]>();
  private readonly runningDeletes = new Map<string, number>();
  private lockCounter = 0;
  /** How long a delete runs, by this fake's clock, before the group is gone. Default: none. */
  deleteDurationMs = 0;

  /**
   * @param defaultSubscriptionId used by `seed` when a group names no subscription.
   * @param now the clock that stamps `createdTime` on new groups.
   */
  constructor(
    readonly defaultSubscriptionId = '00000000-0000-0000-0000-000000000000',
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Adds groups (with their locks) as if they already existed. */
  seed(...groups: SeedGroup[]): this {
    for (const g of groups) {
      const sub = g.subscriptionId ?? this.defaultSubscriptionId;
      this.groups.set(key(sub, g.name), {
        subscriptionId: sub,
        name: g.name,
        id: groupId(sub, g.name),
        location: g.location ?? 'eastus',
        tags: { ...g.tags },
        provisioningState: g.provisioningState ?? 'Succeeded',
        ...(g.createdTime ? { createdTime: g.createdTime } : {}),
      });
      for (const lock of g.locks ?? []) this.addLock(sub, g.name, lock);
    }
    return this;
  }

  /** Adds a lock at the group's scope (or, with `resource`, on a resource inside it). */
  addLock(
    subscriptionId: string,
    name: string,
    lock: Omit<LockInfo, 'id'> & { id?: string; resource?: string },
  ): LockInfo {
    const scope = lock.resource
      ? `${groupId(subscriptionId, name)}/providers/${lock.resource}`
      : groupId(subscriptionId, name);
    const info: LockInfo = {
      id:
        lock.id ??
        `${scope}/providers/Microsoft.Authorization/locks/${lock.name || `lock-${++this.lockCounter}`}`,
      name: lock.name,
      level: lock.level,
      ...(lock.notes ? { notes: lock.notes } : {}),
    };
    const k = key(subscriptionId, name);
    this.locks.set(k, [...(this.locks.get(k) ?? []), info]);
    return info;
  }

  removeLocks(subscriptionId: string, name: string): void {
    this.locks.delete(key(subscriptionId, name));
  }

  /** Puts a group into a state, for example `Deleting` (someone else's delete in progress). */
  setProvisioningState(subscriptionId: string, name: string, state: string): void {
    const group = this.groups.get(key(subscriptionId, name));
    if (!group) throw new Error(`no group ${name} in ${subscriptionId}`);
    group.provisioningState = state;
  }

  /** Makes the next `times` calls of `method` throw `error` (for example `armError(503, …)`). */
  failNext(method: Method, error: unknown, times = 1): this {
    this.faults.set(method, [...(this.faults.get(method) ?? []), ...Array(times).fill(error)]);
    return this;
  }

  /** A copy of the group as stored, or `undefined`; no call is recorded. */
  peek(subscriptionId: string, name: string): ResourceGroupInfo | undefined {
    const g = this.groups.get(key(subscriptionId, name));
    return g && copy(g);
  }

  /** Names of every group in a subscription, sorted. */
  names(subscriptionId = this.defaultSubscriptionId): string[] {
    return [...this.groups.values()]
      .filter((g) => g.subscriptionId === subscriptionId)
      .map((g) => g.name)
      .sort();
  }

  async *list(subscriptionId: string): AsyncIterable<ResourceGroupInfo> {
    this.enter('list', subscriptionId);
    const groups = [...this.groups.values()]
      .filter((g) => g.subscriptionId === subscriptionId)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const g of groups) yield copy(g);
  }

  async get(subscriptionId: string, name: string): Promise<ResourceGroupInfo | undefined> {
    this.enter('get', subscriptionId, name);
    const g = this.groups.get(key(subscriptionId, name));
    return g && copy(g);
  }

  async createOrUpdate(
    subscriptionId: string,
    name: string,
    group: { location: string; tags: Record<string, string> },
  ): Promise<ResourceGroupInfo> {
    this.enter('createOrUpdate', subscriptionId, name);
    const k = key(subscriptionId, name);
    const existing = this.groups.get(k);
    if (existing) {
      this.assertWritable(subscriptionId, existing);
      if (existing.location !== group.location) {
        throw armError(
          409,
          'InvalidResourceGroupLocation',
          `Invalid resource group location '${group.location}'. The Resource group already exists in location '${existing.location}'.`,
        );
      }
      existing.tags = { ...group.tags };
      return copy(existing);
    }
    const created: ResourceGroupInfo = {
      subscriptionId,
      name,
      id: groupId(subscriptionId, name),
      location: group.location,
      tags: { ...group.tags },
      provisioningState: 'Succeeded',
      createdTime: this.now().toISOString(),
    };
    this.groups.set(k, created);
    return copy(created);
  }

  /**
   * Replaces the whole tag set. Not part of the port (the app only merges): tests use it to
   * play another writer changing a group behind the app's back.
   */
  async setTags(
    subscriptionId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<ResourceGroupInfo> {
    this.enter('setTags', subscriptionId, name);
    const group = this.groups.get(key(subscriptionId, name));
    if (!group) throw notFound(name);
    this.assertWritable(subscriptionId, group);
    group.tags = { ...tags };
    return copy(group);
  }

  async mergeTags(
    subscriptionId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<ResourceGroupInfo> {
    this.enter('mergeTags', subscriptionId, name);
    const group = this.groups.get(key(subscriptionId, name));
    if (!group) throw notFound(name);
    this.assertWritable(subscriptionId, group);
    group.tags = { ...group.tags, ...tags };
    return copy(group);
  }

  /** Always fresh: a listing no older than any `maxAgeMs` the caller allows. */
  async listLocks(
    subscriptionId: string,
    name: string,
    _options: { maxAgeMs?: number } = {},
  ): Promise<LockInfo[]> {
    this.enter('listLocks', subscriptionId, name);
    if (!this.groups.has(key(subscriptionId, name))) return [];
    return (this.locks.get(key(subscriptionId, name)) ?? []).map((l) => ({ ...l }));
  }

  async listLocksInSubscription(subscriptionId: string): Promise<SubscriptionLock[]> {
    this.enter('listLocksInSubscription', subscriptionId);
    return [...this.groups.values()]
      .filter((g) => g.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
      .flatMap((g) =>
        (this.locks.get(key(subscriptionId, g.name)) ?? []).map((l) => ({
          ...l,
          resourceGroup: g.name,
        })),
      );
  }

  async delete(
    subscriptionId: string,
    name: string,
    checkpoint: LroCheckpoint = {},
  ): Promise<'deleted' | 'not-found'> {
    this.enter('delete', subscriptionId, name);
    checkpoint.signal?.throwIfAborted();
    const k = key(subscriptionId, name);
    const group = this.groups.get(k);
    if (!group) return checkpoint.resumeToken ? 'deleted' : 'not-found';
    const locks = this.locks.get(k) ?? [];
    if (locks.length > 0) {
      throw armError(
        409,
        'ScopeLocked',
        `The scope '${group.id}' cannot perform delete operation because following scope(s) are locked: '${locks.map((l) => l.id).join("', '")}'. Please remove the lock and try again.`,
      );
    }
    const token = checkpoint.resumeToken ?? JSON.stringify({ fake: 'delete', id: group.id });
    if (!checkpoint.resumeToken) {
      group.provisioningState = 'Deleting';
      await checkpoint.saveResumeToken?.(token);
      if (this.deleteDurationMs > 0) {
        this.runningDeletes.set(k, this.now().getTime() + this.deleteDurationMs);
      }
    }
    const remaining = (this.runningDeletes.get(k) ?? 0) - this.now().getTime();
    if (remaining > 0 && checkpoint.waitMs !== undefined && checkpoint.waitMs < remaining) {
      throw new LroTimeoutError(
        `delete resource group ${name}`,
        checkpoint.waitMs,
        token,
        remaining,
      );
    }
    this.runningDeletes.delete(k);
    this.groups.delete(k);
    this.locks.delete(k);
    return 'deleted';
  }

  private enter(method: Method, subscriptionId: string, name?: string): void {
    this.calls.push({ method, subscriptionId, ...(name === undefined ? {} : { name }) });
    const queued = this.faults.get(method);
    if (queued && queued.length > 0) throw queued.shift();
  }

  private assertWritable(subscriptionId: string, group: ResourceGroupInfo): void {
    if (group.provisioningState === 'Deleting') {
      throw armError(
        409,
        'ResourceGroupBeingDeleted',
        `The resource group '${group.name}' is in deprovisioning state and cannot perform this operation.`,
      );
    }
    const readOnly = (this.locks.get(key(subscriptionId, group.name)) ?? []).filter(
      (l) => l.level === 'ReadOnly',
    );
    if (readOnly.length > 0) {
      throw armError(
        409,
        'ScopeLocked',
        `The scope '${group.id}' cannot perform write operation because following scope(s) are locked: '${readOnly.map((l) => l.id).join("', '")}'. Please remove the lock and try again.`,
      );
    }
  }
}

function key(subscriptionId: string, name: string): string {
  return `${subscriptionId.toLowerCase()}/${name.toLowerCase()}`;
}

function groupId(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

function notFound(name: string): AzureRequestError {
  return armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
}

function copy(group: ResourceGroupInfo): ResourceGroupInfo {
  return { ...group, tags: { ...group.tags } };
}
