import { randomUUID } from 'node:crypto';
import type { ArmState, ResourceRecord } from '../ArmState.js';
import {
  deadLetterContainerOf,
  EVENT_SUBSCRIPTION_TYPE,
  knownTopicType,
  queueDestinationOf,
  RESOURCE_GROUPS_TOPIC_TYPE,
  SUBSCRIPTIONS_TOPIC_TYPE,
  SYSTEM_TOPIC_TYPE,
  topicIdOf,
  usesTopicIdentity,
} from '../providers/eventGridResources.js';
import type { RbacState } from '../rbac/RbacState.js';
import {
  DeliveryAbandoned,
  DeliveryFailure,
  type DeliveryJob,
  type DeliveryRecord,
  EventDelivery,
  type EventDeliverySettingsInput,
} from './EventDelivery.js';
import { type EventFilter, eventMatchesFilter } from './eventMatchesFilter.js';
import {
  type ArmOperationContext,
  asCloudEvent,
  type EventGridEvent,
  type ResourceOutcome,
  resourceEventOf,
} from './resourceEvent.js';
import type { StorageDataPlane } from './StorageDataPlane.js';

const QUEUE_SEND = 'Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action';
const BLOB_WRITE = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write';
const EVENTS_KEPT = 1000;

/** A published event and what became of it at each event subscription it matched. */
export interface PublishedEvent {
  event: EventGridEvent;
  deliveries: DeliveryRecord[];
}

export interface PublisherDependencies {
  state: ArmState;
  rbac: RbacState;
  dataPlane: StorageDataPlane;
  now(): number;
  timeScale: number;
  settings?: EventDeliverySettingsInput;
}

const accountOf = (resourceId: string) => resourceId.split('/').pop() as string;

/**
 * Event Grid for the system topics ARM knows: an event raised by an operation goes to every
 * system topic whose source covers it (the subscription, or the resource group for
 * `Microsoft.Resources.ResourceGroups`), and from there to each of the topic's event
 * subscriptions whose filter it passes, as one delivery each.
 */
export class EventGridPublisher {
  readonly delivery: EventDelivery;
  private readonly published: PublishedEvent[] = [];

  constructor(private readonly deps: PublisherDependencies) {
    this.delivery = new EventDelivery(
      {
        deliver: (job) => this.deliver(job),
        deadLetter: (job, deadLettered) => this.writeDeadLetter(job, deadLettered),
        now: deps.now,
        timeScale: deps.timeScale,
      },
      deps.settings,
    );
  }

  /** Raises the event for an operation that ended: one per topic whose source covers it. */
  publish(
    context: ArmOperationContext,
    outcome: ResourceOutcome,
    timeMs: number,
  ): EventGridEvent[] {
    const id = randomUUID();
    const events: EventGridEvent[] = [];
    for (const topic of this.topicsFor(context)) {
      const event = resourceEventOf(context, outcome, timeMs, String(topic.properties.source), id);
      const deliveries = this.subscriptionsOf(topic)
        .filter((subscription) => this.accepts(subscription, event))
        .map((subscription) => this.delivery.enqueue(this.jobOf(subscription, event)));
      this.published.push({ event, deliveries });
      if (this.published.length > EVENTS_KEPT) this.published.shift();
      events.push(event);
    }
    return events;
  }

  /** The events published most recently, oldest first. */
  events(limit = EVENTS_KEPT): readonly PublishedEvent[] {
    return this.published.slice(-limit);
  }

  reset(settings: EventDeliverySettingsInput = {}): void {
    this.published.length = 0;
    this.delivery.reset(settings);
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }

  private topicsFor(context: ArmOperationContext): ResourceRecord[] {
    const subject = context.resourceUri.toLowerCase();
    return this.deps.state.resourcesOfType(SYSTEM_TOPIC_TYPE).filter((topic) => {
      if (topic.provisioningState !== 'Succeeded') return false;
      if (topic.subscriptionId.toLowerCase() !== context.subscriptionId) return false;
      const source = String(topic.properties.source).toLowerCase();
      switch (knownTopicType(topic.properties.topicType)) {
        case SUBSCRIPTIONS_TOPIC_TYPE:
          return source === `/subscriptions/${context.subscriptionId}`;
        case RESOURCE_GROUPS_TOPIC_TYPE:
          return subject === source || subject.startsWith(`${source}/`);
        default:
          return false;
      }
    });
  }

  private subscriptionsOf(topic: ResourceRecord): ResourceRecord[] {
    return this.deps.state
      .nestedKeys(topic)
      .map((key) => this.deps.state.resources.get(key))
      .filter(
        (resource): resource is ResourceRecord =>
          resource?.type.toLowerCase() === EVENT_SUBSCRIPTION_TYPE.toLowerCase() &&
          resource.provisioningState === 'Succeeded',
      );
  }

