import type { VirtualMachineInfo } from '../../shared/arm/VirtualMachines.js';
import { parseInstant } from '../sandbox/parseInstant.js';
import { readTag, TAG_EXPIRES_AT } from '../sandbox/sandboxTags.js';
import { effectiveSchedule } from './effectiveSchedule.js';
import type { PowerAction, PowerPlan, PowerPlanItem } from './PowerRun.js';
import { type PowerSchedule, parsePowerSchedule } from './parsePowerSchedule.js';
import { latestTransition, nextTransition, type PowerTransition } from './powerTransitions.js';

/** A VM of a sandbox, as listed, with its group. */
export interface PowerInventoryVm {
  vm: VirtualMachineInfo;
  group: { name: string; tags: Record<string, string>; provisioningState: string };
}

export interface PlanPowerInput {
  runId: string;
  now: Date;
  /** When schedules were last evaluated; transitions after it are caught up. */
  previousEvaluationAt?: string;
  vms: readonly PowerInventoryVm[];
}

/**
 * Decides, for every VM of every sandbox, whether this run stops it, starts it, or leaves it, and
 * why. Pure: the planner claims each transition afterwards, so that it is acted on once.
 *
 * As in Cloud Custodian, an off (or on) hour matches for the whole hour: a run inside it acts.
 * A transition whose whole hour passed with no run (the app was down) is caught up by the first
 * run after the gap, but only the most recent one. A VM created after that hour had passed is
 * left as it is until the next transition (one created during the hour is acted on, as in
 * Custodian: the run falls inside its off hour).
 *
 * @example
 * planPower({ runId, now: new Date('2026-03-02T18:20:00Z'), vms }).items[0].action; // 'stop'
 */
export function planPower(input: PlanPowerInput): PowerPlan {
  // Sandboxes share a few schedules: each one's transitions are worked out once per run.
  const times = new Map<string, ScheduleTimes>();
  const timesOf = (value: string, schedule: PowerSchedule) => {
    let found = times.get(value);
    if (!found) {
      found = scheduleTimes(schedule, input.now);
      times.set(value, found);
    }
    return found;
  };
  const items = input.vms.map((entry) => planVm(entry, input, timesOf));
  const counts: Record<PowerAction, number> = { stop: 0, start: 0, skip: 0 };
  for (const item of items) counts[item.action]++;
  return {
    runId: input.runId,
    plannedAt: input.now.toISOString(),
    ...(input.previousEvaluationAt ? { previousEvaluationAt: input.previousEvaluationAt } : {}),
    items,
    counts,
  };
}

/** What a schedule says around now: its latest transition, the next one, and the next on hour. */
interface ScheduleTimes {
  transition: PowerTransition | undefined;
  upcoming: PowerTransition | undefined;
  nextOn: PowerTransition | undefined;
}

function scheduleTimes(schedule: PowerSchedule, now: Date): ScheduleTimes {
  const nextOff = nextTransition(schedule, now, 'off');
  const nextOn = nextTransition(schedule, now, 'on');
  return {
    transition: latestTransition(schedule, now),
    upcoming: [nextOff, nextOn]
      .filter((t) => t !== undefined)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0],
    nextOn,
  };
}

function planVm(
  { vm, group }: PowerInventoryVm,
  input: PlanPowerInput,
  timesOf: (value: string, schedule: PowerSchedule) => ScheduleTimes,
): PowerPlanItem {
  const base = {
    subscriptionId: vm.subscriptionId,
    resourceGroup: group.name,
    vm: vm.name,
    vmId: vm.id,
    ...(vm.vmSize ? { vmSize: vm.vmSize } : {}),
  };
  const skip = (reason: PowerPlanItem['reason'], detail: string, extra = {}): PowerPlanItem => ({
    ...base,
    action: 'skip',
    reason,
    detail,
    ...extra,
  });
  if (group.provisioningState.toLowerCase() === 'deleting') {
    return skip('group-deleting', 'the sandbox is being deleted');
  }
  const found = effectiveSchedule(vm.tags, group.tags);
  if (!found) return skip('no-schedule', 'neither the VM nor its group has a power schedule');
  const source = { schedule: found.value, scheduleSource: found.source };
  const reading = parsePowerSchedule(found.value);
  if (reading.kind === 'opt-out') {
    return skip('opted-out', `the ${found.source}'s schedule is 'off'`, source);
  }
  if (reading.kind === 'invalid') {
    return skip('invalid-schedule', `the ${found.source}'s schedule ${reading.reason}`, source);
  }
  const { schedule } = reading;
  const now = input.now.getTime();
  const { transition, upcoming, nextOn } = timesOf(found.value, schedule);
  const nextText = upcoming ? `; next: ${upcoming.kind} at ${upcoming.local}` : '';
  if (!transition) return skip('no-transition-due', `the schedule has no times${nextText}`, source);
  const inHour = now < Date.parse(transition.until);
  const missed =
    input.previousEvaluationAt !== undefined &&
    Date.parse(transition.at) > Date.parse(input.previousEvaluationAt);
  if (!inHour && !missed) {
    return skip('no-transition-due', `not in an off or on hour${nextText}`, source);
  }
  if (vm.timeCreated !== undefined && Date.parse(vm.timeCreated) >= Date.parse(transition.until)) {
    return skip(
      'created-after-transition',
      `created after the ${transition.kind} hour of ${transition.local} had passed; left as it is until the next one`,
      { ...source, transition },
    );
  }
  const action = transition.kind === 'off' ? 'stop' : 'start';
  const reason = inHour ? (action === 'stop' ? 'off-hour' : 'on-hour') : 'caught-up';
  const detail = inHour
    ? `${transition.kind} hour ${transition.local}`
    : `${transition.kind} hour ${transition.local}, missed while no run happened; caught up`;
  return {
    ...base,
    action,
    reason,
    detail,
    ...source,
    transition,
    ...(action === 'stop'
      ? hoursSaved(input.now, nextOn?.at, readTag(group.tags, TAG_EXPIRES_AT))
      : {}),
  };
}

/** Hours from now to the next on hour or the lease's end, whichever is first; none if neither. */
function hoursSaved(
  now: Date,
  nextOn: string | undefined,
  leaseEnd: string | undefined,
): { estimatedHoursSaved?: number } {
  const ends = [
    nextOn ? Date.parse(nextOn) : undefined,
    leaseEnd ? parseInstant(leaseEnd) : undefined,
  ].filter((t): t is number => t !== undefined && t > now.getTime());
  if (ends.length === 0) return {};
  const hours = (Math.min(...ends) - now.getTime()) / 3_600_000;
  return { estimatedHoursSaved: Math.round(hours * 10) / 10 };
}
