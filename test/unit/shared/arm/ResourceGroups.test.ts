import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../shared/errors.js';
import { armError, InMemoryResourceGroups } from '../../../support/fakes/InMemoryResourceGroups.js';
import { resourceGroupsContract } from '../../../support/fakes/resourceGroupsContract.js';

// The fake the service tests use keeps the same contract as ArmResourceGroups (the integration
// test runs the same suite against the ARM emulator).
resourceGroupsContract('InMemoryResourceGroups', async () => {
  const groups = new InMemoryResourceGroups('sub-1');
  return {
    groups,
    subscriptionId: 'sub-1',
    seed: async (seeded) => void groups.seed(...seeded),
  };
});

describe('InMemoryResourceGroups', () => {
  it('refuses writes to a group being deleted, transiently', async () => {
    // Prepare
    const groups = new InMemoryResourceGroups('sub-1').seed({
      name: 'rg-1',
      provisioningState: 'Deleting',
    });

    // Act
    const error = await groups.mergeTags('sub-1', 'rg-1', { a: 'b' }).catch((e: unknown) => e);

    // Assess
    expect(classifyError(error)).toMatchObject({
      kind: 'transient',
      status: 409,
      code: 'ResourceGroupBeingDeleted',
    });
  });

  it('throws injected faults, then behaves again, and records every call', async () => {
    // Prepare
    const groups = new InMemoryResourceGroups('sub-1').seed({ name: 'rg-1' });
    groups.failNext('get', armError(429, 'TooManyRequests', 'slow down', 'transient', 1000));

    // Act
    const first = await groups.get('sub-1', 'rg-1').catch((e: unknown) => e);
    const second = await groups.get('sub-1', 'RG-1');

    // Assess
    expect(classifyError(first)).toMatchObject({
      kind: 'transient',
      status: 429,
      retryAfterMs: 1000,
    });
    expect(second?.name).toBe('rg-1');
    expect(groups.calls).toEqual([
      { method: 'get', subscriptionId: 'sub-1', name: 'rg-1' },
      { method: 'get', subscriptionId: 'sub-1', name: 'RG-1' },
    ]);
  });

  it('stamps createdTime from its clock and hands out copies', async () => {
    // Prepare
    const groups = new InMemoryResourceGroups('sub-1', () => new Date('2026-02-03T04:05:06Z'));

    // Act
    const created = await groups.createOrUpdate('sub-1', 'rg-1', {
      location: 'eastus',
      tags: { a: '1' },
    });
    created.tags.a = 'changed';

    // Assess
    expect(created.createdTime).toBe('2026-02-03T04:05:06.000Z');
    expect(groups.peek('sub-1', 'rg-1')?.tags).toEqual({ a: '1' });
  });

  it('finishes a resumed delete, even when the group is already gone', async () => {
    // Prepare
    const groups = new InMemoryResourceGroups('sub-1').seed({ name: 'rg-1' });

    // Act
    const resumed = await groups.delete('sub-1', 'rg-1', { resumeToken: 'token' });
    const again = await groups.delete('sub-1', 'rg-1', { resumeToken: 'token' });

    // Assess
    expect([resumed, again]).toEqual(['deleted', 'deleted']);
    expect(groups.names('sub-1')).toEqual([]);
  });
});
