import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../../services/notifications/describeEvent.js';
import { sandboxProvisioningFailed } from '../../../../services/notifications/events.js';

const failed = (partialGroup?: Parameters<typeof sandboxProvisioningFailed>[0]['partialGroup']) =>
  sandboxProvisioningFailed({
    sandbox: 'ana-1',
    subscriptionId: 'sub-1',
    owner: 'oid-ana',
    operationId: 'op-1',
    time: '2026-01-01T10:00:00.000Z',
    error: { code: 'InternalServerError', message: 'boom' },
    ...(partialGroup ? { partialGroup } : {}),
  });

describe('describeEvent', () => {
  it.each([
    {
      description: 'kept for inspection',
      partialGroup: {
        name: 'ana-1',
        action: 'kept' as const,
        leaseExpiresAt: '2026-01-02T10:00:00.000Z',
      },
      left: 'group ana-1, kept for inspection until 2026-01-02T10:00:00.000Z',
    },
    {
      description: 'being deleted',
      partialGroup: { name: 'ana-1', action: 'deleting' as const, teardownOperationId: 'op-2' },
      left: 'group ana-1, being deleted',
    },
    {
      description: 'nothing',
      partialGroup: { name: 'ana-1', action: 'none' as const },
      left: 'nothing',
    },
  ])('says what a failed provisioning left: $description', ({ partialGroup, left }) => {
    // Act
    const described = describeEvent(failed(partialGroup));

    // Assess
    expect(described).toMatchObject({
      title: 'Sandbox ana-1 could not be provisioned',
      text: 'InternalServerError: boom',
    });
    expect(described.facts).toContainEqual(['What it left', left]);
  });

  it('leaves the fact out when it is not known yet', () => {
    expect(describeEvent(failed()).facts.map(([name]) => name)).not.toContain('What it left');
  });
});
