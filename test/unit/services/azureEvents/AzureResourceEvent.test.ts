import { describe, expect, it } from 'vitest';
import {
  correlateAzureEvent,
  parseAzureResourceEvent,
} from '../../../../services/azureEvents/AzureResourceEvent.js';
import { InvalidAzureEventError } from '../../../../services/azureEvents/errors.js';
import {
  groupUri,
  resourceEvent,
  userClaims,
} from '../../../support/azureEvents/azureEventFactory.js';

const event = resourceEvent({
  id: '3d06bd7a-0000-4000-8000-000000000001',
  resourceUri: groupUri('rg-ana'),
  claims: userClaims('ana@contoso.com', 'oid-ana'),
  eventTime: '2026-03-01T12:00:00.6117357Z',
});

describe('parseAzureResourceEvent', () => {
  it('reads an event in the Event Grid schema', () => {
    // Act
    const parsed = parseAzureResourceEvent(event);

    // Assess
    expect(parsed).toMatchObject({
      id: '3d06bd7a-0000-4000-8000-000000000001',
      topic: event.topic,
      subject: groupUri('rg-ana'),
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      eventTime: '2026-03-01T12:00:00.6117357Z',
      data: {
        resourceUri: groupUri('rg-ana'),
        operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
        status: 'Succeeded',
        claims: event.data.claims,
      },
    });
  });

  it('reads the JSON text of an event', () => {
    // Act & Assess
    expect(parseAzureResourceEvent(JSON.stringify(event)).id).toBe(event.id);
  });

  it('reads an event in the CloudEvents 1.0 schema', () => {
    // Prepare
    const cloud = {
      id: event.id,
      source: event.topic,
      specversion: '1.0',
      type: event.eventType,
      subject: event.subject,
      time: event.eventTime,
      data: event.data,
    };

    // Act
    const parsed = parseAzureResourceEvent(cloud);

    // Assess
    expect(parsed).toMatchObject({
      id: event.id,
      topic: event.topic,
      eventType: event.eventType,
      eventTime: event.eventTime,
    });
  });

  it('keeps only the claims that are strings', () => {
    // Act
    const parsed = parseAzureResourceEvent({
      ...event,
      data: { ...event.data, claims: { upn: 'ana@contoso.com', roles: ['a'], iat: 1 } },
    });

    // Assess
    expect(parsed.data.claims).toEqual({ upn: 'ana@contoso.com' });
  });

  it('reads an event without claims as one with none', () => {
    // Prepare
    const { claims: _, ...data } = event.data;

    // Act & Assess
    expect(parseAzureResourceEvent({ ...event, data }).data.claims).toEqual({});
  });

  it.each([
    {
      description: 'text that is no JSON',
      message: 'hello',
      detail: 'expected a JSON object, got text',
    },
    {
      description: 'an empty message',
      message: '',
      detail: 'expected a JSON object, got an empty message',
    },
    { description: 'a number', message: 42, detail: 'expected a JSON object, got number' },
    { description: 'null', message: null, detail: 'expected a JSON object, got null' },
    {
      description: 'an array of events',
      message: [event],
      detail: 'an array; Event Grid writes one event per queue message',
    },
    {
      description: 'an event without data',
      message: { ...event, data: undefined },
      detail: 'data: Invalid input: expected object, received undefined',
    },
    {
      description: 'an event without a resource',
      message: { ...event, data: { ...event.data, resourceUri: '' } },
      detail: 'data.resourceUri: Too small: expected string to have >=1 characters',
    },
    {
      description: 'an event time that is no time',
      message: { ...event, eventTime: 'yesterday' },
      detail: 'eventTime: must be an ISO 8601 time',
    },
    {
      description: 'a CloudEvent without a type',
      message: {
        specversion: '1.0',
        id: 'x',
        subject: 's',
        time: event.eventTime,
        data: event.data,
      },
      detail: 'type: Invalid input: expected string, received undefined',
    },
  ])('refuses $description, saying why', ({ message, detail }) => {
    // Act & Assess
    expect(() => parseAzureResourceEvent(message)).toThrowError(new InvalidAzureEventError(detail));
    expect(() => parseAzureResourceEvent(message)).toThrow(
      `Not an Azure Resource Manager event: ${detail}`,
    );
  });
});

describe('correlateAzureEvent', () => {
  it("names the event's id", () => {
    // Act & Assess
    expect(correlateAzureEvent(event)).toEqual({ operationId: event.id });
  });

  it('names nothing for a message without an id', () => {
    // Act & Assess
    expect(correlateAzureEvent('text')).toEqual({});
    expect(correlateAzureEvent(null)).toEqual({});
  });
});
