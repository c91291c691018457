import { randomUUID } from 'node:crypto';
import { ArmError } from '../ArmError.js';
import type { ArmState, ResourceRecord } from '../ArmState.js';
import { TENANT_ID } from '../EmulatorOptions.js';
import { ADVANCED_FILTER_OPERATORS } from '../events/eventMatchesFilter.js';
import type { OperationFailure } from './ResourceTypeSpec.js';

/**
 * What Event Grid computes and checks for system topics and their event subscriptions, as
 * `Azure/azure-rest-api-specs` (`specification/eventgrid/resource-manager`, 2022-06-15 examples
 * `SystemTopics_CreateOrUpdate`, `SystemTopicEventSubscriptions_ListBySystemTopic`) and the errors
 * users quote show them.
 */

export const SYSTEM_TOPIC_TYPE = 'Microsoft.EventGrid/systemTopics';
export const EVENT_SUBSCRIPTION_TYPE = 'Microsoft.EventGrid/systemTopics/eventSubscriptions';
/** The topic types whose events the emulator raises: Azure Resource Manager's own. */
export const SUBSCRIPTIONS_TOPIC_TYPE = 'Microsoft.Resources.Subscriptions';
export const RESOURCE_GROUPS_TOPIC_TYPE = 'Microsoft.Resources.ResourceGroups';
const STORAGE_ACCOUNT_TYPE = 'microsoft.storage/storageaccounts';

/** Event Grid's answer to a request it refuses: 400 `InvalidRequest`. */
const invalid = (message: string) => new ArmError(400, 'InvalidRequest', message);

type Body = Record<string, unknown>;
const record = (value: unknown): Body =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Body) : {};
const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const SUBSCRIPTION_SOURCE = /^\/subscriptions\/([0-9a-f-]{36})$/i;
const GROUP_SOURCE = /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([^/]+)$/i;

/** The topic type a system topic names, as the emulator knows it; undefined for any other. */
export function knownTopicType(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return [SUBSCRIPTIONS_TOPIC_TYPE, RESOURCE_GROUPS_TOPIC_TYPE].find(
    (type) => type.toLowerCase() === value.toLowerCase(),
  );
}

/** An identity block with the system-assigned principal Event Grid creates, kept across updates. */
function topicIdentity(given: unknown, existing: unknown): Body | undefined {
  const identity = record(given);
  const type = stringOf(identity.type);
  if (!type || type.toLowerCase() === 'none') return type ? { type: 'None' } : undefined;
  const systemAssigned = type.toLowerCase().includes('systemassigned');
  const previous = record(existing);
  return {
    ...identity,
    type,
    ...(systemAssigned
      ? {
          principalId: stringOf(previous.principalId) ?? randomUUID(),
          tenantId: TENANT_ID,
        }
      : {}),
  };
}

/**
 * A system topic as Event Grid accepts it: a topic type whose events the emulator raises, a source
 * of the right shape, a `metricResourceId`, and a principal for a system-assigned identity.
 */
export function systemTopicPut(topic: ResourceRecord, state: ArmState): void {
  const given = topic.properties;
  const topicType = knownTopicType(given.topicType);
  if (!topicType) {
    throw invalid(
      typeof given.topicType === 'string'
        ? `The ARM emulator raises events for topic types '${SUBSCRIPTIONS_TOPIC_TYPE}' and '${RESOURCE_GROUPS_TOPIC_TYPE}' only, not '${given.topicType}'.`
        : "Required property 'topicType' is missing.",
    );
  }
  const source = stringOf(given.source);
  const pattern = topicType === SUBSCRIPTIONS_TOPIC_TYPE ? SUBSCRIPTION_SOURCE : GROUP_SOURCE;
  if (!source || !pattern.test(source)) {
    throw invalid(
      `The source '${String(given.source ?? '')}' is not a valid source for topic type '${topicType}'. It must look like '${topicType === SUBSCRIPTIONS_TOPIC_TYPE ? '/subscriptions/{subscriptionId}' : '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}'}'.`,
    );
  }
  const existing = state.getResource(topic.id);
  const identity = topicIdentity(topic.identity, existing?.identity);
  if (identity) topic.identity = identity;
  else delete topic.identity;
  topic.properties = {
    source,
    topicType: given.topicType,
    metricResourceId:
      stringOf(existing?.properties.metricResourceId) ??
      stringOf(given.metricResourceId) ??
      randomUUID(),
  };
}

