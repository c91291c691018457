import { recordAudit } from '../../shared/audit/recordAudit.js';
import { classifyError, LroTimeoutError } from '../../shared/errors.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { sandboxDeletedByCleanup } from '../notifications/events.js';
import { TAG_CLEANUP_DELETE_AFTER } from '../sandbox/sandboxTags.js';
import { CleanupItemJournal } from './CleanupItemJournal.js';
import type { CleanupItemRecord, DispatchedRun } from './CleanupItemRecord.js';
import type { ApplyCleanupItemMessage } from './CleanupMessage.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import {
  type CleanupAuditEvent,
  type CleanupItemOutcome,
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
 * How long a delivery waits for a delete ARM says will soon be over (its `Retry-After` is no
 * longer than this): seconds of a worker's slot are cheaper than a second delivery. A longer
 * delete is handed over to a later delivery at once.
 */
export const INLINE_DELETE_WAIT_MS = 5_000;

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
 * hands over again while it still runs. Only a delete ARM expects to end within seconds
 * (`INLINE_DELETE_WAIT_MS`) is waited for in the same delivery.
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
  const journal = await CleanupItemJournal.open(ports.items, runId, subscriptionId, group);
  const row = journal.value;
  if (!row || !APPLIED_ACTIONS.has(row.planned.action)) {
    throw new CleanupPlanItemNotFoundError(runId, subscriptionId, group);
  }
  const item = row.planned;
  const existing = row.outcome;
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.status)) {
    // A crash may have come between this item's outcome and the run's completion.
    await finalizeCleanupRun(runId, ports, row.run);
    return existing;
  }

  // This delivery claims the item with its first write, conditional on the version just read:
  // if another delivery writes first, that write fails and the queue retries this one.
  const claimed: CleanupItemOutcome = {
    runId,
    subscriptionId,
    name: group,
    action: item.action,
    plannedReason: item.reason,
    ...existing,
    status: 'in-progress',
    attempts: (existing?.attempts ?? 0) + 1,
    startedAt: existing?.startedAt ?? ports.clock.now().toISOString(),
  };
  const executor = new ItemExecutor(message, row, journal, claimed, ports, options);
  let observation: ItemObservation | undefined;
  for (;;) {
    const step = decideCleanupItemStep({
      // A row exists only for a dispatched run, and a run ends only once all its items have.
      run: { status: 'applying' },
      item,
      planPolicy: row.policy,
      ...(options.policy ? { currentPolicy: options.policy } : {}),
      outcome: executor.outcome,
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

/**
 * Carries out the steps of one item and reports what it saw; it decides nothing. It holds the
 * item's outcome as this delivery sees it; writes go to the item's row only when they matter to
 * a later delivery (or to people): the claim with the first of them, a resume token only when
 * the delete is handed over.
 */
class ItemExecutor {
  private readonly log;
  private readonly item: PlanItem;
  private readonly run: DispatchedRun;

  constructor(
    private readonly message: ApplyCleanupItemMessage,
    row: CleanupItemRecord,
    private readonly journal: CleanupItemJournal,
    private current: CleanupItemOutcome,
    private readonly ports: CleanupPorts,
    private readonly options: { signal?: AbortSignal },
  ) {
    this.item = row.planned;
    this.run = row.run;
    this.log = ports.logger.child({
      runId: message.runId,
      resourceGroup: message.group,
      action: row.planned.action,
    });
  }

  get outcome(): CleanupItemOutcome {
    return this.current;
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
    const finished: CleanupItemOutcome = {
      ...this.current,
      status: step.status,
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      ...(step.detail === undefined ? {} : { detail: step.detail }),
      ...(step.status === 'failed' && step.reason !== 'delete-timeout'
        ? { lastError: `${step.reason}: ${step.detail}` }
        : {}),
      finishedAt: this.ports.clock.now().toISOString(),
    };
    const won = await this.journal.finish(finished);
    this.current = this.journal.outcome ?? finished;
    if (won) {
      this.log.info(`cleanup item ${step.status}`, { reason: step.reason, detail: step.detail });
      if (step.status === 'deleted' && this.item.action === 'delete') {
        await this.ports.events.publish(
          sandboxDeletedByCleanup(this.item, this.message.runId, this.ports.clock.now()),
        );
      }
    }
    await finalizeCleanupRun(this.message.runId, this.ports, this.run);
    return this.current;
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
    // The later delivery resumes from the token this one holds.
    await this.save({});
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
   * Sends the delete (or resumes it from its token) and waits only while ARM says it will soon be
   * over (`INLINE_DELETE_WAIT_MS`); otherwise hands the wait back, with when to look again. A port
   * that deletes at once answers `deleted` straight away; one that makes the caller wait is
   * bounded by this delivery's budget.
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
          // Written with the next write that needs it (a hand-over): a delete that ends while
          // this delivery waits never needs it, and one whose token a crash lost is still never
          // sent twice (the group shows Deleting).
          saveResumeToken: async (token) => {
            this.current = { ...this.current, resumeToken: token };
          },
          signal,
          waitMs: INLINE_DELETE_WAIT_MS,
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
    this.current = { ...this.current, ...fields };
    await this.journal.save(this.current);
  }

  private async audit(event: CleanupAuditEvent, reason: string): Promise<void> {
    const { run, item, ports } = this;
    const { runId } = this.message;
    await recordAudit(
      ports.records,
      {
        at: ports.clock.now().toISOString(),
        actor: run.approvedBy ?? run.requestedBy,
        action: `cleanup.${event}`,
        subscriptionId: item.subscriptionId,
        resourceGroup: item.name,
        runId,
        reason,
        details: {
          plannedAction: item.action,
          requestedBy: run.requestedBy,
          ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
          tags: item.tags,
        },
      },
      `${runId}-${item.subscriptionId}-${item.name}`,
    );
  }
}
