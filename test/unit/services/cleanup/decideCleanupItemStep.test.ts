import { describe, expect, it } from 'vitest';
import {
  DELETE_TIMEOUT_MS,
  decideCleanupItemStep,
  type ItemState,
  MAX_CONTINUATIONS,
} from '../../../../services/cleanup/decideCleanupItemStep.js';
import type { PlanItem } from '../../../../services/cleanup/planCleanup.js';
import type { ResourceGroupInfo } from '../../../../shared/arm/ResourceGroups.js';
import { NOW, policyFactory, SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';

const tags = sandboxTags(-1);
const group: ResourceGroupInfo = {
  subscriptionId: SUB,
  name: 'sbx-1',
  id: `/subscriptions/${SUB}/resourceGroups/sbx-1`,
  location: 'westeurope',
  tags,
  provisioningState: 'Succeeded',
};
const item: PlanItem = {
  subscriptionId: SUB,
  name: 'sbx-1',
  id: group.id,
  action: 'delete',
  reason: 'lease-expired',
  detail: 'Lease ended.',
  tags,
  provisioningState: 'Succeeded',
  locks: [],
};
const state = (over: Partial<ItemState> = {}): ItemState => ({
  run: { status: 'applying' },
  item,
  planPolicy: policyFactory(),
  outcome: {},
  now: NOW,
  ...over,
});

describe('decideCleanupItemStep', () => {
  it.each([
    {
      description: 'reads the group first',
      state: state(),
      step: { kind: 'read' },
    },
    {
      description: 'skips an item of a run that is not applying',
      state: state({ run: { status: 'blocked' } }),
      step: { kind: 'finish', status: 'skipped', reason: 'run-not-applying' },
    },
    {
      description: 'resumes a started delete from its token, without reading',
      state: state({ outcome: { deleteStartedAt: 'x', resumeToken: 't' } }),
      step: { kind: 'delete', resumeToken: 't' },
    },
    {
      description: 'starts the delete when nothing changed',
      state: state({ observation: { kind: 'read', group, locks: [] } }),
      step: { kind: 'start-delete' },
    },
    {
      description: 'skips when a lock appeared',
      state: state({
        observation: {
          kind: 'read',
          group,
          locks: [{ id: 'l', name: 'keep', level: 'CanNotDelete' }],
        },
      }),
      step: { kind: 'finish', status: 'skipped', reason: 'locked' },
    },
    {
      description: 'counts a group that is gone as done',
      state: state({ observation: { kind: 'read', group: undefined, locks: [] } }),
      step: { kind: 'finish', status: 'already-gone', audit: { event: 'already-gone' } },
    },
    {
      description: 'never sends a second delete while ARM reports one running',
      state: state({
        outcome: { deleteStartedAt: 'x' },
        observation: {
          kind: 'read',
          group: { ...group, provisioningState: 'Deleting' },
          locks: [],
        },
      }),
      step: { kind: 'retry-later' },
    },
    {
      description: 'finishes a started delete whose group is gone',
      state: state({
        outcome: { deleteStartedAt: 'x' },
        observation: { kind: 'read', group: undefined, locks: [] },
      }),
      step: { kind: 'finish', status: 'deleted', audit: { event: 'deleted' } },
    },
    {
      description: 'hands polling over when the budget is spent',
      state: state({ outcome: { continuations: 2 }, observation: { kind: 'budget-exhausted' } }),
      step: { kind: 'hand-over', continuations: 3 },
    },
    {
      description: 'gives up polling after the last hand-over',
      state: state({
        outcome: { continuations: MAX_CONTINUATIONS },
        observation: { kind: 'budget-exhausted' },
      }),
      step: { kind: 'finish', status: 'failed', reason: 'delete-timeout' },
    },
    {
      description: 'looks again after ARM’s Retry-After while ARM runs the delete',
      state: state({
        outcome: { deleteStartedAt: NOW.toISOString(), resumeToken: 't' },
        observation: { kind: 'delete-running', retryAfterMs: 14_200 },
      }),
      step: { kind: 'look-later', afterSeconds: 15 },
    },
    {
      description: 'looks again a second later at the soonest',
      state: state({
        outcome: { deleteStartedAt: NOW.toISOString() },
        observation: { kind: 'delete-running', retryAfterMs: 0 },
      }),
      step: { kind: 'look-later', afterSeconds: 1 },
    },
    {
      description: 'gives up on a delete ARM has run for longer than the timeout',
      state: state({
        outcome: {
          deleteStartedAt: new Date(NOW.getTime() - DELETE_TIMEOUT_MS - 1).toISOString(),
          resumeToken: 't',
        },
        observation: { kind: 'delete-running', retryAfterMs: 15_000 },
      }),
      step: { kind: 'finish', status: 'failed', reason: 'delete-timeout' },
    },
    {
      description: 'skips on ScopeLocked, auditing the failed delete',
      state: state({
        outcome: { deleteStartedAt: 'x' },
        observation: {
          kind: 'failed',
          error: new Error('locked'),
          failure: { kind: 'permanent', code: 'ScopeLocked', message: 'locked' },
        },
      }),
      step: {
        kind: 'finish',
        status: 'skipped',
        reason: 'locked',
        audit: { event: 'delete-failed' },
      },
    },
    {
      description: 'leaves a transient failure to the queue',
      state: state({
        observation: {
          kind: 'failed',
          error: new Error('busy'),
          failure: { kind: 'transient', code: 'ServiceUnavailable', message: 'busy' },
        },
      }),
      step: { kind: 'retry-later' },
    },
  ])('$description', ({ state: input, step }) => {
    expect(decideCleanupItemStep(input)).toMatchObject(step);
  });

  it('marks an orphan with a date one grace period from now', () => {
    // Act
    const step = decideCleanupItemStep(
      state({
        item: { ...item, action: 'mark', reason: 'orphan', tags: {} },
        planPolicy: policyFactory({ orphans: 'mark', graceDays: 7 }),
        observation: {
          kind: 'read',
          group: {
            ...group,
            tags: {},
            createdTime: new Date(NOW.getTime() - 60 * 86_400_000).toISOString(),
          },
          locks: [],
        },
      }),
    );

    // Assess
    expect(step).toEqual({
      kind: 'mark',
      deleteAfter: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(),
    });
  });
});
