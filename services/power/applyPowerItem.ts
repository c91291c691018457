import { locksOnScope } from '../../shared/arm/locksOnScope.js';
import { classifyError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { retryPolicies, withRetry } from '../../shared/retry.js';
import { vmPowered } from '../notifications/events.js';
import { readTag, TAG_OWNER } from '../sandbox/sandboxTags.js';
import { decidePowerItem } from './decidePowerItem.js';
import { PowerActionInProgressError, PowerPlanItemNotFoundError } from './errors.js';
import { finishPowerRun } from './finishPowerRun.js';
import type { ApplyPowerItemMessage } from './PowerMessage.js';
import type { PowerPorts } from './PowerPorts.js';
import { type PowerItemOutcome, type PowerPlan, TERMINAL_POWER_STATUSES } from './PowerRun.js';

/**
 * Stops or starts one planned VM, as a queue worker: it claims the VM's outcome record, re-reads
 * the VM, its group and their locks (`decidePowerItem`), then deallocates or starts it through the
 * shared LRO helper, saving the poller's token so a redelivery resumes instead of acting twice.
 * A redelivery after an action whose answer was lost finds the VM where the action took it, and
 * records the action as done (`actionSentAt`), not as skipped.
 * Throttling and other transient failures are rethrown for the queue to retry; a lock ARM
 * reports is recorded as `locked`; anything else permanent is recorded as `failed`.
 *
 * @example
 * const outcome = await applyPowerItem({ kind: 'vm', runId, subscriptionId, resourceGroup: 'sbx-ana', vm: 'vm1' }, ports);
 * outcome.status; // 'stopped'
 */
export async function applyPowerItem(
  message: ApplyPowerItemMessage,
  ports: PowerPorts,
): Promise<PowerItemOutcome> {
  const { runId, subscriptionId, resourceGroup, vm: name } = message;
  const plan = (await ports.records.get<PowerPlan>(recordKeys.power.plan(runId)))?.value;
  const item = plan?.items.find(
    (i) =>
      i.action !== 'skip' &&
      i.subscriptionId === subscriptionId &&
      i.resourceGroup.toLowerCase() === resourceGroup.toLowerCase() &&
      i.vm.toLowerCase() === name.toLowerCase(),
  );
  if (!item || item.action === 'skip')
    throw new PowerPlanItemNotFoundError(runId, resourceGroup, name);
  const journal = await RecordJournal.open<PowerItemOutcome>(
    ports.records,
    recordKeys.power.item(runId, subscriptionId, item.resourceGroup, item.vm),
  );
  const existing = journal.value;
  if (existing && TERMINAL_POWER_STATUSES.has(existing.status)) return existing;
  await journal.replace({
    runId,
    subscriptionId,
    resourceGroup: item.resourceGroup,
    vm: item.vm,
    action: item.action,
    ...existing,
    status: 'in-progress',
    attempts: (existing?.attempts ?? 0) + 1,
    startedAt: existing?.startedAt ?? ports.clock.now().toISOString(),
  });
  const log = ports.logger.child({
    runId,
    resourceGroup: item.resourceGroup,
    virtualMachine: item.vm,
  });
  const save = (fields: Partial<PowerItemOutcome>) =>
    journal.replace({ ...journal.value!, ...fields });
  /** Records the outcome, tells people (before the run can complete), then tries to finish the run. */
  const finish = async (fields: Partial<PowerItemOutcome>, announce?: () => Promise<void>) => {
    await save({ ...fields, finishedAt: ports.clock.now().toISOString() });
    log.info(`power item ${fields.status}`, { reason: fields.reason, detail: fields.detail });
    await announce?.();
    await finishPowerRun(runId, ports).catch((error: unknown) =>
      log.warn('power run not finished', { error: classifyError(error).message }),
    );
    return journal.value!;
  };
  try {
    const retry = { ...retryPolicies.armRead, clock: ports.clock };
    const [vm, group, locks] = await Promise.all([
      withRetry(() => ports.vms.get(subscriptionId, item.resourceGroup, item.vm), retry),
      withRetry(() => ports.groups.get(subscriptionId, item.resourceGroup), retry),
      withRetry(() => ports.groups.listLocks(subscriptionId, item.resourceGroup), retry),
    ]);
    const decision = decidePowerItem(item, {
      vm,
      group,
      locks: vm ? locksOnScope(locks, vm.id) : [],
    });
    let note: string | undefined;
    if (decision.kind === 'skip') {
      const earlier = existing?.actionSentAt
        ? earlierAction(item.action, decision.reason, vm?.powerState)
        : 'none';
      if (earlier === 'under-way') {
        throw new PowerActionInProgressError(item.vm, vm?.powerState ?? 'unknown');
      }
      if (earlier === 'none') {
        return await finish({
          status: 'skipped',
          reason: decision.reason,
          detail: decision.detail,
        });
      }
      note = 'the action an earlier delivery sent took effect';
    } else {
      const checkpoint = {
        ...(journal.value?.resumeToken ? { resumeToken: journal.value.resumeToken } : {}),
        saveResumeToken: async (token: string) => void (await save({ resumeToken: token })),
      };
      if (!journal.value?.actionSentAt)
        await save({ actionSentAt: ports.clock.now().toISOString() });
      const result =
        decision.kind === 'deallocate'
          ? await ports.vms.deallocate(subscriptionId, item.resourceGroup, item.vm, checkpoint)
          : await ports.vms.start(subscriptionId, item.resourceGroup, item.vm, checkpoint);
      if (result === 'not-found') {
        return await finish({
          status: 'skipped',
          reason: 'gone',
          detail: 'the VM no longer exists',
        });
      }
      note = decision.note;
    }
    const status = item.action === 'stop' ? 'stopped' : 'started';
    return await finish({ status, detail: [item.detail, note].filter(Boolean).join('; ') }, () =>
      ports.events.publish(
        vmPowered(status === 'stopped' ? 'vm.deallocated' : 'vm.started', {
          sandbox: item.resourceGroup,
          subscriptionId,
          ...ownerOf(group?.tags),
          vm: item.vm,
          vmId: item.vmId,
          runId,
          reason: item.reason,
          time: ports.clock.now().toISOString(),
          ...(status === 'stopped' && item.estimatedHoursSaved !== undefined
            ? { estimatedHoursSaved: item.estimatedHoursSaved }
            : {}),
        }),
      ),
    );
  } catch (error) {
    const failure = classifyError(error);
    if (failure.code === 'ScopeLocked') {
      return finish({ status: 'skipped', reason: 'locked', detail: failure.message });
    }
    if (failure.kind === 'transient') {
      await save({ lastError: `${failure.code}: ${failure.message}` }).catch(() => undefined);
      log.warn('power item will be retried', { code: failure.code, status: failure.status });
      throw error;
    }
    return finish({
      status: 'failed',
      reason: failure.code,
      detail: failure.message,
      lastError: `${failure.code}: ${failure.message}`,
    });
  }
}

/**
 * What became of the action an earlier delivery sent, judged by the VM a re-check found already
 * in (or on its way to) the state the action leads to: `done`, `under-way`, or `none` when the
 * re-check skipped it for another reason.
 */
function earlierAction(
  action: 'stop' | 'start',
  reason: string,
  power: string | undefined,
): 'done' | 'under-way' | 'none' {
  const target = action === 'stop' ? 'deallocated' : 'running';
  const onTheWay = action === 'stop' ? 'deallocating' : 'starting';
  if (reason !== (action === 'stop' ? 'already-deallocated' : 'already-running')) return 'none';
  if (power === target) return 'done';
  return power === onTheWay ? 'under-way' : 'none';
}

function ownerOf(tags: Record<string, string> | undefined): { owner?: string } {
  const owner = tags ? readTag(tags, TAG_OWNER) : undefined;
  return owner ? { owner } : {};
}