/**
 * What Event Grid checks once it has accepted a system topic, ending its operation `Failed`: the
 * location of a global source is `global`, and one source has one system topic. The messages are
 * Event Grid's, as quoted in Azure-Samples/AzureMapsCodeSamples#75 and MicrosoftDocs/azure-docs#97986.
 */
export function systemTopicFailure(
  topic: ResourceRecord,
  state: ArmState,
): OperationFailure | undefined {
  const source = String(topic.properties.source);
  if (topic.location !== 'global') {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: `System topic's location must match with location of the source resource ${source}.`,
    };
  }
  const subscription = SUBSCRIPTION_SOURCE.exec(source)?.[1] ?? GROUP_SOURCE.exec(source)?.[1];
  if (subscription?.toLowerCase() !== topic.subscriptionId.toLowerCase()) {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: `The source ${source} of a system topic must be in the topic's own subscription ${topic.subscriptionId}.`,
    };
  }
  const twin = state
    .resourcesOfType(SYSTEM_TOPIC_TYPE)
    .find(
      (other) =>
        other.id.toLowerCase() !== topic.id.toLowerCase() &&
        other.provisioningState !== 'Failed' &&
        String(other.properties.source).toLowerCase() === source.toLowerCase(),
    );
  if (twin) {
    return {
      status: 400,
      code: 'InvalidRequest',
      message: `There is an existing tracked system topic for the given source ${source}. Only one system topic is allowed per source.`,
    };
  }
  return undefined;
}

/** A storage queue destination: the account's resource id and the queue's name. */
export interface QueueDestination {
  resourceId: string;
  queueName: string;
  queueMessageTimeToLiveInSeconds?: number;
}

/** A blob container for events that could not be delivered. */
export interface DeadLetterContainer {
  resourceId: string;
  blobContainerName: string;
}

/** Storage queue names: 3-63 lower-case letters, digits and single hyphens, no hyphen at an end. */
const QUEUE_NAME = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;
/** Blob container names follow the same rule. */
const CONTAINER_NAME = QUEUE_NAME;

function queueDestination(value: unknown, path: string): Body {
  const destination = record(value);
  const endpointType = stringOf(destination.endpointType);
  if (!endpointType) throw invalid(`Required property '${path}.endpointType' is missing.`);
  if (endpointType.toLowerCase() !== 'storagequeue') {
    throw invalid(
      `The ARM emulator delivers events to storage queues only ('StorageQueue'), not to '${endpointType}'.`,
    );
  }
  const properties = record(destination.properties);
  const resourceId = stringOf(properties.resourceId);
  if (resourceId?.split('/').length !== 9) {
    throw invalid(
      `'${path}.properties.resourceId' must be the id of a storage account, for example '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Storage/storageAccounts/{accountName}'.`,
    );
  }
  const queueName = stringOf(properties.queueName);
  if (!queueName || !QUEUE_NAME.test(queueName)) {
    throw invalid(
      `'${path}.properties.queueName' must be a storage queue name: 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.`,
    );
  }
  const ttl = properties.queueMessageTimeToLiveInSeconds;
  if (
    ttl !== undefined &&
    ttl !== null &&
    (!Number.isInteger(ttl) || (ttl as number) < -1 || ttl === 0)
  ) {
    throw invalid(
      `'${path}.properties.queueMessageTimeToLiveInSeconds' must be a positive number of seconds, or -1 for messages that never expire.`,
    );
  }
  return { ...destination, endpointType: 'StorageQueue', properties: { ...properties } };
}

function deadLetterDestination(value: unknown, path: string): Body {
  const destination = record(value);
  if (String(destination.endpointType ?? '').toLowerCase() !== 'storageblob') {
    throw invalid(`'${path}.endpointType' must be 'StorageBlob'.`);
  }
  const properties = record(destination.properties);
  const resourceId = stringOf(properties.resourceId);
  const container = stringOf(properties.blobContainerName);
  if (resourceId?.split('/').length !== 9) {
    throw invalid(`'${path}.properties.resourceId' must be the id of a storage account.`);
  }
  if (!container || !CONTAINER_NAME.test(container)) {
    throw invalid(`'${path}.properties.blobContainerName' must be a blob container name.`);
  }
  return { ...destination, endpointType: 'StorageBlob', properties: { ...properties } };
}

function identityOf(value: unknown, path: string): Body {
  const identity = record(value);
  const type = stringOf(identity.type);
  if (type !== 'SystemAssigned' && type !== 'UserAssigned') {
    throw invalid(`'${path}.type' must be 'SystemAssigned' or 'UserAssigned'.`);
  }
  return { ...identity };
}