  private accepts(subscription: ResourceRecord, event: EventGridEvent): boolean {
    const expiration = subscription.properties.expirationTimeUtc;
    if (typeof expiration === 'string' && Date.parse(expiration) <= this.deps.now()) return false;
    return eventMatchesFilter(event, (subscription.properties.filter ?? {}) as EventFilter);
  }

  private jobOf(subscription: ResourceRecord, event: EventGridEvent): DeliveryJob {
    const queue = queueDestinationOf(subscription);
    const deadLetter = deadLetterContainerOf(subscription);
    const retry = subscription.properties.retryPolicy as {
      maxDeliveryAttempts: number;
      eventTimeToLiveInMinutes: number;
    };
    return {
      eventId: event.id,
      eventSubscriptionId: subscription.id,
      eventSubscriptionName: subscription.name,
      destination: `${accountOf(queue.resourceId)}/${queue.queueName}`,
      event:
        subscription.properties.eventDeliverySchema === 'CloudEventSchemaV1_0'
          ? asCloudEvent(event)
          : { ...event },
      maxDeliveryAttempts: retry.maxDeliveryAttempts,
      eventTimeToLiveMinutes: retry.eventTimeToLiveInMinutes,
      ...(deadLetter
        ? { deadLetter: `${accountOf(deadLetter.resourceId)}/${deadLetter.blobContainerName}` }
        : {}),
    };
  }

  /** The event subscription as it is now, or abandon the delivery: it was deleted. */
  private currentSubscription(job: DeliveryJob): ResourceRecord {
    const subscription = this.deps.state.getResource(job.eventSubscriptionId);
    if (!subscription) {
      throw new DeliveryAbandoned(`event subscription ${job.eventSubscriptionName} was deleted`);
    }
    return subscription;
  }

  /**
   * Storage refuses a topic identity without the data role: 403, as Azure Storage answers
   * `AuthorizationPermissionMismatch`.
   */
  private requireDataAccess(
    subscription: ResourceRecord,
    what: 'delivery' | 'deadLetter',
    dataAction: string,
    scope: string,
  ): void {
    if (!usesTopicIdentity(subscription, what)) return;
    const topic = this.deps.state.getResource(topicIdOf(subscription));
    const principalId = (topic?.identity as { principalId?: string } | undefined)?.principalId;
    if (!principalId || !this.deps.rbac.isDataActionAllowed(principalId, dataAction, scope)) {
      throw new DeliveryFailure(
        'Forbidden',
        `the system topic's identity may not perform '${dataAction}' on '${scope}'`,
      );
    }
  }

  private requireAccount(resourceId: string): void {
    if (!this.deps.state.getResource(resourceId)) {
      throw new DeliveryFailure('NotFound', `storage account '${resourceId}' does not exist`);
    }
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    const subscription = this.currentSubscription(job);
    const queue = queueDestinationOf(subscription);
    this.requireAccount(queue.resourceId);
    this.requireDataAccess(
      subscription,
      'delivery',
      QUEUE_SEND,
      `${queue.resourceId}/queueServices/default/queues/${queue.queueName}`,
    );
    await this.deps.dataPlane.sendQueueMessage(
      accountOf(queue.resourceId),
      queue.queueName,
      JSON.stringify(job.event),
      queue.queueMessageTimeToLiveInSeconds,
    );
  }

  /**
   * Writes a dead-lettered event where Event Grid does: `{container}/{EVENT-SUBSCRIPTION-NAME}/
   * {year}/{month}/{day}/{hour}/{guid}.json`, the name in upper case (manage-event-delivery.md).
   */
  private async writeDeadLetter(
    job: DeliveryJob,
    deadLettered: Record<string, unknown>,
  ): Promise<void> {
    const subscription = this.currentSubscription(job);
    const container = deadLetterContainerOf(subscription);
    if (!container) throw new DeliveryAbandoned('the event subscription no longer dead-letters');
    this.requireAccount(container.resourceId);
    this.requireDataAccess(
      subscription,
      'deadLetter',
      BLOB_WRITE,
      `${container.resourceId}/blobServices/default/containers/${container.blobContainerName}`,
    );
    const at = new Date(this.deps.now());
    const name = [
      job.eventSubscriptionName.toUpperCase(),
      at.getUTCFullYear(),
      at.getUTCMonth() + 1,
      at.getUTCDate(),
      at.getUTCHours(),
      `${randomUUID()}.json`,
    ].join('/');
    await this.deps.dataPlane.writeBlob(
      accountOf(container.resourceId),
      container.blobContainerName,
      name,
      JSON.stringify([deadLettered]),
    );
  }
}
