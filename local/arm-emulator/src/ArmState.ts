import type { ArmOperationContext } from './events/resourceEvent.js';
import { SortedKeys } from './SortedKeys.js';

export type Tags = Record<string, string>;

export interface GroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  tags?: Tags;
  managedBy?: string;
  createdTime: number;
  changedTime: number;
  /** Set while the group is being deleted: the delete operation's id. */
  deleteOperationId?: string;
}

export interface ResourceRecord {
  subscriptionId: string;
  /** The group's key: `{subscriptionId}/{lower-case name}`. */
  groupKey: string;
  id: string;
  /** Full type, for example `Microsoft.Network/virtualNetworks/subnets`. */
  type: string;
  name: string;
  location?: string;
  tags?: Tags;
  kind?: string;
  sku?: unknown;
  plan?: unknown;
  identity?: unknown;
  zones?: unknown;
  managedBy?: string;
  properties: Record<string, unknown>;
  provisioningState: string;
  createdTime: number;
  changedTime: number;
  /** The operation currently running on this resource, if any. */
  operationId?: string;
  /** Virtual machines only: the settled power state (running, stopped, deallocated). */
  powerState?: string;
  /** The provider's entity tag, for the types that report one (compute, network, containers). */
  etag?: string;
}

export type LockLevel = 'CanNotDelete' | 'ReadOnly';

export interface LockRecord {
  id: string;
  /** Lower-case id of the scope the lock is on. */
  scopeKey: string;
  subscriptionId: string;
  name: string;
  level: LockLevel;
  notes?: string;
  owners?: unknown[];
}

export type OperationKind = 'groupDelete' | 'resourcePut' | 'resourceDelete' | 'vmAction';
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface OperationRecord {
  id: string;
  subscriptionId: string;
  kind: OperationKind;
  /** Group key for group deletes, lower-case resource id otherwise. */
  targetKey: string;
  namespace: string;
  location: string;
  apiVersion: string;
  startedAt: number;
  completesAt: number;
  status: OperationStatus;
  /** Decided when the operation starts (fault injection), applied when it completes. */
  willFail: boolean;
  action?: string;
  /** The provider's own name for its `Location` polling path (storage: `asyncoperations`). */
  pollSegment?: string;
  endedAt?: number;
  error?: { code: string; message: string; status: number };
  /** The error the provider will end the operation with, decided when it starts (validation it runs late). */
  failure?: { code: string; message: string; status: number };
  /** The provider's own name for its `Azure-AsyncOperation` path (Event Grid: `operationsStatus`). */
  statusSegment?: string;
  /** The request that started it, for the Azure event its end raises. */
  event?: ArmOperationContext;
}

export interface StateSnapshot {
  version: 1;
  identityHeader?: string;
  clockOffsetMs: number;
  groups: GroupRecord[];
  resources: ResourceRecord[];
  locks: LockRecord[];
  operations: OperationRecord[];
}

export type OperationCompleter = (operation: OperationRecord, state: ArmState) => void;

const COMPLETED_OPERATIONS_KEPT = 20_000;

export const groupKeyOf = (subscriptionId: string, name: string) =>
  `${subscriptionId.toLowerCase()}/${name.toLowerCase()}`;

/**
 * The emulator's records and their indexes. Pure data: no HTTP, no timers. Operations complete
 * lazily when `settle(now)` is called, which the server does before every request.
 */
export class ArmState {
  readonly groups = new Map<string, GroupRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  readonly locks = new Map<string, LockRecord>();
  readonly operations = new Map<string, OperationRecord>();
  /** Lower-case group names per subscription, sorted: the group list pages over this. */
  private readonly groupNames = new Map<string, SortedKeys>();
  /** All resource keys (nested ones too) per group, sorted. */
  private readonly groupResources = new Map<string, SortedKeys>();
  /** Top-level resource keys per subscription, sorted. */
  private readonly subscriptionResources = new Map<string, SortedKeys>();
  /** Resource keys per lower-case type. */
  private readonly typeResources = new Map<string, Set<string>>();
  private readonly pending: OperationRecord[] = [];
  private readonly completed: string[] = [];
  /** Bumped on every change: the server persists when it moved during a request. */
  version = 0;
  /** Told when an operation reaches its end: succeeded, failed or canceled. */
  onOperationEnded: ((operation: OperationRecord) => void) | undefined;

  constructor(private readonly completeOperation: OperationCompleter) {}

  changed(): void {
    this.version += 1;
  }

  // Groups

  getGroup(subscriptionId: string, name: string): GroupRecord | undefined {
    return this.groups.get(groupKeyOf(subscriptionId, name));
  }

