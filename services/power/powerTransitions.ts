/**
 * When a schedule's off and on hours happen, as instants. A transition is one off (or on) hour of
 * one local date: it starts when the wall clock first shows that hour and lasts until it first
 * shows the next one, so it stays correct across daylight-saving changes (an hour skipped by the
 * clocks begins just after the gap; an hour that happens twice lasts both times, and is one
 * transition).
 */
import type { PowerSchedule } from './parsePowerSchedule.js';
import { addDays, instantOfLocalHour, localHourOf } from './zonedTime.js';

export type PowerTransitionKind = 'off' | 'on';

export interface PowerTransition {
  kind: PowerTransitionKind;
  /** When the hour begins, ISO 8601 UTC. */
  at: string;
  /** When it ends: the next local hour's start, ISO 8601 UTC. */
  until: string;
  /** The local date and hour, for people: `2026-03-02 19:00 Europe/Berlin`. */
  local: string;
}

/** A week and a day: every rule happens at least once in any such span. */
const LOOK_DAYS = 8;

/**
 * The most recent transition that began at or before `now`, or `undefined` for a schedule with no
 * times. When an off and an on hour begin at the same instant, the off hour wins.
 *
 * @example
 * latestTransition(schedule, new Date('2026-03-02T18:20:00Z'))?.kind; // 'off' (19:00 in Berlin)
 */
export function latestTransition(schedule: PowerSchedule, now: Date): PowerTransition | undefined {
  return transitionsAround(schedule, now, -LOOK_DAYS, 0)
    .filter((t) => Date.parse(t.at) <= now.getTime())
    .sort(compareTransitions)
    .at(-1);
}

/**
 * The first transition of `kind` that begins after `now`, or `undefined` when the schedule has
 * none.
 *
 * @example
 * nextTransition(schedule, new Date('2026-03-02T18:20:00Z'), 'on')?.at; // '2026-03-03T06:00:00.000Z'
 */
export function nextTransition(
  schedule: PowerSchedule,
  now: Date,
  kind: PowerTransitionKind,
): PowerTransition | undefined {
  return transitionsAround(schedule, now, 0, LOOK_DAYS)
    .filter((t) => t.kind === kind && Date.parse(t.at) > now.getTime())
    .sort(compareTransitions)[0];
}

/** Every transition on the local dates from `fromDays` to `toDays` around `now`'s local date. */
function transitionsAround(
  schedule: PowerSchedule,
  now: Date,
  fromDays: number,
  toDays: number,
): PowerTransition[] {
  const { timeZone } = schedule;
  const today = localHourOf(now.getTime(), timeZone);
  const found: PowerTransition[] = [];
  for (let offset = fromDays; offset <= toDays; offset++) {
    const date = addDays(today, offset);
    for (const kind of ['off', 'on'] as const) {
      for (const rule of schedule[kind]) {
        if (!rule.days.includes(date.weekday)) continue;
        const at = instantOfLocalHour(date, rule.hour, timeZone);
        const next =
          rule.hour === 23 ? { ...addDays(date, 1), hour: 0 } : { ...date, hour: rule.hour + 1 };
        // An hour the clocks skip begins after the gap, where the next hour begins too: it gets
        // a whole hour of its own, so that a run can still fall in it.
        const until = Math.max(instantOfLocalHour(next, next.hour, timeZone), at + 3_600_000);
        const local = `${date.year}-${pad(date.month)}-${pad(date.day)} ${pad(rule.hour)}:00 ${timeZone}`;
        if (found.some((t) => t.kind === kind && t.local === local)) continue;
        found.push({
          kind,
          at: new Date(at).toISOString(),
          until: new Date(until).toISOString(),
          local,
        });
      }
    }
  }
  return found;
}

/** Earlier first; at the same instant, `on` before `off`, so that `off` is the later one. */
function compareTransitions(a: PowerTransition, b: PowerTransition): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0) return byTime;
  return a.kind === b.kind ? 0 : a.kind === 'on' ? -1 : 1;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
