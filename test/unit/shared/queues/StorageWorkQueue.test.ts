import { describe, expect, it } from 'vitest';
import { poisonQueueName, queueNames } from '../../../../shared/queues/queueNames.js';
import { decodeMessage, encodeMessage } from '../../../../shared/queues/StorageWorkQueue.js';

describe('encodeMessage', () => {
  it.each([
    { message: { operationId: 'op-1' }, encoded: 'eyJvcGVyYXRpb25JZCI6Im9wLTEifQ==' },
    {
      message: { name: 'sandbox-ü' },
      encoded: Buffer.from('{"name":"sandbox-ü"}', 'utf8').toString('base64'),
    },
    { message: [1, 2], encoded: 'WzEsMl0=' },
  ])('encodes $message as base64 JSON and back', ({ message, encoded }) => {
    // Act
    const text = encodeMessage(message);

    // Assess
    expect(text).toBe(encoded);
    expect(decodeMessage(text)).toEqual(message);
  });

  it('refuses a message over the 64 KiB queue limit', () => {
    // Act & Assess
    expect(() => encodeMessage({ blob: 'x'.repeat(50_000) })).toThrow(
      'queue message is 66684 bytes after base64; the limit is 65536',
    );
  });

  it('refuses a value JSON cannot carry', () => {
    // Act & Assess
    expect(() => encodeMessage(undefined)).toThrow('a queue message must be JSON-serializable');
  });
});

describe('queueNames', () => {
  it('names the queues and their poison queues', () => {
    // Act & Assess
    expect(queueNames).toEqual({
      provisionRequests: 'provision-requests',
      cleanupRequests: 'cleanup-requests',
      notifications: 'notifications',
      notificationDeliveries: 'notification-deliveries',
      notificationDeliveriesPoison: 'notification-deliveries-poison',
      powerRequests: 'power-requests',
      azureEvents: 'azure-events',
      azureEventsPoison: 'azure-events-poison',
    });
    expect(poisonQueueName(queueNames.provisionRequests)).toBe('provision-requests-poison');
  });
});
