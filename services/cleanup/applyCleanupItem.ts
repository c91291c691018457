import type { LockInfo, ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { classifyError } from '../../shared/errors.js';
import { withRetry } from '../../shared/retry.js';
import { TAG_CLEANUP_DELETE_AFTER } from '../provisioning/sandboxTags.js';
import { CleanupDeleteInProgressError, CleanupPlanItemNotFoundError } from './CleanupError.js';
import type { ApplyCleanupItemMessage } from './CleanupMessage.js';
import type { CleanupPolicy } from './CleanupPolicy.js';
import type { CleanupPorts } from './CleanupPorts.js';
import {
  type CleanupAuditEntry,
  type CleanupItemOutcome,
  type CleanupRun,
  TERMINAL_ITEM_STATUSES,
} from './CleanupRun.js';
import { cleanupRecordKeys } from './cleanupRecordKeys.js';
import { APPLIED_ACTIONS, type CleanupPlan, type PlanItem } from './planCleanup.js';
import { type RecheckResult, recheckPlanItem } from './recheckPlanItem.js';
import { refreshCleanupSummary } from './refreshCleanupSummary.js';

const DAY = 86_400_000;

/**
 * Carries out one planned item of an applying run, as a queue worker. The decision is read from
 * the stored plan, never from the message. Just before acting, the group and its locks are read
 * again and `recheckPlanItem` must say nothing changed, under the plan's policy and under today's
 * (`options.policy`); otherwise the item is skipped with the reason. The outcome goes to the item's own record, and every destructive step to the audit log.
 *
 * Redelivery is safe: a terminal item is left as it is; a delete that was started is resumed from
 * its poller token (or waited for) and never sent twice. Transient failures are rethrown for the
 * queue to retry; a lock (`ScopeLocked`) is a skip; other permanent failures are recorded as
 * `failed` and not rethrown, so nothing is poisoned silently.
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
    ports.records.get<CleanupRun>(cleanupRecordKeys.run(runId)),
    ports.records.get<CleanupPlan>(cleanupRecordKeys.plan(runId)),
  ]);
  const found = planRecord?.value.items.find(
    (i) => i.subscriptionId === subscriptionId && i.name === group && APPLIED_ACTIONS.has(i.action),
  );
  if (!runRecord || !planRecord || !found) {
    throw new CleanupPlanItemNotFoundError(runId, subscriptionId, group);
  }
  const item: PlanItem = found;
  const run = runRecord.value;
  const plan = planRecord.value;
  const log = ports.logger?.child({ runId, resourceGroup: group, action: item.action });
  const key = cleanupRecordKeys.item(runId, subscriptionId, group);
  const existing = await ports.records.get<CleanupItemOutcome>(key);
  if (existing && TERMINAL_ITEM_STATUSES.has(existing.value.status)) return existing.value;

  // Claim the item. A conflict means another delivery is on it right now: let the queue retry.
  let outcome: CleanupItemOutcome = {
    runId,
    subscriptionId,
    name: group,
    action: item.action,
    plannedReason: item.reason,
    ...existing?.value,
    status: 'in-progress',
    attempts: (existing?.value.attempts ?? 0) + 1,
    startedAt: existing?.value.startedAt ?? ports.now().toISOString(),
  };
  let etag = existing
    ? (await ports.records.replace(key, outcome, existing.etag)).etag
    : (await ports.records.create(key, outcome)).etag;
  const save = async (next: CleanupItemOutcome) => {
    etag = (await ports.records.replace(key, next, etag)).etag;
    outcome = next;
  };
  const finish = async (
    status: CleanupItemOutcome['status'],
    fields: Partial<CleanupItemOutcome> = {},
  ) => {
    await save({ ...outcome, ...fields, status, finishedAt: ports.now().toISOString() });
    log?.info(`cleanup item ${status}`, { reason: outcome.reason, detail: outcome.detail });
    await refreshCleanupSummary(runId, ports).catch((error: unknown) =>
      log?.warn('cleanup summary not refreshed', { error: classifyError(error).message }),
    );
    return outcome;
  };
  const audit = (event: CleanupAuditEntry['event'], reason: string) =>
    writeAudit(ports, run, item, event, reason);

  try {
    if (run.status !== 'applying') {
      return await finish('skipped', {
        reason: 'run-not-applying',
        detail: `The run is ${run.status}; only an applying run acts on its items.`,
      });
    }
    if (outcome.deleteStartedAt !== undefined) {
      return await resumeDelete();
    }
    const retry = {
      maxAttempts: ports.readAttempts ?? 4,
      maxDelayMs: 30_000,
      ...(ports.delay ? { delay: ports.delay } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const current = await withRetry(() => ports.groups.get(subscriptionId, group), retry);
    const locks = current
      ? await withRetry(() => ports.groups.listLocks(subscriptionId, group), retry)
      : [];
    const verdict = recheck(current, locks);
    if (verdict.verdict === 'gone') {
      await audit('already-gone', 'The group no longer exists.');
      return await finish('already-gone', { detail: 'The group no longer exists.' });
    }
    if (verdict.verdict === 'skip') {
      return await finish('skipped', { reason: verdict.reason, detail: verdict.detail });
    }
    if (item.action === 'mark') return await mark();
    return await startDelete();
  } catch (error) {
    const c = classifyError(error);
    if (c.code === 'ScopeLocked') {
      if (outcome.deleteStartedAt) await audit('delete-failed', `ScopeLocked: ${c.message}`);
      return finish('skipped', {
        reason: 'locked',
        detail: `A management lock blocked the delete: ${c.message} Cleanup never removes locks.`,
      });
    }
    if (c.kind === 'transient') {
      await save({ ...outcome, lastError: `${c.code}: ${c.message}` }).catch(() => {});
      log?.warn('cleanup item will be retried', { code: c.code, status: c.status });
      throw error;
    }
    if (outcome.deleteStartedAt) await audit('delete-failed', `${c.code}: ${c.message}`);
    return finish('failed', {
      reason: c.code,
      detail: c.message,
      lastError: `${c.code}: ${c.message}`,
    });
  }

  /**
   * The plan's policy must still allow the action, and so must today's policy: a protected
   * pattern added, or the orphan policy switched off, since the plan was made stops it too.
   */
  function recheck(
    current: ResourceGroupInfo | undefined,
    locks: readonly LockInfo[],
  ): RecheckResult {
    const now = ports.now();
    const planned = recheckPlanItem(item, current, locks, plan.policy, now);
    if (planned.verdict !== 'proceed' || !options.policy) return planned;
    const today = recheckPlanItem(item, current, locks, options.policy, now);
    return today.verdict === 'skip'
      ? { ...today, detail: `Under the current settings: ${today.detail}` }
      : today;
  }

  async function mark(): Promise<CleanupItemOutcome> {
    const deleteAfter = new Date(ports.now().getTime() + plan.policy.graceDays * DAY).toISOString();
    // A merge writes only the mark: a tag someone adds meanwhile (an exemption) is kept.
    await ports.groups.mergeTags(subscriptionId, group, {
      [TAG_CLEANUP_DELETE_AFTER]: deleteAfter,
    });
    await audit('marked', `${item.detail} Delete after ${deleteAfter}.`);
    return finish('marked', { detail: `Tagged ${TAG_CLEANUP_DELETE_AFTER}=${deleteAfter}.` });
  }

  async function startDelete(): Promise<CleanupItemOutcome> {
    await save({ ...outcome, deleteStartedAt: ports.now().toISOString() });
    await audit('delete-started', item.detail);
    return runDelete(undefined);
  }

  async function resumeDelete(): Promise<CleanupItemOutcome> {
    if (outcome.resumeToken !== undefined) return runDelete(outcome.resumeToken);
    // The DELETE may or may not have reached ARM before the last delivery died: look, don't resend
    // while ARM reports it running.
    const current = await ports.groups.get(subscriptionId, group);
    if (current === undefined) {
      await audit('deleted', item.detail);
      return finish('deleted', { detail: item.detail });
    }
    if (current.provisioningState.toLowerCase() === 'deleting') {
      throw new CleanupDeleteInProgressError(group);
    }
    // Never started: the group is as it was, but decide again before sending the DELETE.
    const locks = await ports.groups.listLocks(subscriptionId, group);
    const verdict = recheck(current, locks);
    if (verdict.verdict === 'skip') {
      return finish('skipped', { reason: verdict.reason, detail: verdict.detail });
    }
    return runDelete(undefined);
  }

  async function runDelete(resumeToken: string | undefined): Promise<CleanupItemOutcome> {
    // A group delete can outlast a function invocation: poll for a bounded time, then hand the
    // polling to a later delivery (with the saved resume token) instead of timing out.
    const budget = AbortSignal.timeout(ports.deleteBudgetMs ?? DEFAULT_DELETE_BUDGET_MS);
    const signal = options.signal ? AbortSignal.any([options.signal, budget]) : budget;
    let result: 'deleted' | 'not-found';
    try {
      result = await ports.groups.delete(subscriptionId, group, {
        ...(resumeToken ? { resumeToken } : {}),
        saveResumeToken: (token) => save({ ...outcome, resumeToken: token }),
        signal,
      });
    } catch (error) {
      if (!budget.aborted || outcome.resumeToken === undefined) throw error;
      return continueLater();
    }
    const gone =
      result === 'not-found' && resumeToken === undefined && outcome.resumeToken === undefined;
    await audit(gone ? 'already-gone' : 'deleted', item.detail);
    return finish(gone ? 'already-gone' : 'deleted', { detail: item.detail });
  }

  async function continueLater(): Promise<CleanupItemOutcome> {
    const continuations = (outcome.continuations ?? 0) + 1;
    if (continuations > MAX_CONTINUATIONS) {
      return finish('failed', {
        reason: 'delete-timeout',
        detail: `ARM still reports the delete running after ${MAX_CONTINUATIONS} polling rounds; check the group.`,
      });
    }
    await save({
      ...outcome,
      continuations,
      lastError: 'The delete is still running; polling continues later.',
    });
    await ports.requests.send(message, { visibilityTimeoutSeconds: CONTINUE_AFTER_SECONDS });
    log?.info('cleanup delete still running; polling continues later', { continuations });
    return outcome;
  }
}

/** How long one delivery polls a delete before handing over; below the 10-minute function timeout. */
const DEFAULT_DELETE_BUDGET_MS = 8 * 60_000;
const CONTINUE_AFTER_SECONDS = 30;
/** About three hours of polling rounds at the default budget. */
const MAX_CONTINUATIONS = 20;

async function writeAudit(
  ports: Pick<CleanupPorts, 'records' | 'now'>,
  run: CleanupRun,
  item: PlanItem,
  event: CleanupAuditEntry['event'],
  reason: string,
): Promise<void> {
  const at = ports.now();
  const entry: CleanupAuditEntry = {
    at: at.toISOString(),
    runId: run.runId,
    event,
    subscriptionId: item.subscriptionId,
    group: item.name,
    action: item.action,
    reason,
    requestedBy: run.requestedBy,
    ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
    tags: item.tags,
  };
  await ports.records.put(
    cleanupRecordKeys.audit(at, run.runId, item.subscriptionId, item.name, event),
    entry,
  );
}
