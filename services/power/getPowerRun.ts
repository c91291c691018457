import { recordKeys } from '../../shared/records/recordKeys.js';
import { CLEANUP_RUN_ID } from '../cleanup/cleanupRunId.js';
import { PowerRunNotFoundError } from './errors.js';
import { loadPowerOutcomes, summarize } from './finishPowerRun.js';
import type { PowerPorts } from './PowerPorts.js';
import type { PowerItemOutcome, PowerPlan, PowerRun } from './PowerRun.js';

/** One VM in a run's report. */
export interface PowerRunViewVm {
  subscriptionId: string;
  resourceGroup: string;
  vm: string;
  vmSize?: string;
  /** What the plan said, and the outcome once a worker recorded one. */
  action: 'stop' | 'start' | 'skip';
  reason: string;
  detail: string;
  schedule?: string;
  scheduleSource?: 'vm' | 'group';
  estimatedHoursSaved?: number;
  outcome?: Pick<PowerItemOutcome, 'status' | 'reason' | 'detail' | 'attempts' | 'finishedAt'>;
}

/** `GET /api/power/runs/{id}`: a run, what it stopped, started and skipped (and why), and the hours saved. */
export interface PowerRunView {
  runId: string;
  status: PowerRun['status'];
  trigger: PowerRun['trigger'];
  requestedBy: string;
  subscriptions: string[];
  timings: { requestedAt: string; plannedAt?: string; enqueuedAt?: string; finishedAt?: string };
  summary: {
    stopped: number;
    started: number;
    skipped: number;
    failed: number;
    inProgress: number;
    estimatedComputeHoursSaved: number;
  };
  stopped: PowerRunViewVm[];
  started: PowerRunViewVm[];
  skipped: PowerRunViewVm[];
  failed: PowerRunViewVm[];
  inProgress: PowerRunViewVm[];
  error?: string;
}

/**
 * A run's report from its records; `latest` names the most recently requested run.
 *
 * @example
 * const view = await getPowerRun('latest', ports);
 * view.stopped.map((v) => v.vm); // ['vm-ana']
 */
export async function getPowerRun(
  runIdOrLatest: string,
  ports: Pick<PowerPorts, 'records'>,
): Promise<PowerRunView> {
  const runId =
    runIdOrLatest === 'latest'
      ? (await ports.records.get<{ runId: string }>(recordKeys.power.latest()))?.value.runId
      : runIdOrLatest;
  if (runId === undefined || !CLEANUP_RUN_ID.test(runId)) {
    throw new PowerRunNotFoundError(runIdOrLatest);
  }
  const [stored, planRecord, outcomes] = await Promise.all([
    ports.records.get<PowerRun>(recordKeys.power.run(runId)),
    ports.records.get<PowerPlan>(recordKeys.power.plan(runId)),
    loadPowerOutcomes(ports.records, runId),
  ]);
  if (!stored) throw new PowerRunNotFoundError(runIdOrLatest);
  const run = stored.value;
  const plan = planRecord?.value;
  const byVm = new Map(outcomes.map((o) => [`${o.resourceGroup}/${o.vm}`.toLowerCase(), o]));
  const view: PowerRunView = {
    runId,
    status: run.status,
    trigger: run.trigger,
    requestedBy: run.requestedBy,
    subscriptions: run.subscriptions,
    timings: {
      requestedAt: run.requestedAt,
      ...(run.plannedAt ? { plannedAt: run.plannedAt } : {}),
      ...(run.enqueuedAt ? { enqueuedAt: run.enqueuedAt } : {}),
      ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    },
    summary: { ...summarize(plan ?? emptyPlan(runId), outcomes), inProgress: 0 },
    stopped: [],
    started: [],
    skipped: [],
    failed: [],
    inProgress: [],
    ...(run.error ? { error: run.error } : {}),
  };
  for (const item of plan?.items ?? []) {
    const o = byVm.get(`${item.resourceGroup}/${item.vm}`.toLowerCase());
    const entry: PowerRunViewVm = {
      subscriptionId: item.subscriptionId,
      resourceGroup: item.resourceGroup,
      vm: item.vm,
      ...(item.vmSize ? { vmSize: item.vmSize } : {}),
      action: item.action,
      reason: item.reason,
      detail: item.detail,
      ...(item.schedule !== undefined ? { schedule: item.schedule } : {}),
      ...(item.scheduleSource ? { scheduleSource: item.scheduleSource } : {}),
      ...(item.estimatedHoursSaved !== undefined
        ? { estimatedHoursSaved: item.estimatedHoursSaved }
        : {}),
      ...(o
        ? {
            outcome: {
              status: o.status,
              attempts: o.attempts,
              ...(o.reason ? { reason: o.reason } : {}),
              ...(o.detail ? { detail: o.detail } : {}),
              ...(o.finishedAt ? { finishedAt: o.finishedAt } : {}),
            },
          }
        : {}),
    };
    if (item.action === 'skip' || o?.status === 'skipped') view.skipped.push(entry);
    else if (o?.status === 'stopped') view.stopped.push(entry);
    else if (o?.status === 'started') view.started.push(entry);
    else if (o?.status === 'failed') view.failed.push(entry);
    else view.inProgress.push(entry);
  }
  view.summary.inProgress = view.inProgress.length;
  return view;
}

function emptyPlan(runId: string): PowerPlan {
  return { runId, plannedAt: '', items: [], counts: { stop: 0, start: 0, skip: 0 } };
}
