import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestCleanupRun } from '../../../../services/cleanup/requestCleanupRun.js';
import {
  clockArbitrary,
  HOUR,
  inventoryArbitrary,
  policyArbitrary,
  SUB,
} from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

const SUB2 = '00000000-0000-0000-0000-000000000002';

type Change = 'lock' | 'extend-lease' | 'exempt' | 'retag' | 'none';

describe('applyCleanupItem over random inventories', () => {
  it('deletes only planned groups, and none that changed between plan and apply', async () => {
    await fc.assert(
      fc.asyncProperty(
        inventoryArbitrary,
        policyArbitrary,
        clockArbitrary,
        fc.array(fc.constantFrom<Change>('lock', 'extend-lease', 'exempt', 'retag', 'none'), {
          minLength: 40,
          maxLength: 40,
        }),
        async (inventory, policy, now, changes) => {
          // Prepare: plan a dry run, then change some groups before an admin approves it
          const h = cleanupHarness({
            policy: { ...policy, maxDeletes: 1000, maxDeleteFraction: 1 },
            now,
          });
          for (const { group, locks } of inventory) {
            h.groups.seed({
              subscriptionId: group.subscriptionId,
              name: group.name,
              tags: group.tags,
              provisioningState: group.provisioningState,
              ...(group.createdTime ? { createdTime: group.createdTime } : {}),
              locks: [...locks],
            });
          }
          const { runId } = await requestCleanupRun(
            { mode: 'dry-run', trigger: 'http', requestedBy: 'x', subscriptions: [SUB, SUB2] },
            h.ports,
          );
          await h.drain();
          const plan = (await h.read.plan(runId))!;
          const changed = new Set<string>();
          for (const [i, { group }] of inventory.entries()) {
            const change = changes[i] ?? 'none';
            if (change === 'none' || group.provisioningState === 'Deleting') continue;
            const key = `${group.subscriptionId}/${group.name}`;
            changed.add(key);
            const tags = { ...group.tags };
            if (change === 'lock') {
              h.groups.addLock(group.subscriptionId, group.name, {
                name: 'late',
                level: 'CanNotDelete',
              });
            } else if (change === 'extend-lease') {
              tags['sandbox-expires-at'] = new Date(now.getTime() + 1000 * HOUR).toISOString();
            } else if (change === 'exempt') {
              tags['cleanup-exempt-until'] = new Date(now.getTime() + 1000 * HOUR).toISOString();
            } else {
              tags['retagged-by'] = `someone-${i}`;
            }
            if (change !== 'lock') {
              // A ReadOnly lock refuses the write; such a group was planned as a skip anyway.
              await h.groups.setTags(group.subscriptionId, group.name, tags).catch(() => {});
            }
          }

          // Act
          const { approveCleanupRun } = await import(
            '../../../../services/cleanup/approveCleanupRun.js'
          );
          await approveCleanupRun(runId, { id: 'oid-admin', name: 'admin' }, h.ports);
          await h.drain();

          // Assess
          for (const item of plan.items) {
            const key = `${item.subscriptionId}/${item.name}`;
            const exists = h.groups.peek(item.subscriptionId, item.name) !== undefined;
            const planned = item.action === 'delete' || item.action === 'delete-marked';
            expect(exists).toBe(!planned || changed.has(key));
            if (planned && changed.has(key)) {
              expect((await h.read.item(runId, item.name, item.subscriptionId))?.status).toBe(
                'skipped',
              );
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
