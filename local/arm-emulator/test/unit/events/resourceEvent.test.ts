/**
 * ARM's events in the Event Grid schema: MicrosoftDocs/azure-docs,
 * articles/event-grid/event-schema-subscriptions.md (the samples' keys, `dataVersion` "2",
 * `metadataVersion` "1", times like "2018-07-19T18:38:04.6117357Z"), and
 * Azure/azure-rest-api-specs, specification/eventgrid/data-plane/Microsoft.Resources/stable/
 * 2018-01-01/examples (event-grid-schema and cloud-events-schema).
 */
import { describe, expect, it } from 'vitest';
import {
  type ArmOperationContext,
  asCloudEvent,
  eventTimeOf,
  resourceEventOf,
} from '../../../src/events/resourceEvent.js';

const context: ArmOperationContext = {
  kind: 'Write',
  subscriptionId: 's',
  resourceUri: '/subscriptions/s/resourcegroups/rg',
  operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
  resourceProvider: 'Microsoft.Resources',
  authorization: { scope: '/subscriptions/s/resourcegroups/rg', action: 'a' },
  claims: { ver: '1.0' },
  correlationId: 'c',
  tenantId: 't',
};

describe('eventTimeOf', () => {
  it.each([
    [Date.UTC(2018, 6, 19, 18, 38, 4, 611), '2018-07-19T18:38:04.611Z'],
    [Date.UTC(2018, 6, 19, 18, 38, 4, 610), '2018-07-19T18:38:04.61Z'],
    [Date.UTC(2018, 6, 19, 18, 38, 4, 0), '2018-07-19T18:38:04Z'],
  ])('writes %s as %s', (ms, text) => {
    expect(eventTimeOf(ms)).toBe(text);
  });
});

describe('resourceEventOf', () => {
  it("names the event after the operation's kind and outcome", () => {
    expect(resourceEventOf(context, 'Success', 0, '/subscriptions/s').eventType).toBe(
      'Microsoft.Resources.ResourceWriteSuccess',
    );
    expect(
      resourceEventOf({ ...context, kind: 'Delete' }, 'Failure', 0, '/subscriptions/s').eventType,
    ).toBe('Microsoft.Resources.ResourceDeleteFailure');
    expect(
      resourceEventOf({ ...context, kind: 'Action' }, 'Cancel', 0, '/subscriptions/s').eventType,
    ).toBe('Microsoft.Resources.ResourceActionCancel');
  });

  it.each([
    ['Success', 'Succeeded'],
    ['Failure', 'Failed'],
    ['Cancel', 'Canceled'],
  ] as const)('reports a %s as status %s', (outcome, status) => {
    expect(resourceEventOf(context, outcome, 0, '/subscriptions/s').data.status).toBe(status);
  });

  it("lays the event out as Azure's samples do", () => {
    // Act
    const event = resourceEventOf(context, 'Success', 0, '/subscriptions/s', 'id-1');
    // Assess
    expect(Object.keys(event)).toEqual([
      'subject',
      'eventType',
      'eventTime',
      'id',
      'data',
      'dataVersion',
      'metadataVersion',
      'topic',
    ]);
    expect(Object.keys(event.data)).toEqual([
      'authorization',
      'claims',
      'correlationId',
      'resourceProvider',
      'resourceUri',
      'operationName',
      'status',
      'subscriptionId',
      'tenantId',
    ]);
    expect(event).toMatchObject({
      subject: context.resourceUri,
      id: 'id-1',
      dataVersion: '2',
      metadataVersion: '1',
      topic: '/subscriptions/s',
    });
  });

  it('carries the HTTP request when it has one, after the correlation id', () => {
    // Prepare
    const httpRequest = {
      clientRequestId: 'r',
      clientIpAddress: '127.0.0.1',
      method: 'DELETE',
      url: 'u',
    };
    // Act
    const event = resourceEventOf({ ...context, kind: 'Delete', httpRequest }, 'Success', 0, 't');
    // Assess
    expect(Object.keys(event.data).slice(2, 4)).toEqual(['correlationId', 'httpRequest']);
    expect(event.data.httpRequest).toEqual(httpRequest);
  });
});

describe('asCloudEvent', () => {
  it('maps topic to source, eventType to type and eventTime to time', () => {
    // Prepare
    const event = resourceEventOf(context, 'Success', 0, '/subscriptions/s', 'id-1');
    // Act
    const cloudEvent = asCloudEvent(event);
    // Assess
    expect(cloudEvent).toEqual({
      id: 'id-1',
      source: '/subscriptions/s',
      specversion: '1.0',
      type: 'Microsoft.Resources.ResourceWriteSuccess',
      subject: context.resourceUri,
      time: '1970-01-01T00:00:00Z',
      data: event.data,
    });
  });
});
