/**
 * What the CLI prints for people: tables and facts of sandboxes, operations and cleanup runs.
 * Pure, so it is unit-tested; the words are the page's (`web/src/format.ts`).
 */
import type {
  AuditEntry,
  CleanupAction,
  CleanupRun,
  CleanupRunSummary,
  Operation,
  Resource,
  Sandbox,
} from '../web/src/apiTypes.js';
import {
  actionLabel,
  formatInstant,
  formatRemaining,
  portalLink,
  runProgress,
} from '../web/src/format.js';
import { renderFacts, renderTable } from './renderTable.js';

/** How instants are written: the person's locale and zone unless a test fixes them. */
export interface Clock {
  now: number;
  locale?: string;
  timeZone?: string;
}

const instant = (iso: string | undefined, clock: Clock) =>
  iso === undefined ? undefined : formatInstant(iso, clock.locale, clock.timeZone);

/**
 * Sandboxes as a table, each lease counting down.
 *
 * @example
 * sandboxTable(sandboxes, { now: Date.now() });
 */
export function sandboxTable(sandboxes: readonly Sandbox[], clock: Clock): string {
  const owners = new Set(sandboxes.map((s) => s.owner)).size > 1;
  return renderTable(
    sandboxes,
    [
      { heading: 'Name', value: (s) => s.name },
      { heading: 'Lease', value: (s) => formatRemaining(s.expiresAt, clock.now).text },
      { heading: 'Blueprint', value: (s) => s.blueprint ?? '-' },
      { heading: 'Location', value: (s) => s.location },
      ...(owners ? [{ heading: 'Owner', value: (s: Sandbox) => s.ownerName ?? s.owner }] : []),
      { heading: 'State', value: (s) => s.state },
    ],
    'No sandboxes.',
  );
}

/** What `sandbox show` prints: the sandbox's facts, resources and history. */
export interface SandboxDetail {
  sandbox: Sandbox;
  resources: Resource[];
  history: AuditEntry[];
  /** For the portal link: the portal and the tenant the sandbox lives in. */
  portal?: { url: string; tenantId: string };
}

/**
 * A sandbox's facts (its lease counting down, its power schedule), its resources and history.
 *
 * @example
 * sandboxDetail({ sandbox, resources, history }, { now: Date.now() });
 */
export function sandboxDetail(detail: SandboxDetail, clock: Clock): string {
  const { sandbox } = detail;
  const lease = formatRemaining(sandbox.expiresAt, clock.now);
  const facts = renderFacts([
    ['Name', sandbox.name],
    ['State', sandbox.state],
    ['Blueprint', sandbox.blueprint],
    ['Location', sandbox.location],
    ['Owner', sandbox.ownerName ?? sandbox.owner],
    ['Lease', `${lease.text} (ends ${instant(sandbox.expiresAt, clock)})`],
    ['Power', sandbox.powerSchedule ?? 'no schedule: the VMs run until someone stops them'],
    ['Exempt until', instant(sandbox.exemptUntil, clock)],
    [
      'Portal',
      detail.portal
        ? portalLink(detail.portal.url, detail.portal.tenantId, sandbox.resourceGroupId)
        : undefined,
    ],
  ]);
  const resources = renderTable(
    detail.resources,
    [
      { heading: 'Name', value: (r) => r.name },
      { heading: 'Type', value: (r) => r.type },
      { heading: 'State', value: (r) => r.provisioningState ?? '-' },
    ],
    'No resources.',
  );
  const history = renderTable(
    detail.history,
    [
      { heading: 'When', value: (e) => instant(e.at, clock)! },
      { heading: 'What', value: (e) => actionLabel(e.action) },
      { heading: 'By', value: (e) => e.actor },
    ],
    'Nothing recorded yet.',
  );
  return `${facts}\n\nResources\n${resources}\n\nHistory\n${history}`;
}

/**
 * One line on how far an operation got.
 *
 * @example
 * operationProgress(operation); // 'Building ana-1: 2 of 4 steps done, storageAccount running'
 */
export function operationProgress(operation: Operation): string {
  const verb = operation.kind === 'teardown' ? 'Deleting' : 'Building';
  const done = operation.steps.filter((s) => s.state === 'succeeded').length;
  const running = operation.steps.find((s) => s.state === 'running');
  const total = operation.steps.length;
  const head = `${verb} ${operation.sandbox}:`;
  if (operation.status === 'queued') return `${head} queued`;
  return `${head} ${done} of ${total} steps done${running ? `, ${running.name} running` : ''}`;
}

/**
 * How an operation ended, for people.
 *
 * @example
 * operationOutcome(operation); // 'ana-1 is ready: all 4 steps succeeded.'
 */
