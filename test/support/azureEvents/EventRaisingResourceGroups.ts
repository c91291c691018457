/**
 * A `ResourceGroups` that raises Azure Resource Manager's event for every write and delete made
 * through it, as ARM does, with the claims of whoever acts: the app's own port in tests of the
 * `azureEvents` function (its own writes must raise events, or a loop could not show), and people
 * acting behind the app's back.
 */
import type {
  LockInfo,
  LroCheckpoint,
  ResourceGroupInfo,
  ResourceGroups,
  SubscriptionLock,
} from '../../../shared/arm/ResourceGroups.js';
import type { FakeClock } from '../fakes/FakeClock.js';
import type { InMemoryResourceGroups } from '../fakes/InMemoryResourceGroups.js';
import { groupTagsUri, groupUri, resourceEvent } from './azureEventFactory.js';

export type RaisedEvent = ReturnType<typeof resourceEvent>;

export class EventRaisingResourceGroups implements ResourceGroups {
  /** ARM writes made through this port: `{ method, name }`. */
  readonly writes: Array<{ method: 'createOrUpdate' | 'mergeTags' | 'delete'; name: string }> = [];

  constructor(
    private readonly arm: InMemoryResourceGroups,
    private readonly clock: FakeClock,
    private readonly claims: Record<string, string>,
    private readonly raise: (event: RaisedEvent) => void,
  ) {}

  list(subscriptionId: string): AsyncIterable<ResourceGroupInfo> {
    return this.arm.list(subscriptionId);
  }

  get(subscriptionId: string, name: string): Promise<ResourceGroupInfo | undefined> {
    return this.arm.get(subscriptionId, name);
  }

  async createOrUpdate(
    subscriptionId: string,
    name: string,
    group: { location: string; tags: Record<string, string> },
  ): Promise<ResourceGroupInfo> {
    const result = await this.arm.createOrUpdate(subscriptionId, name, group);
    this.writes.push({ method: 'createOrUpdate', name });
    this.emit('Write', groupUri(name, subscriptionId));
    return result;
  }

  async mergeTags(
    subscriptionId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<ResourceGroupInfo> {
    const result = await this.arm.mergeTags(subscriptionId, name, tags);
    this.writes.push({ method: 'mergeTags', name });
    this.emit('Write', groupTagsUri(name, subscriptionId), 'Microsoft.Resources/tags/write');
    return result;
  }

  listLocks(subscriptionId: string, name: string): Promise<LockInfo[]> {
    return this.arm.listLocks(subscriptionId, name);
  }

  listLocksInSubscription(subscriptionId: string): Promise<SubscriptionLock[]> {
    return this.arm.listLocksInSubscription(subscriptionId);
  }

  async delete(
    subscriptionId: string,
    name: string,
    checkpoint?: LroCheckpoint,
  ): Promise<'deleted' | 'not-found'> {
    const result = await this.arm.delete(subscriptionId, name, checkpoint);
    if (result === 'deleted') {
      this.writes.push({ method: 'delete', name });
      this.emit('Delete', groupUri(name, subscriptionId));
    }
    return result;
  }

  private emit(kind: 'Write' | 'Delete', resourceUri: string, operationName?: string) {
    this.raise(
      resourceEvent({
        kind,
        resourceUri,
        claims: this.claims,
        eventTime: this.clock.now().toISOString(),
        ...(operationName ? { operationName } : {}),
      }),
    );
  }
}
