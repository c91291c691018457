import { recordAudit } from '../../shared/audit/recordAudit.js';
import { classifyError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { sandboxDeletedByCleanup } from '../notifications/events.js';
import { TAG_CLEANUP_DELETE_AFTER } from '../sandbox/sandboxTags.js';
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
import { APPLIED_ACTIONS, type CleanupPlan, type PlanItem } from './planCleanup.js';
import { refreshCleanupSummary } from './refreshCleanupSummary.js';

/** How long one delivery polls a delete before handing over; below the 10-minute function timeout. */
export const DELETE_BUDGET_MS = 8 * 60_000;
/** When the handed-over message is delivered again. */
const CONTINUE_AFTER_SECONDS = 30;

/**
 * Carries out one planned item of an applying run, as a queue worker: it claims the item's own
 * record, then asks `decideCleanupItemStep` what to do, does it, and asks again with what it saw,
 * until the item is finished, handed over to a later delivery, or left for the queue to retry.
 * The decision is read from the stored plan, never from the message; the outcome goes to the
 * item's record, and every destructive step to the audit trail.
 *
 * Redelivery is safe: a terminal item is left as it is; a delete that was started is resumed from
 * its poller token (or waited for) and never sent twice. Transient failures are rethrown for the
 * queue to retry; other failures are recorded, so nothing is poisoned silently.
 *
 * @example
 * const outcome = await applyCleanupItem({ kind: 'item', runId, subscriptionId: 's', group: 'sbx-1' }, ports);
 * outcome.status; // 'deleted'
 */
export async function applyCleanupItem(
  message: ApplyCleanupItemMessage,
  ports: CleanupPorts,
  options: { signal?: AbortSignal; policy?: CleanupPolicy } = {},
): Promise<CleanupItemOutcome> {
  const { runId, subscriptionId, group } = message;
  const [runRecord, planRecord] = await Promise.all([
    ports.records.get<CleanupRun>(recordKeys.cleanup.run(runId)),
    ports.records.get<CleanupPlan>(recordKeys.cleanup.plan(runId)),
  ]);
  const item = planRecord?.value.items.find(
    (i) => i.subscriptionId === subscriptionId && i.name === group && APPLIED_ACTIONS.has(i.action),
  );
  if (!runRecord || !planRecord || !item) {
    throw new CleanupPlanItemNotFoundError(runId, subscriptionId, group);
  }
  const journal = await RecordJournal.open<CleanupItemOutcome>(
    ports.records,
    recordKeys.cleanup.item(runId, subscriptionId, group),
  );
  const existing = journal.value;
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.status)) return existing;

  // Claim the item. A conflict means another delivery is on it right now: let the queue retry.
  await journal.replace({
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
      planPolicy: planRecord.value.policy,
      ...(options.policy ? { currentPolicy: options.policy } : {}),
      outcome: journal.value!,
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
    private readonly journal: RecordJournal<CleanupItemOutcome>,
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
    return this.journal.value!;
  }

  /** Carries out a step that observes or changes the group; a failure is an observation too. */
  async observe(step: Exclude<ItemStep, { kind: 'finish' | 'retry-later' | 'hand-over' }>) {
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
    await this.save({
      status: step.status,
      ...(step.reason === undefined ? {} : { reason: step.reason }),
      ...(step.detail === undefined ? {} : { detail: step.detail }),
      ...(step.status === 'failed' && step.reason !== 'delete-timeout'
        ? { lastError: `${step.reason}: ${step.detail}` }
        : {}),
      finishedAt: this.ports.clock.now().toISOString(),
    });
    this.log.info(`cleanup item ${step.status}`, { reason: step.reason, detail: step.detail });
    if (step.status === 'deleted' && this.item.action === 'delete')
      await this.ports.events.publish(
        sandboxDeletedByCleanup(this.item, this.run.runId, this.ports.clock.now()),
      );
    await refreshCleanupSummary(this.message.runId, this.ports).catch((error: unknown) =>
      this.log.warn('cleanup summary not refreshed', { error: classifyError(error).message }),
    );
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
        ? await withRetry(() => this.ports.groups.listLocks(subscriptionId, group), retry)
        : [];
    return { kind: 'read', group: current, locks };
  }

  /**
   * A group delete can outlast a function invocation: poll for a bounded time, then report the
   * budget exhausted (once a token is saved) instead of timing out.
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
        },
      );
      return { kind: 'delete-ended', result, resumed: resumeToken !== undefined };
    } catch (error) {
      if (!budget.aborted || this.outcome.resumeToken === undefined) throw error;
      return { kind: 'budget-exhausted' };
    }
  }

  private async save(fields: Partial<CleanupItemOutcome>): Promise<void> {
    await this.journal.replace({ ...this.outcome, ...fields });
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