function filterOf(value: unknown): Body {
  const filter = record(value);
  const included = filter.includedEventTypes;
  if (
    included !== undefined &&
    included !== null &&
    (!Array.isArray(included) || included.some((type) => typeof type !== 'string'))
  ) {
    throw invalid("'filter.includedEventTypes' must be a list of event types.");
  }
  const advanced = filter.advancedFilters;
  if (advanced !== undefined && advanced !== null) {
    if (!Array.isArray(advanced)) throw invalid("'filter.advancedFilters' must be a list.");
    for (const [index, entry] of advanced.entries()) {
      const { operatorType, key } = record(entry);
      if (typeof key !== 'string' || key.length === 0) {
        throw invalid(`'filter.advancedFilters[${index}].key' is required.`);
      }
      if (!ADVANCED_FILTER_OPERATORS.includes(operatorType as string)) {
        throw invalid(
          `'filter.advancedFilters[${index}].operatorType' must be one of ${ADVANCED_FILTER_OPERATORS.join(', ')}.`,
        );
      }
    }
  }
  return { subjectBeginsWith: '', subjectEndsWith: '', ...filter };
}

function retryPolicyOf(value: unknown): Body {
  const policy = record(value);
  const attempts = policy.maxDeliveryAttempts ?? 30;
  const ttl = policy.eventTimeToLiveInMinutes ?? 1440;
  if (!Number.isInteger(attempts) || (attempts as number) < 1 || (attempts as number) > 30) {
    throw invalid("'retryPolicy.maxDeliveryAttempts' must be an integer from 1 to 30.");
  }
  if (!Number.isInteger(ttl) || (ttl as number) < 1 || (ttl as number) > 1440) {
    throw invalid("'retryPolicy.eventTimeToLiveInMinutes' must be an integer from 1 to 1440.");
  }
  return { maxDeliveryAttempts: attempts, eventTimeToLiveInMinutes: ttl };
}

/** The system topic an event subscription hangs under. */
export const topicIdOf = (subscription: ResourceRecord) =>
  subscription.id.slice(0, subscription.id.lastIndexOf('/eventSubscriptions/'));

/**
 * An event subscription as Event Grid stores it: its topic, one storage queue destination (with or
 * without the topic's identity), the filter with its defaults, labels, the delivery schema and
 * the retry policy (30 attempts, 1440 minutes).
 */
export function eventSubscriptionPut(subscription: ResourceRecord): void {
  const given = subscription.properties;
  if (given.destination && given.deliveryWithResourceIdentity) {
    throw invalid("Specify either 'destination' or 'deliveryWithResourceIdentity', not both.");
  }
  let delivery: Body;
  if (given.deliveryWithResourceIdentity) {
    const withIdentity = record(given.deliveryWithResourceIdentity);
    delivery = {
      deliveryWithResourceIdentity: {
        identity: identityOf(withIdentity.identity, 'deliveryWithResourceIdentity.identity'),
        destination: queueDestination(
          withIdentity.destination,
          'deliveryWithResourceIdentity.destination',
        ),
      },
    };
  } else if (given.destination) {
    delivery = { destination: queueDestination(given.destination, 'destination') };
  } else {
    throw invalid("Required property 'destination' is missing.");
  }
  if (given.deadLetterDestination && given.deadLetterWithResourceIdentity) {
    throw invalid(
      "Specify either 'deadLetterDestination' or 'deadLetterWithResourceIdentity', not both.",
    );
  }
  const deadLetter: Body = given.deadLetterWithResourceIdentity
    ? {
        deadLetterWithResourceIdentity: {
          identity: identityOf(
            record(given.deadLetterWithResourceIdentity).identity,
            'deadLetterWithResourceIdentity.identity',
          ),
          deadLetterDestination: deadLetterDestination(
            record(given.deadLetterWithResourceIdentity).deadLetterDestination,
            'deadLetterWithResourceIdentity.deadLetterDestination',
          ),
        },
      }
    : given.deadLetterDestination
      ? {
          deadLetterDestination: deadLetterDestination(
            given.deadLetterDestination,
            'deadLetterDestination',
          ),
        }
      : {};
  const schema = given.eventDeliverySchema ?? 'EventGridSchema';
  if (schema !== 'EventGridSchema' && schema !== 'CloudEventSchemaV1_0') {
    throw invalid(
      `'eventDeliverySchema' must be 'EventGridSchema' or 'CloudEventSchemaV1_0' for a system topic, not '${String(schema)}'.`,
    );
  }
  const expiration = given.expirationTimeUtc;
  if (
    expiration !== undefined &&
    expiration !== null &&
    (typeof expiration !== 'string' || Number.isNaN(Date.parse(expiration)))
  ) {
    throw invalid("'expirationTimeUtc' must be a date and time.");
  }
  const labels = given.labels ?? [];
  if (!Array.isArray(labels) || labels.some((label) => typeof label !== 'string')) {
    throw invalid("'labels' must be a list of strings.");
  }
  subscription.properties = {
    topic: topicIdOf(subscription),
    ...delivery,
    filter: filterOf(given.filter),
    labels,
    eventDeliverySchema: schema,
    retryPolicy: retryPolicyOf(given.retryPolicy),
    ...(expiration ? { expirationTimeUtc: expiration } : {}),
    ...deadLetter,
  };
}

