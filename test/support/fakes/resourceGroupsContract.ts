/**
 * The behaviour every `ResourceGroups` must have, run against `ArmResourceGroups` over the ARM
 * emulator (integration) and `InMemoryResourceGroups` (unit), so the fake cannot drift from ARM.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceGroups } from '../../../shared/arm/ResourceGroups.js';
import { classifyError, LroTimeoutError } from '../../../shared/errors.js';

export interface ContractGroup {
  name: string;
  location: string;
  tags?: Record<string, string>;
  createdTime?: string;
  locks?: Array<{ name: string; level: 'CanNotDelete' | 'ReadOnly'; notes?: string }>;
}

export interface ResourceGroupsHarness {
  groups: ResourceGroups;
  subscriptionId: string;
  /** Makes the groups exist (with their locks), as if created earlier by someone else. */
  seed(groups: ContractGroup[]): Promise<void>;
}

/**
 * @example
 * resourceGroupsContract('InMemoryResourceGroups', async () => { … return { groups, subscriptionId, seed }; });
 */
export function resourceGroupsContract(
  name: string,
  harness: () => Promise<ResourceGroupsHarness>,
): void {
  describe(`${name} keeps the ResourceGroups contract`, () => {
    it('creates a group and reads it back as plain data', async () => {
      // Prepare
      const { groups, subscriptionId: sub } = await harness();

      // Act
      const created = await groups.createOrUpdate(sub, 'rg-contract-new', {
        location: 'westeurope',
        tags: { 'managed-by': 'sandbox-automation' },
      });
      const read = await groups.get(sub, 'rg-contract-new');

      // Assess
      const expected = {
        subscriptionId: sub,
        name: 'rg-contract-new',
        id: `/subscriptions/${sub}/resourceGroups/rg-contract-new`,
        location: 'westeurope',
        tags: { 'managed-by': 'sandbox-automation' },
        provisioningState: 'Succeeded',
      };
      expect(created).toMatchObject(expected);
      expect(read).toMatchObject(expected);
    });

    it('answers undefined for a missing group', async () => {
      // Prepare
      const { groups, subscriptionId: sub } = await harness();

      // Act & Assess
      expect(await groups.get(sub, 'rg-contract-missing')).toBeUndefined();
    });

    it('updates tags in place with another PUT', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([{ name: 'rg-contract-tags', location: 'westeurope', tags: { a: '1', b: '2' } }]);

      // Act
      const put = await groups.createOrUpdate(sub, 'rg-contract-tags', {
        location: 'westeurope',
        tags: { c: '3' },
      });

      // Assess
      expect(put.tags).toEqual({ c: '3' });
      expect((await groups.get(sub, 'rg-contract-tags'))?.tags).toEqual({ c: '3' });
    });

    it('merges tags, keeping the ones it was not given', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([{ name: 'rg-contract-merge', location: 'westeurope', tags: { a: '1', b: '2' } }]);

      // Act
      const merged = await groups.mergeTags(sub, 'rg-contract-merge', { b: '20', c: '3' });

      // Assess
      expect(merged.tags).toEqual({ a: '1', b: '20', c: '3' });
      expect((await groups.get(sub, 'rg-contract-merge'))?.tags).toEqual(merged.tags);
    });

    it('refuses to move a group to another location (permanent 409)', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([{ name: 'rg-contract-loc', location: 'westeurope' }]);

      // Act
      const error = await groups
        .createOrUpdate(sub, 'rg-contract-loc', { location: 'eastus', tags: {} })
        .catch((e: unknown) => e);

      // Assess
      expect(classifyError(error)).toMatchObject({
        kind: 'permanent',
        status: 409,
        code: 'InvalidResourceGroupLocation',
      });
    });

    it('refuses to tag a missing group (permanent 404)', async () => {
      // Prepare
      const { groups, subscriptionId: sub } = await harness();

      // Act
      const error = await groups
        .mergeTags(sub, 'rg-contract-nope', { a: 'b' })
        .catch((e: unknown) => e);

      // Assess
      expect(classifyError(error)).toMatchObject({
        kind: 'permanent',
        status: 404,
        code: 'ResourceGroupNotFound',
      });
    });

    it('lists seeded groups with their createdTime', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([
        { name: 'rg-contract-list-a', location: 'westeurope', createdTime: '2024-05-06T07:08:09Z' },
        {
          name: 'rg-contract-list-b',
          location: 'eastus',
          tags: { x: 'y' },
          createdTime: '2024-05-07T07:08:09Z',
        },
      ]);

      // Act
      const listed = [];
      for await (const g of groups.list(sub))
        if (g.name.startsWith('rg-contract-list-')) listed.push(g);

      // Assess
      expect(
        listed
          .map((g) => ({
            name: g.name,
            location: g.location,
            tags: g.tags,
            created: Date.parse(g.createdTime ?? ''),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      ).toEqual([
        {
          name: 'rg-contract-list-a',
          location: 'westeurope',
          tags: {},
          created: Date.parse('2024-05-06T07:08:09Z'),
        },
        {
          name: 'rg-contract-list-b',
          location: 'eastus',
          tags: { x: 'y' },
          created: Date.parse('2024-05-07T07:08:09Z'),
        },
      ]);
    });

    it('lists locks, and none for a missing group', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([
        {
          name: 'rg-contract-locks',
          location: 'westeurope',
          locks: [{ name: 'keep', level: 'CanNotDelete', notes: 'why' }],
        },
      ]);

      // Act
      const locks = await groups.listLocks(sub, 'rg-contract-locks');
      const none = await groups.listLocks(sub, 'rg-contract-gone');

      // Assess
      expect(locks).toEqual([
        {
          id: expect.stringContaining('/providers/Microsoft.Authorization/locks/keep'),
          name: 'keep',
          level: 'CanNotDelete',
          notes: 'why',
        },
      ]);
      expect(none).toEqual([]);
    });

    it('deletes a group, saving a resume token once', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([{ name: 'rg-contract-del', location: 'westeurope' }]);
      const tokens: string[] = [];

      // Act
      const outcome = await groups.delete(sub, 'rg-contract-del', {
        saveResumeToken: async (t) => void tokens.push(t),
      });

      // Assess
      expect(outcome).toBe('deleted');
      expect(tokens).toHaveLength(1);
      expect(await groups.get(sub, 'rg-contract-del')).toBeUndefined();
    });

    it('lists every lock of the subscription with the group it holds', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([
        {
          name: 'rg-contract-la',
          location: 'westeurope',
          locks: [{ name: 'a', level: 'ReadOnly' }],
        },
        {
          name: 'rg-contract-lb',
          location: 'westeurope',
          locks: [{ name: 'b', level: 'CanNotDelete', notes: 'keep' }],
        },
        { name: 'rg-contract-lc', location: 'westeurope' },
      ]);

      // Act
      const locks = await groups.listLocksInSubscription(sub);
      const shared = await groups.listLocks(sub, 'rg-contract-lb', { maxAgeMs: 60_000 });

      // Assess
      expect(
        locks
          .map(({ name, level, resourceGroup }) => ({ name, level, resourceGroup }))
          .sort((x, y) => x.name.localeCompare(y.name)),
      ).toEqual([
        { name: 'a', level: 'ReadOnly', resourceGroup: 'rg-contract-la' },
        { name: 'b', level: 'CanNotDelete', resourceGroup: 'rg-contract-lb' },
      ]);
      expect(shared.map(({ name, notes }) => ({ name, notes }))).toEqual([
        { name: 'b', notes: 'keep' },
      ]);
    });

    it('starts a delete without waiting (waitMs 0), then finishes it from the token', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([{ name: 'rg-contract-nowait', location: 'westeurope' }]);
      const tokens: string[] = [];

      // Act
      const first = await groups
        .delete(sub, 'rg-contract-nowait', {
          waitMs: 0,
          saveResumeToken: async (t) => void tokens.push(t),
        })
        .catch((e: unknown) => e);
      const second = await groups.delete(sub, 'rg-contract-nowait', { resumeToken: tokens[0]! });

      // Assess: ARM may finish at once, or hand the wait back with the token it saved.
      if (first !== 'deleted') {
        expect(first).toBeInstanceOf(LroTimeoutError);
        expect(first).toMatchObject({ kind: 'transient', resumeToken: tokens[0] });
      }
      expect(tokens).toHaveLength(1);
      expect(second).toBe('deleted');
      expect(await groups.get(sub, 'rg-contract-nowait')).toBeUndefined();
    });

    it('answers not-found when deleting a missing group', async () => {
      // Prepare
      const { groups, subscriptionId: sub } = await harness();

      // Act & Assess
      expect(await groups.delete(sub, 'rg-contract-never')).toBe('not-found');
    });

    it('refuses to delete a locked group (permanent ScopeLocked) and keeps it', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([
        {
          name: 'rg-contract-lockdel',
          location: 'westeurope',
          locks: [{ name: 'keep', level: 'CanNotDelete' }],
        },
      ]);

      // Act
      const error = await groups.delete(sub, 'rg-contract-lockdel').catch((e: unknown) => e);

      // Assess
      expect(classifyError(error)).toMatchObject({
        kind: 'permanent',
        status: 409,
        code: 'ScopeLocked',
      });
      expect(await groups.get(sub, 'rg-contract-lockdel')).toBeDefined();
    });

    it('refuses writes to a ReadOnly-locked group (permanent ScopeLocked)', async () => {
      // Prepare
      const { groups, subscriptionId: sub, seed } = await harness();
      await seed([
        {
          name: 'rg-contract-ro',
          location: 'westeurope',
          locks: [{ name: 'frozen', level: 'ReadOnly' }],
        },
      ]);

      // Act
      const error = await groups
        .mergeTags(sub, 'rg-contract-ro', { a: 'b' })
        .catch((e: unknown) => e);

      // Assess
      expect(classifyError(error)).toMatchObject({
        kind: 'permanent',
        status: 409,
        code: 'ScopeLocked',
      });
    });
  });
}
