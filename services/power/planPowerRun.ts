import { RecordConflictError } from '../../shared/errors.js';
import { RecordJournal } from '../../shared/records/RecordJournal.js';
import { recordKeys } from '../../shared/records/recordKeys.js';
import { collectPowerInventory } from './collectPowerInventory.js';
import { PowerRunNotFoundError } from './errors.js';
import { summarize } from './finishPowerRun.js';
import type { PowerMessage } from './PowerMessage.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerPlan, PowerPlanItem, PowerRun } from './PowerRun.js';
import { planPower } from './planPower.js';

/** `power/transitions/…`: the run that claimed one transition of one VM. */
interface TransitionClaim {
  runId: string;
  claimedAt: string;
}

/** `power/evaluated.json`. */
interface Evaluation {
  runId: string;
  at: string;
}

/**
 * Plans a queued run: lists the sandboxes' VMs, decides with `planPower`, claims each transition
 * it acts on (so that an off or on hour is acted on once, however many runs fall in it), and
 * writes the plan before anything is done. Then it queues one message per VM to stop or start.
 * A redelivered message finds the plan written and reuses it.
 *
 * @example
 * const run = await planPowerRun('20260302T182000Z-1a2b3c', ports);
 * run.status; // 'applying'
 */
export async function planPowerRun(runId: string, ports: PowerPorts): Promise<PowerRun> {
  const journal = await RecordJournal.open<PowerRun>(ports.records, recordKeys.power.run(runId));
  const run = journal.value;
  if (!run) throw new PowerRunNotFoundError(runId);
  const existing = (await ports.records.get<PowerPlan>(recordKeys.power.plan(runId)))?.value;
  if (run.status === 'applying' && run.enqueuedAt === undefined && existing) {
    return dispatch(journal, existing, ports);
  }
  if (run.status !== 'queued') return run;

  let plan = existing;
  if (!plan) {
    const evaluated = await ports.records.get<Evaluation>(recordKeys.power.evaluated());
    const now = ports.clock.now();
    const decided = planPower({
      runId,
      now,
      ...(evaluated ? { previousEvaluationAt: evaluated.value.at } : {}),
      vms: await collectPowerInventory(ports, run.subscriptions),
    });
    plan = await claimTransitions(decided, ports);
    await ports.records.put(recordKeys.power.plan(runId), plan);
    await advanceEvaluation(ports, { runId, at: plan.plannedAt });
  }
  const acting = plan.counts.stop + plan.counts.start;
  const planned: PowerRun = {
    ...run,
    plannedAt: plan.plannedAt,
    status: acting > 0 ? 'applying' : 'completed',
    ...(acting > 0
      ? {}
      : { finishedAt: plan.plannedAt, enqueued: 0, summary: summarize(plan, []) }),
  };
  await journal.replace(planned);
  ports.logger.info('power run planned', { runId, counts: plan.counts });
  // A run with nothing to stop or start tells nobody: receivers would hear of every quarter hour.
  if (acting === 0) return planned;
  return dispatch(journal, plan, ports);
}

/** One message per VM to act on, then the run records how many and when. Idempotent. */
async function dispatch(
  journal: RecordJournal<PowerRun>,
  plan: PowerPlan,
  ports: PowerPorts,
): Promise<PowerRun> {
  const run = journal.value!;
  const messages: PowerMessage[] = plan.items
    .filter((i) => i.action !== 'skip')
    .map((i) => ({
      kind: 'vm',
      runId: run.runId,
      subscriptionId: i.subscriptionId,
      resourceGroup: i.resourceGroup,
      vm: i.vm,
    }));
  await ports.requests.sendMany(messages);
  const done: PowerRun = {
    ...run,
    enqueued: messages.length,
    enqueuedAt: ports.clock.now().toISOString(),
  };
  await journal.replace(done);
  return done;
}

/**
 * Claims the transition of every VM the plan acts on. A transition another run claimed first
 * becomes a skip (`already-applied`): that run stops or starts it, and a VM started by hand after
 * that stop stays on until the next off hour. A claim of this same run (a redelivery) stands.
 */
async function claimTransitions(plan: PowerPlan, ports: PowerPorts): Promise<PowerPlan> {
  const items: PowerPlanItem[] = [];
  for (const item of plan.items) {
    if (item.action === 'skip' || !item.transition) {
      items.push(item);
      continue;
    }
    const key = recordKeys.power.transition(
      item.subscriptionId,
      item.resourceGroup,
      item.vm,
      item.transition.kind,
      item.transition.at,
    );
    const holder = await claim(key, plan, ports);
    items.push(
      holder === plan.runId
        ? item
        : {
            ...item,
            action: 'skip',
            reason: 'already-applied',
            detail: `the ${item.transition.kind} hour of ${item.transition.local} was acted on by run ${holder}`,
          },
    );
  }
  const counts = { stop: 0, start: 0, skip: 0 };
  for (const item of items) counts[item.action]++;
  return { ...plan, items, counts };
}

async function claim(key: string, plan: PowerPlan, ports: PowerPorts): Promise<string> {
  try {
    await ports.records.create<TransitionClaim>(key, {
      runId: plan.runId,
      claimedAt: plan.plannedAt,
    });
    return plan.runId;
  } catch (error) {
    if (!(error instanceof RecordConflictError)) throw error;
    return (await ports.records.get<TransitionClaim>(key))?.value.runId ?? plan.runId;
  }
}

/** Moves the evaluation mark forward (never back: runs may finish planning out of order). */
async function advanceEvaluation(ports: PowerPorts, next: Evaluation): Promise<void> {
  const journal = await RecordJournal.open<Evaluation>(ports.records, recordKeys.power.evaluated());
  await journal.update((current) => (current.at >= next.at ? undefined : next), {
    initial: () => next,
  });
}
