import type { CleanupItemOutcome, CleanupRun } from './CleanupRun.js';
import type { CleanupPlan, PlanItem } from './planCleanup.js';

/** How many groups each section names before it says "and N more". */
const LIST_LIMIT = 50;

/**
 * The Markdown summary of a run, for people: what was (or would be) deleted, what was skipped and
 * why, and what expires soon. Pure; `outcomes` are the workers' results so far (none for a dry run).
 *
 * @example
 * renderCleanupSummary(run, plan, outcomes);
 * // '# Cleanup run 20260101T000000Z-ab12cd\n\nMode: **apply** · Status: **completed** …'
 */
export function renderCleanupSummary(
  run: CleanupRun,
  plan: CleanupPlan,
  outcomes: readonly CleanupItemOutcome[] = [],
): string {
  const byKey = new Map(outcomes.map((o) => [`${o.subscriptionId}/${o.name}`, o]));
  const outcomeOf = (item: PlanItem) => byKey.get(`${item.subscriptionId}/${item.name}`);
  const dry = run.mode === 'dry-run';
  const held = dry || run.status === 'blocked';
  const lines: string[] = [
    `# Cleanup run ${run.runId}`,
    '',
    `Mode: **${run.mode}** · Status: **${run.status}** · Planned: ${plan.plannedAt} · Requested by: ${run.requestedBy}` +
      (run.approvedBy ? ` · Approved by: ${run.approvedBy} at ${run.approvedAt}` : ''),
    '',
  ];
  if (run.status === 'blocked') {
    lines.push(
      '> **Blocked by the blast-radius breaker. Nothing was changed.**',
      ...plan.blastRadius.reasons.map((r) => `> - ${r}`),
      '>',
      `> Review the plan below; to apply exactly this plan, an admin approves it: \`POST /api/cleanup/runs/${run.runId}/approve\`.`,
      '',
    );
  } else if (dry) {
    lines.push(
      '> Dry run: nothing was changed. An apply run with the same inventory and clock does exactly this.',
      '',
    );
  }
  lines.push(
    '| Action | Groups |',
    '| --- | ---: |',
    ...(['delete', 'delete-marked', 'mark', 'warn', 'skip'] as const).map(
      (a) => `| ${a} | ${plan.counts[a]} |`,
    ),
    '',
    `Blast radius: ${plan.blastRadius.deletes} deletions of ${plan.blastRadius.governed} governed groups (limits: ${plan.blastRadius.maxDeletes} groups, ${plan.blastRadius.maxDeleteFraction * 100}%).`,
    '',
  );

  const deletions = plan.items.filter((i) => i.action === 'delete' || i.action === 'delete-marked');
  section(lines, held ? 'Would delete' : 'Deleted', deletions, (i) => {
    const o = outcomeOf(i);
    return `${name(i)}: ${i.detail}${held ? '' : ` → **${o ? describeOutcome(o) : 'queued'}**`}`;
  });
  section(
    lines,
    held ? 'Would mark for deletion' : 'Marked for deletion',
    plan.items.filter((i) => i.action === 'mark'),
    (i) => {
      const o = outcomeOf(i);
      return `${name(i)}: ${i.detail}${held ? '' : ` → **${o ? describeOutcome(o) : 'queued'}**`}`;
    },
  );
  section(
    lines,
    'Expires soon',
    plan.items.filter((i) => i.action === 'warn'),
    (i) => `${name(i)}: ${i.detail}`,
  );

  const skipped = plan.items.filter((i) => i.action === 'skip');
  const byReason = new Map<string, PlanItem[]>();
  for (const item of skipped)
    byReason.set(item.reason, [...(byReason.get(item.reason) ?? []), item]);
  if (skipped.length > 0) {
    lines.push('## Skipped and why', '');
    for (const [reason, items] of [...byReason].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (reason === 'not-managed' || reason === 'not-expired') {
        lines.push(`- **${reason}**: ${items.length} groups`);
        continue;
      }
      lines.push(`- **${reason}** (${items.length}):`);
      for (const i of items.slice(0, LIST_LIMIT)) lines.push(`  - ${name(i)}: ${i.detail}`);
      if (items.length > LIST_LIMIT) lines.push(`  - …and ${items.length - LIST_LIMIT} more`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function section(
  lines: string[],
  title: string,
  items: readonly PlanItem[],
  line: (i: PlanItem) => string,
) {
  if (items.length === 0) return;
  lines.push(`## ${title} (${items.length})`, '');
  for (const item of items.slice(0, LIST_LIMIT)) lines.push(`- ${line(item)}`);
  if (items.length > LIST_LIMIT) lines.push(`- …and ${items.length - LIST_LIMIT} more`);
  lines.push('');
}

function name(item: PlanItem): string {
  const creator = item.createdBy ? `, created by ${item.createdBy}` : '';
  return `\`${item.name}\` (${item.subscriptionId}${creator})`;
}

function describeOutcome(o: CleanupItemOutcome): string {
  switch (o.status) {
    case 'skipped':
    case 'failed':
      return `${o.status}: ${o.detail ?? o.reason ?? ''}`.trim();
    default:
      return o.status;
  }
}
