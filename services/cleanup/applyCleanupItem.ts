import { recordAudit } from '../../shared/audit/recordAudit.js';
import { classifyError, LroTimeoutError } from '../../shared/errors.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { TAG_CLEANUP_DELETE_AFTER } from '../sandbox/sandboxTags.js';
import { CleanupItemJournal } from './CleanupItemJournal.js';
import type { ApplyCleanupItemMessage } from './CleanupMessage.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import {
  type CleanupAuditEvent,
  type CleanupItemOutcome,
  type CleanupRun,
  TERMINAL_ITEM_STATUSES,
} from './CleanupRun.js';
import {
  decideCleanupItemStep,
  type ItemObservation,
  type ItemStep,
} from './decideCleanupItemStep.js';
import { CleanupPlanItemNotFoundError } from './errors.js';
import { finalizeCleanupRun } from './finalizeCleanupRun.js';
import { APPLIED_ACTIONS, type PlanItem } from './planCleanup.js';

/** How long one delivery polls a delete before handing over; below the 10-minute function timeout. */
export const DELETE_BUDGET_MS = 8 * 60_000;
/** When the handed-over message is delivered again. */
const CONTINUE_AFTER_SECONDS = 30;
/**
 * How old the listing of a subscription's locks may be for the re-check: one listing serves every
 * group re-checked within this window. ARM refuses to delete a group a lock holds in any case
 * (409 ScopeLocked, recorded as a skip), so a lock added in the last seconds is never broken.
 */
export const LOCK_LISTING_MAX_AGE_MS = 2_000;

/**
 * Carries out one planned item of an applying run, as a queue worker: it reads the item's row
 * (the plan's entry for the group and any earlier outcome, never the whole plan) and claims it,
 * then asks `decideCleanupItemStep` what to do, does it, and asks again with what it saw, until
 * the item is finished, handed over to a later delivery, or left for the queue to retry. The
 * outcome goes to the item's row, every destructive step to the audit trail, and the last item of
 * the run to finish completes the run (`finalizeCleanupRun`).
 *
 * A delete does not hold the worker while ARM runs it: once ARM has accepted it (its resume token
 * saved), the message is handed over to a delivery after ARM's `Retry-After`, which looks once and
 * hands over again while it still runs.
 *
 * Redelivery is safe: a terminal item is left as it is; a delete that was started is resumed from
 * its token (or waited for) and never sent twice. Transient failures are rethrown for the queue to
 * retry; other failures are recorded, so nothing is poisoned silently.
 *
 * @example
 * const outcome = await applyCleanupItem({ kind: 'item', runId, subscriptionId: 's', group: 'sbx-1' }, ports);
 * outcome.status; // 'deleted', or 'in-progress' while ARM still deletes it
 */
export async function applyCleanupItem(
  message: ApplyCleanupItemMessage,
  ports: CleanupPorts,
  options: { signal?: AbortSignal; policy?: CleanupPolicy } = {},
): Promise<CleanupItemOutcome> {
  const { runId, subscriptionId, group } = message;
  const [runRecord, journal] = await Promise.all([
    ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId)),
    CleanupItemJournal.open(ports.items, runId, subscriptionId, group),
  ]);
  const row = journal.value;
  if (!runRecord || !row || !APPLIED_ACTIONS.has(row.planned.action)) {
    throw new CleanupPlanItemNotFoundError(runId, subscriptionId, group);
  }
  const item = row.planned;
  const existing = row.outcome;
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.status)) {
    // A crash may have come between this item's outcome and the run's completion.
    await finalizeCleanupRun(runId, ports);
    return existing;
  }

  // Claim the item. A conflict means another delivery is on it right now: let the queue retry.
  await journal.save({
    runId,
    subscriptionId,
    name: group,
    action: item.action,
    plannedReason: item.reason,
    ...existing,
    status: 'in-progress',
    attempts: (existing?.attempts ?? 0) + 1,
    startedAt: existing?.startedAt ?? ports.clock.now().toISOString(),
  });
  const executor = new ItemExecutor(message, item, runRecord.value, journal, ports, options);
  let observation: ItemObservation | undefined;
  for (;;) {
    const step = decideCleanupItemStep({
      run: runRecord.value,
      item,
      planPolicy: row.policy,
      ...(options.policy ? { currentPolicy: options.policy } : {}),
      outcome: journal.outcome!,
      now: ports.clock.now(),
      ...(observation ? { observation } : {}),
    });
    switch (step.kind) {
      case 'finish':
        return executor.finish(step);
      case 'retry-later':
        return executor.retryLater(step);
      case 'hand-over':
        return executor.handOver(step.continuations);
      case 'look-later':
        return executor.lookLater(step.afterSeconds);
      default:
        observation = await executor.observe(step);
    }
  }
}

/** Carries out the steps of one item and reports what it saw; it decides nothing. */
class ItemExecutor {
  private readonly log;

  constructor(
    private readonly message: ApplyCleanupItemMessage,
    private readonly item: PlanItem,
    private readonly run: CleanupRun,
    private readonly journal: CleanupItemJournal,
    private readonly ports: CleanupPorts,
    private readonly options: { signal?: AbortSignal },
  ) {
    this.log = ports.logger.child({
      runId: message.runId,
      resourceGroup: message.group,
      action: item.action,
    });
  }

  private get outcome(): CleanupItemOutcome {
    return this.journal.outcome!;
  }