export function operationOutcome(operation: Operation): string {
  const total = operation.steps.length;
  if (operation.status === 'succeeded') {
    return operation.kind === 'teardown'
      ? `${operation.sandbox} is deleted: all ${total} steps succeeded.`
      : `${operation.sandbox} is ready: all ${total} steps succeeded.`;
  }
  if (operation.status === 'failed') {
    const failed = operation.steps.find((s) => s.state === 'failed');
    const error = operation.error ?? failed?.error;
    const what = operation.kind === 'teardown' ? 'Deleting' : 'Building';
    return `${what} ${operation.sandbox} failed${failed ? ` at ${failed.name}` : ''}${error ? `: ${error.code}: ${error.message}` : '.'}`;
  }
  return `${operation.sandbox}: ${operation.status}.`;
}

const ACTIONS: CleanupAction[] = ['delete', 'delete-marked', 'mark', 'warn', 'skip'];

/**
 * Cleanup runs as a table, newest first, with how far each got.
 *
 * @example
 * runsTable(runs, { now: Date.now() });
 */
export function runsTable(runs: readonly CleanupRunSummary[], clock: Clock): string {
  return renderTable(
    runs,
    [
      { heading: 'Run', value: (r) => r.runId },
      { heading: 'Mode', value: (r) => (r.mode === 'dry-run' ? 'dry run' : 'apply') },
      { heading: 'Status', value: (r) => r.status },
      {
        heading: 'Deletes',
        value: (r) =>
          r.counts ? String((r.counts.delete ?? 0) + (r.counts['delete-marked'] ?? 0)) : '-',
      },
      { heading: 'Outcome', value: (r) => runProgress(r) },
      { heading: 'Started by', value: (r) => r.requestedBy },
      { heading: 'Requested', value: (r) => instant(r.requestedAt, clock)! },
    ],
    'No runs yet.',
  );
}

/**
 * A run's kind, status, counts and breaker, and its plan as a table (filtered by `action`).
 *
 * @example
 * runDetail(run, { now: Date.now() }, 'delete');
 */
export function runDetail(run: CleanupRun, clock: Clock, action?: CleanupAction): string {
  const radius = run.blastRadius;
  const facts = renderFacts([
    ['Run', run.runId],
    [
      'Mode',
      run.mode === 'dry-run'
        ? 'dry run: the plan is only written down, nothing is deleted'
        : 'apply: the plan is carried out, each group checked again first',
    ],
    ['Status', run.status],
    ['Started by', `${run.requestedBy} (${run.trigger === 'timer' ? 'schedule' : 'by hand'})`],
    ['Approved by', run.approvedBy],
    ['Requested', instant(run.timings.requestedAt, clock)],
    ['Finished', instant(run.timings.finishedAt, clock)],
    [
      'Planned',
      run.counts ? ACTIONS.map((a) => `${a} ${run.counts?.[a] ?? 0}`).join(' · ') : 'not yet',
    ],
    [
      'Outcomes',
      Object.keys(run.outcomes).length > 0
        ? Object.entries(run.outcomes)
            .map(([status, n]) => `${status} ${n}`)
            .join(' · ')
        : undefined,
    ],
    [
      'Breaker',
      radius
        ? `${radius.tripped ? 'tripped' : 'not tripped'}: ${radius.deletes} deletes of ${radius.governed} governed groups (${Math.round(radius.fraction * 100)}%); limits ${radius.maxDeletes} deletes and ${Math.round(radius.maxDeleteFraction * 100)}%`
        : undefined,
    ],
    ['Error', run.error],
  ]);
  const items = run.items.filter((i) => action === undefined || i.action === action);
  const several = run.items.some((i) => i.subscriptionId !== run.items[0]?.subscriptionId);
  const plan = renderTable(
    items,
    [
      { heading: 'Resource group', value: (i) => i.name },
      ...(several
        ? [{ heading: 'Subscription', value: (i: (typeof items)[number]) => i.subscriptionId }]
        : []),
      { heading: 'Action', value: (i) => i.action },
      { heading: 'Reason', value: (i) => i.reason },
      { heading: 'Detail', value: (i) => i.detail },
      {
        heading: 'Outcome',
        value: (i) =>
          i.outcome
            ? `${i.outcome.status}${i.outcome.reason ? ` (${i.outcome.reason})` : ''}`
            : run.mode === 'dry-run'
              ? 'not applied'
              : '-',
      },
    ],
    action ? `No group to ${action}.` : 'Nothing planned.',
  );
  const shown = action ? ` (${items.length} of ${run.items.length} groups: ${action})` : '';
  return `${facts}\n\nPlan${shown}\n${plan}`;
}

/**
 * One line on how far a run got, while following it.
 *
 * @example
 * runProgressLine(run); // 'Run 2026…: applying, 2 of 5 ended'
 */
export function runProgressLine(run: CleanupRun): string {
  if (run.status === 'queued') return `Run ${run.runId}: planning`;
  if (run.status !== 'applying') return `Run ${run.runId}: ${run.status}`;
  const applied = run.items.filter((i) => i.outcome !== undefined);
  const ended = applied.filter(
    (i) => i.outcome!.status !== 'queued' && i.outcome!.status !== 'in-progress',
  ).length;
  return `Run ${run.runId}: applying, ${ended} of ${applied.length} ended`;
}
