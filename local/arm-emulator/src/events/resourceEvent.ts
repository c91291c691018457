import { randomUUID } from 'node:crypto';

/**
 * Azure Resource Manager's events in the Event Grid schema, as MicrosoftDocs/azure-docs documents
 * them (articles/event-grid/event-schema-subscriptions.md, event-schema-resource-groups.md) and
 * Azure/azure-rest-api-specs shows them (specification/eventgrid/data-plane/Microsoft.Resources,
 * examples/event-grid-schema/resource_*.json).
 */

export type ResourceOperationKind = 'Write' | 'Delete' | 'Action';
export type ResourceOutcome = 'Success' | 'Failure' | 'Cancel';

/** `authorization.evidence`: the role assignment that let the caller in. */
export interface AuthorizationEvidence {
  role: string;
  roleAssignmentScope: string;
  /** GUIDs without dashes, as ARM writes them. */
  roleAssignmentId: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
}

export interface ResourceHttpRequest {
  clientRequestId: string;
  clientIpAddress: string;
  method: string;
  url: string;
}

/**
 * What ARM knew of a write, delete or action when it let the request through: all an event about
 * it carries but its outcome. Plain data, kept with a long-running operation until it ends.
 */
export interface ArmOperationContext {
  kind: ResourceOperationKind;
  subscriptionId: string;
  /** The resource the operation is about: the event's `subject` and `data.resourceUri`. */
  resourceUri: string;
  operationName: string;
  resourceProvider: string;
  authorization: { scope: string; action: string; evidence?: AuthorizationEvidence };
  /** The token's claims as ARM records them (see azureClaimsOf). */
  claims: Record<string, string>;
  correlationId: string;
  /** Present for an update, a delete or an action; absent when the write created the resource. */
  httpRequest?: ResourceHttpRequest;
  tenantId: string;
}

export interface ResourceEventData {
  authorization: ArmOperationContext['authorization'];
  claims: Record<string, string>;
  correlationId: string;
  httpRequest?: ResourceHttpRequest;
  resourceProvider: string;
  resourceUri: string;
  operationName: string;
  status: 'Succeeded' | 'Failed' | 'Canceled';
  subscriptionId: string;
  tenantId: string;
}

/** One event in the Event Grid schema, as a subscription's system topic publishes it. */
export interface EventGridEvent {
  subject: string;
  eventType: string;
  eventTime: string;
  id: string;
  data: ResourceEventData;
  dataVersion: string;
  metadataVersion: string;
  topic: string;
}

const STATUS: Record<ResourceOutcome, ResourceEventData['status']> = {
  Success: 'Succeeded',
  Failure: 'Failed',
  Cancel: 'Canceled',
};

/**
 * Time as Event Grid writes it: .NET's round trip format without trailing zeros
 * ("2018-07-19T18:38:04.6117357Z", "2018-07-19T19:24:12.763881Z").
 *
 * @example
 * eventTimeOf(Date.UTC(2018, 6, 19, 18, 38, 4, 610)); // '2018-07-19T18:38:04.61Z'
 */
export function eventTimeOf(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_, fraction: string) => {
    const trimmed = fraction.replace(/0+$/, '');
    return trimmed ? `.${trimmed}Z` : 'Z';
  });
}

/**
 * The event ARM raises when an operation ends, in the Event Grid schema, for a system topic whose
 * resource id is `topic`. Keys come in the order Azure's samples show.
 *
 * @example
 * resourceEventOf(context, 'Success', Date.now(), `/subscriptions/${context.subscriptionId}`);
 * // { subject, eventType: 'Microsoft.Resources.ResourceWriteSuccess', eventTime, id, data, … }
 */
export function resourceEventOf(
  context: ArmOperationContext,
  outcome: ResourceOutcome,
  timeMs: number,
  topic: string,
  id: string = randomUUID(),
): EventGridEvent {
  return {
    subject: context.resourceUri,
    eventType: `Microsoft.Resources.Resource${context.kind}${outcome}`,
    eventTime: eventTimeOf(timeMs),
    id,
    data: {
      authorization: context.authorization,
      claims: context.claims,
      correlationId: context.correlationId,
      ...(context.httpRequest ? { httpRequest: context.httpRequest } : {}),
      resourceProvider: context.resourceProvider,
      resourceUri: context.resourceUri,
      operationName: context.operationName,
      status: STATUS[outcome],
      subscriptionId: context.subscriptionId,
      tenantId: context.tenantId,
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic,
  };
}

/**
 * The same event in the CloudEvents 1.0 schema, for an event subscription that asks for it
 * (specification/eventgrid/data-plane/Microsoft.Resources, examples/cloud-events-schema).
 */
export function asCloudEvent(event: EventGridEvent) {
  return {
    id: event.id,
    source: event.topic,
    specversion: '1.0',
    type: event.eventType,
    subject: event.subject,
    time: event.eventTime,
    data: event.data,
  };
}