  /** Carries out a step that observes or changes the group; a failure is an observation too. */
  async observe(
    step: Exclude<ItemStep, { kind: 'finish' | 'retry-later' | 'hand-over' | 'look-later' }>,
  ) {
    try {
      switch (step.kind) {
        case 'read':
          return await this.read();
        case 'mark':
          // A merge writes only the mark: a tag someone adds meanwhile (an exemption) is kept.
          await this.ports.groups.mergeTags(this.message.subscriptionId, this.message.group, {
            [TAG_CLEANUP_DELETE_AFTER]: step.deleteAfter,
          });
          return { kind: 'marked', deleteAfter: step.deleteAfter } satisfies ItemObservation;
        case 'start-delete':
          await this.save({ deleteStartedAt: this.ports.clock.now().toISOString() });
          await this.audit('delete-started', this.item.detail);
          return { kind: 'delete-started' } satisfies ItemObservation;
        case 'delete':
          return await this.delete(step.resumeToken);
      }
    } catch (error) {
      return { kind: 'failed', failure: classifyError(error), error } satisfies ItemObservation;
    }
  }

  async finish(step: Extract<ItemStep, { kind: 'finish' }>): Promise<CleanupItemOutcome> {
    if (step.audit) await this.audit(step.audit.event, step.audit.reason);
    const won = await this.journal.finish({
      ...this.outcome,
      status: step.status,
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      ...(step.detail === undefined ? {} : { detail: step.detail }),
      ...(step.status === 'failed' && step.reason !== 'delete-timeout'
        ? { lastError: `${step.reason}: ${step.detail}` }
        : {}),
      finishedAt: this.ports.clock.now().toISOString(),
    });
    if (won) {
      this.log.info(`cleanup item ${step.status}`, { reason: step.reason, detail: step.detail });
    }
    await finalizeCleanupRun(this.message.runId, this.ports, this.run);
    return this.outcome;
  }

  async retryLater(step: Extract<ItemStep, { kind: 'retry-later' }>): Promise<never> {
    const failure = step.failure ?? classifyError(step.error);
    await this.save({ lastError: `${failure.code}: ${failure.message}` }).catch(() => {});
    this.log.warn('cleanup item will be retried', { code: failure.code, status: failure.status });
    throw step.error;
  }

  /** Polling continues in a later delivery of the same message, with the saved token. */
  async handOver(continuations: number): Promise<CleanupItemOutcome> {
    await this.save({
      continuations,
      lastError: 'The delete is still running; polling continues later.',
    });
    await this.ports.requests.send(this.message, {
      visibilityTimeoutSeconds: CONTINUE_AFTER_SECONDS,
    });
    this.log.info('cleanup delete still running; polling continues later', { continuations });
    return this.outcome;
  }

  /** ARM runs the delete: a later delivery of the same message looks at it again. */
  async lookLater(afterSeconds: number): Promise<CleanupItemOutcome> {
    await this.ports.requests.send(this.message, { visibilityTimeoutSeconds: afterSeconds });
    this.log.debug('cleanup delete running; looking again later', { afterSeconds });
    return this.outcome;
  }

  private async read(): Promise<ItemObservation> {
    const { subscriptionId, group } = this.message;
    const retry = {
      ...retryPolicies.armRead,
      clock: this.ports.clock,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    };
    const current = await withRetry(() => this.ports.groups.get(subscriptionId, group), retry);
    const deleting = current?.provisioningState.toLowerCase() === 'deleting';
    const locks =
      current && !deleting
        ? await withRetry(
            () =>
              this.ports.groups.listLocks(subscriptionId, group, {
                maxAgeMs: LOCK_LISTING_MAX_AGE_MS,
              }),
            retry,
          )
        : [];
    return { kind: 'read', group: current, locks };
  }

  /**
   * Sends the delete (or resumes it from its token) and hands the wait back at once: ARM's answer
   * says when to look again. A port that deletes at once answers `deleted` straight away; one that
   * makes the caller wait is bounded by this delivery's budget.
   */
  private async delete(resumeToken: string | undefined): Promise<ItemObservation> {
    const budget = this.ports.clock.timeout(DELETE_BUDGET_MS);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, budget]) : budget;
    try {
      const result = await this.ports.groups.delete(
        this.message.subscriptionId,
        this.message.group,
        {
          ...(resumeToken ? { resumeToken } : {}),
          saveResumeToken: (token) => this.save({ resumeToken: token }),
          signal,
          waitMs: 0,
        },
      );
      return { kind: 'delete-ended', result, resumed: resumeToken !== undefined };
    } catch (error) {
      if (error instanceof LroTimeoutError && !budget.aborted) {
        return { kind: 'delete-running', retryAfterMs: error.retryAfterMs ?? 0 };
      }
      if (!budget.aborted || this.outcome.resumeToken === undefined) throw error;
      return { kind: 'budget-exhausted' };
    }
  }

  private async save(fields: Partial<CleanupItemOutcome>): Promise<void> {
    await this.journal.save({ ...this.outcome, ...fields });
  }

  private async audit(event: CleanupAuditEvent, reason: string): Promise<void> {
    const { run, item, ports } = this;
    await recordAudit(
      ports.records,
      {
        at: ports.clock.now().toISOString(),
        actor: run.approvedBy ?? run.requestedBy,
        action: `cleanup.${event}`,
        subscriptionId: item.subscriptionId,
        resourceGroup: item.name,
        runId: run.runId,
        reason,
        details: {
          plannedAction: item.action,
          requestedBy: run.requestedBy,
          ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
          tags: item.tags,
        },
      },
      `${run.runId}-${item.subscriptionId}-${item.name}`,
    );
  }
}
