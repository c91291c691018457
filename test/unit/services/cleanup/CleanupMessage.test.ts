import { describe, expect, it } from 'vitest';
import { parseCleanupMessage } from '../../../../services/cleanup/CleanupMessage.js';

describe('parseCleanupMessage', () => {
  it.each([
    { description: 'a plan message', value: { kind: 'plan', runId: 'r' } },
    {
      description: 'an item message',
      value: { kind: 'item', runId: 'r', subscriptionId: 's', group: 'g' },
    },
    {
      description: 'a JSON string',
      value: '{"kind":"plan","runId":"r"}',
      expected: { kind: 'plan', runId: 'r' },
    },
  ])('reads $description', ({ value, expected }) => {
    // Act
    const message = parseCleanupMessage(value);

    // Assess
    expect(message).toEqual(expected ?? value);
  });

  it.each([
    {
      description: 'an unknown kind',
      value: { kind: 'nuke', runId: 'r' },
      message:
        "Invalid cleanup message: kind: Invalid discriminator value. Expected 'plan' | 'item'",
    },
    {
      description: 'an item without a group',
      value: { kind: 'item', runId: 'r', subscriptionId: 's' },
      message: 'Invalid cleanup message: group: Invalid input: expected string, received undefined',
    },
    {
      description: 'text that is not JSON',
      value: 'hello',
      message: 'Invalid cleanup message: message: Invalid input',
    },
  ])('rejects $description as permanent', ({ value, message }) => {
    // Act
    const act = () => parseCleanupMessage(value);

    // Assess
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'permanent', code: 'InvalidCleanupMessage' });
    }
  });
});
