import { describe, expect, it } from 'vitest';
import type { CleanupItemOutcome, CleanupRun } from '../../../../services/cleanup/CleanupRun.js';
import { planCleanup } from '../../../../services/cleanup/planCleanup.js';
import { renderCleanupSummary } from '../../../../services/cleanup/renderCleanupSummary.js';
import {
  groupFactory,
  inHours,
  lockFactory,
  NOW,
  policyFactory,
  SUB,
  sandboxTags,
} from '../../../support/cleanup/cleanupFixtures.js';

const plan = planCleanup(
  [
    { group: groupFactory('sbx-old', sandboxTags(-1)), locks: [] },
    { group: groupFactory('sbx-soon', sandboxTags(5)), locks: [] },
    { group: groupFactory('sbx-held', sandboxTags(-1)), locks: [lockFactory('legal-hold')] },
    {
      group: groupFactory('sbx-vip', sandboxTags(-1, { 'cleanup-exempt-until': inHours(48) })),
      locks: [],
    },
    { group: groupFactory('other', {}), locks: [] },
  ],
  policyFactory({ maxDeleteFraction: 1 }),
  NOW,
);
const run = (overrides: Partial<CleanupRun> = {}): CleanupRun => ({
  runId: '20260615T120000Z-abcdef',
  mode: 'apply',
  trigger: 'timer',
  requestedBy: 'schedule',
  status: 'applying',
  subscriptions: [SUB],
  requestedAt: NOW.toISOString(),
  ...overrides,
});

describe('renderCleanupSummary', () => {
  it('names who created each group', () => {
    // Prepare
    const withCreators = planCleanup(
      [
        {
          group: groupFactory('sbx-old', sandboxTags(-1, { 'created-by': 'ana@contoso.com' })),
          locks: [],
        },
        {
          group: groupFactory('sbx-soon', sandboxTags(5, { 'created-by': 'deployer (c1)' })),
          locks: [],
        },
        { group: groupFactory('sbx-anon', sandboxTags(-2)), locks: [] },
      ],
      policyFactory({ maxDeleteFraction: 1 }),
      NOW,
    );

    // Act
    const text = renderCleanupSummary(run({ mode: 'dry-run', status: 'completed' }), withCreators);

    // Assess
    expect(text).toContain(`- \`sbx-old\` (${SUB}, created by ana@contoso.com): Lease ended at`);
    expect(text).toContain(`- \`sbx-soon\` (${SUB}, created by deployer (c1)): Lease ends at`);
    expect(text).toContain(`- \`sbx-anon\` (${SUB}): Lease ended at`);
  });

  it('tells a person what was deleted, what was skipped and why, and what expires soon', () => {
    // Prepare
    const outcome: CleanupItemOutcome = {
      runId: '20260615T120000Z-abcdef',
      subscriptionId: SUB,
      name: 'sbx-old',
      action: 'delete',
      plannedReason: 'lease-expired',
      status: 'deleted',
      attempts: 1,
      startedAt: NOW.toISOString(),
    };

    // Act
    const markdown = renderCleanupSummary(run({ status: 'completed' }), plan, [outcome]);

    // Assess
    expect(markdown).toContain('# Cleanup run 20260615T120000Z-abcdef');
    expect(markdown).toContain('## Deleted (1)');
    expect(markdown).toContain(
      `- \`sbx-old\` (${SUB}): Lease ended at ${inHours(-1)}. → **deleted**`,
    );
    expect(markdown).toContain('## Expires soon (1)');
    expect(markdown).toContain(`- \`sbx-soon\` (${SUB}): Lease ends at ${inHours(5)}.`);
    expect(markdown).toContain('- **locked** (1):');
    expect(markdown).toContain(
      'Management lock: legal-hold (CanNotDelete). Cleanup never removes locks.',
    );
    expect(markdown).toContain(
      `- **exempt** (1):\n  - \`sbx-vip\` (${SUB}): Exempt until ${inHours(48)}.`,
    );
    expect(markdown).toContain('- **not-managed**: 1 groups');
  });

  it.each([
    {
      description: 'a dry run',
      overrides: { mode: 'dry-run' as const, status: 'completed' as const },
      text: '> Dry run: nothing was changed.',
    },
    {
      description: 'a blocked run',
      overrides: { status: 'blocked' as const },
      text: '> **Blocked by the blast-radius breaker. Nothing was changed.**',
    },
  ])(
    'says nothing changed in $description, and lists what would be deleted',
    ({ overrides, text }) => {
      // Act
      const markdown = renderCleanupSummary(run(overrides), plan);

      // Assess
      expect(markdown).toContain(text);
      expect(markdown).toContain('## Would delete (1)');
      expect(markdown).not.toContain('→');
    },
  );
});