/** The queue an event subscription delivers to, whichever way it is configured. */
export function queueDestinationOf(subscription: ResourceRecord): QueueDestination {
  const properties = subscription.properties;
  const destination = record(
    record(properties.deliveryWithResourceIdentity).destination ?? properties.destination,
  );
  return record(destination.properties) as unknown as QueueDestination;
}

/** The dead-letter container of an event subscription, if it has one. */
export function deadLetterContainerOf(
  subscription: ResourceRecord,
): DeadLetterContainer | undefined {
  const properties = subscription.properties;
  const destination = record(
    record(properties.deadLetterWithResourceIdentity).deadLetterDestination ??
      properties.deadLetterDestination,
  );
  const container = record(destination.properties);
  return stringOf(container.resourceId) ? (container as unknown as DeadLetterContainer) : undefined;
}

/** Whether an event subscription delivers (or dead-letters) with its topic's identity. */
export const usesTopicIdentity = (subscription: ResourceRecord, what: 'delivery' | 'deadLetter') =>
  record(
    subscription.properties[
      what === 'delivery' ? 'deliveryWithResourceIdentity' : 'deadLetterWithResourceIdentity'
    ],
  ).identity !== undefined;

function storageAccountExists(state: ArmState, id: string): boolean {
  return state.getResource(id)?.type.toLowerCase() === STORAGE_ACCOUNT_TYPE;
}

/** Event Grid's `M/d/yyyy h:mm:ss AM` in UTC, as its validation messages print times. */
function eventGridTime(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * Event Grid's validation of an accepted event subscription, which ends its operation `Failed`:
 * the destination must exist ("Endpoint validation", as quoted in hashicorp/terraform-provider-azurerm
 * issues: "Destination endpoint not found. Resource details: resourceId: …. Resource should
 * pre-exist before attempting this operation."), and delivering with the topic's identity needs
 * one.
 */
export function eventSubscriptionFailure(
  subscription: ResourceRecord,
  state: ArmState,
  now: number,
): OperationFailure | undefined {
  const notFound = (resourceId: string): OperationFailure => ({
    status: 400,
    code: 'Endpoint validation',
    message: `Destination endpoint not found. Resource details: resourceId: ${resourceId}. Resource should pre-exist before attempting this operation. Activity id:${randomUUID()}, timestamp: ${eventGridTime(now)} (UTC).`,
  });
  const queue = queueDestinationOf(subscription);
  if (!storageAccountExists(state, queue.resourceId)) return notFound(queue.resourceId);
  const deadLetter = deadLetterContainerOf(subscription);
  if (deadLetter && !storageAccountExists(state, deadLetter.resourceId)) {
    return notFound(deadLetter.resourceId);
  }
  const topic = state.getResource(topicIdOf(subscription));
  const topicIdentityType = String(record(topic?.identity).type ?? 'None').toLowerCase();
  for (const what of ['delivery', 'deadLetter'] as const) {
    const wanted = record(
      record(
        subscription.properties[
          what === 'delivery' ? 'deliveryWithResourceIdentity' : 'deadLetterWithResourceIdentity'
        ],
      ).identity,
    );
    if (wanted.type && !topicIdentityType.includes(String(wanted.type).toLowerCase())) {
      return {
        status: 400,
        code: 'InvalidRequest',
        message: `The system topic ${topic?.name ?? ''} has no ${String(wanted.type)} identity to ${what === 'delivery' ? 'deliver' : 'dead-letter'} events with.`,
      };
    }
  }
  return undefined;
}