  putGroup(group: GroupRecord): void {
    const key = groupKeyOf(group.subscriptionId, group.name);
    this.groups.set(key, group);
    this.sorted(this.groupNames, group.subscriptionId.toLowerCase()).add(group.name.toLowerCase());
    this.changed();
  }

  removeGroup(group: GroupRecord): void {
    const key = groupKeyOf(group.subscriptionId, group.name);
    for (const resourceKey of [...this.sorted(this.groupResources, key).after(undefined)]) {
      this.removeResourceOnly(resourceKey);
    }
    this.groupResources.delete(key);
    const scopePrefix = `/subscriptions/${key.replace('/', '/resourcegroups/')}`;
    for (const [lockKey, lock] of this.locks) {
      if (lock.scopeKey === scopePrefix || lock.scopeKey.startsWith(`${scopePrefix}/`)) {
        this.locks.delete(lockKey);
      }
    }
    this.groups.delete(key);
    this.groupNames.get(group.subscriptionId.toLowerCase())?.delete(group.name.toLowerCase());
    this.changed();
  }

  /** Group names (lower case) after the cursor, in order. */
  groupNamesAfter(subscriptionId: string, cursor: string | undefined): Generator<string> {
    return this.sorted(this.groupNames, subscriptionId.toLowerCase()).after(cursor);
  }

  // Resources

  getResource(id: string): ResourceRecord | undefined {
    return this.resources.get(id.toLowerCase());
  }

  putResource(resource: ResourceRecord): void {
    const key = resource.id.toLowerCase();
    this.resources.set(key, resource);
    this.sorted(this.groupResources, resource.groupKey).add(key);
    if (isTopLevel(resource.type)) {
      this.sorted(this.subscriptionResources, resource.subscriptionId.toLowerCase()).add(key);
    }
    const type = resource.type.toLowerCase();
    let ofType = this.typeResources.get(type);
    if (!ofType) {
      ofType = new Set();
      this.typeResources.set(type, ofType);
    }
    ofType.add(key);
    this.changed();
  }

  /** The resources of one type, in no particular order. */
  resourcesOfType(type: string): ResourceRecord[] {
    const keys = this.typeResources.get(type.toLowerCase());
    if (!keys) return [];
    return [...keys]
      .map((key) => this.resources.get(key))
      .filter((resource): resource is ResourceRecord => resource !== undefined);
  }

  /** Removes a resource, its nested resources, and the locks on any of them. */
  removeResource(id: string): void {
    const key = id.toLowerCase();
    const resource = this.resources.get(key);
    if (!resource) return;
    const keys = this.sorted(this.groupResources, resource.groupKey);
    for (const childKey of [...keys.withPrefix(`${key}/`)]) this.removeResourceOnly(childKey);
    this.removeResourceOnly(key);
    for (const [lockKey, lock] of this.locks) {
      if (lock.scopeKey === key || lock.scopeKey.startsWith(`${key}/`)) this.locks.delete(lockKey);
    }
    this.changed();
  }

  /** Keys of the resources nested under a resource, in order. */
  nestedKeys(resource: ResourceRecord): string[] {
    const key = resource.id.toLowerCase();
    return [...this.sorted(this.groupResources, resource.groupKey).withPrefix(`${key}/`)];
  }

  resourceKeysInGroup(groupKey: string, cursor?: string): Generator<string> {
    return this.sorted(this.groupResources, groupKey).after(cursor);
  }

  resourceCountInGroup(groupKey: string): number {
    return this.groupResources.get(groupKey)?.size ?? 0;
  }

  topLevelResourceKeys(subscriptionId: string, cursor?: string): Generator<string> {
    return this.sorted(this.subscriptionResources, subscriptionId.toLowerCase()).after(cursor);
  }

  private removeResourceOnly(key: string): void {
    const resource = this.resources.get(key);
    if (!resource) return;
    this.resources.delete(key);
    this.groupResources.get(resource.groupKey)?.delete(key);
    this.subscriptionResources.get(resource.subscriptionId.toLowerCase())?.delete(key);
    this.typeResources.get(resource.type.toLowerCase())?.delete(key);
  }

  // Locks

  putLock(lock: LockRecord): void {
    this.locks.set(lock.id.toLowerCase(), lock);
    this.changed();
  }

  removeLock(id: string): boolean {
    const removed = this.locks.delete(id.toLowerCase());
    if (removed) this.changed();
    return removed;
  }

  /** Locks on the scope itself or on any scope above it (its parents, group, subscription). */
  locksAtOrAbove(scopeKey: string): LockRecord[] {
    return [...this.locks.values()].filter(
      (lock) => scopeKey === lock.scopeKey || scopeKey.startsWith(`${lock.scopeKey}/`),
    );
  }

  /** Locks on any scope below the given one. */
  locksBelow(scopeKey: string): LockRecord[] {
    return [...this.locks.values()].filter((lock) => lock.scopeKey.startsWith(`${scopeKey}/`));
  }

  // Operations

  startOperation(operation: OperationRecord): void {
    this.operations.set(operation.id, operation);
    this.pending.push(operation);
    siftUp(this.pending, this.pending.length - 1);
    this.changed();
  }

  /** Ends an operation early, for example when a newer one preempts it. */
  endOperation(
    operation: OperationRecord,
    status: OperationStatus,
    now: number,
    error?: OperationRecord['error'],
  ): void {
    if (operation.status !== 'InProgress') return;
    operation.status = status;
    operation.endedAt = now;
    if (error) operation.error = error;
    this.completed.push(operation.id);
    while (this.completed.length > COMPLETED_OPERATIONS_KEPT) {
      this.operations.delete(this.completed.shift() as string);
    }
    this.changed();
    this.onOperationEnded?.(operation);
  }

  get pendingOperations(): number {
    return this.pending.filter((op) => op.status === 'InProgress').length;
  }

  /** When the next operation is due, or undefined when none runs. */
  nextDueAt(): number | undefined {
    return (this.pending[0] as OperationRecord | undefined)?.completesAt;
  }

  /** Completes, in order, every operation due by `now`. */
  settle(now: number): void {
    while (this.pending.length > 0 && (this.pending[0] as OperationRecord).completesAt <= now) {
      const operation = popMin(this.pending);
      if (operation.status !== 'InProgress') continue;
      this.completeOperation(operation, this);
      if (operation.status === 'InProgress') {
        this.endOperation(operation, 'Succeeded', operation.completesAt);
      }
    }
  }

  // Whole state

  clear(): void {
    this.groups.clear();
    this.resources.clear();
    this.locks.clear();
    this.operations.clear();
    this.groupNames.clear();
    this.groupResources.clear();
    this.subscriptionResources.clear();
    this.typeResources.clear();
    this.pending.length = 0;
    this.completed.length = 0;
    this.changed();
  }

  snapshot(clockOffsetMs: number, identityHeader: string): StateSnapshot {
    return {
      version: 1,
      identityHeader,
      clockOffsetMs,
      groups: [...this.groups.values()],
      resources: [...this.resources.values()],
      locks: [...this.locks.values()],
      operations: [...this.operations.values()],
    };
  }

  restore(snapshot: StateSnapshot): void {
    this.clear();
    for (const group of snapshot.groups) this.putGroup(group);
    for (const resource of snapshot.resources) this.putResource(resource);
    for (const lock of snapshot.locks) this.putLock(lock);
    for (const operation of snapshot.operations) {
      this.operations.set(operation.id, operation);
      if (operation.status === 'InProgress') {
        this.pending.push(operation);
        siftUp(this.pending, this.pending.length - 1);
      } else {
        this.completed.push(operation.id);
      }
    }
  }

  private sorted(map: Map<string, SortedKeys>, key: string): SortedKeys {
    let keys = map.get(key);
    if (!keys) {
      keys = new SortedKeys();
      map.set(key, keys);
    }
    return keys;
  }
}

/** A resource type is top level when it has one segment after the namespace. */
export function isTopLevel(type: string): boolean {
  return type.split('/').length === 2;
}

function siftUp(heap: OperationRecord[], index: number): void {
  let i = index;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as OperationRecord).completesAt <= (heap[i] as OperationRecord).completesAt)
      return;
    [heap[parent], heap[i]] = [heap[i] as OperationRecord, heap[parent] as OperationRecord];
    i = parent;
  }
}

function popMin(heap: OperationRecord[]): OperationRecord {
  const top = heap[0] as OperationRecord;
  const last = heap.pop() as OperationRecord;
  if (heap.length > 0) {
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < heap.length &&
        (heap[left] as OperationRecord).completesAt <
          (heap[smallest] as OperationRecord).completesAt
      )
        smallest = left;
      if (
        right < heap.length &&
        (heap[right] as OperationRecord).completesAt <
          (heap[smallest] as OperationRecord).completesAt
      )
        smallest = right;
      if (smallest === i) break;
      [heap[smallest], heap[i]] = [heap[i] as OperationRecord, heap[smallest] as OperationRecord];
      i = smallest;
    }
  }
  return top;
}
