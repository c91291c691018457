import { Cron } from 'croner';
import { parseTimeSpan } from './parseTimeSpan.js';

export interface Schedule {
  /** The schedule as written after `%SETTING%` substitution. */
  expression: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

/** Thrown for a schedule the timer trigger would refuse; names the expression. */
export class ScheduleError extends Error {
  constructor(expression: string, reason: string) {
    super(`The schedule expression '${expression}' was not recognized: ${reason}`);
    this.name = 'ScheduleError';
  }
}

/**
 * Parses a timer trigger schedule: NCRONTAB with six fields
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`, in UTC, day and day-of-week both
 * required to match), or a TimeSpan interval such as `00:05:00`.
 *
 * @example
 * parseSchedule('0 *\/5 * * * *').next(new Date('2026-01-01T00:01:00Z')); // 00:05:00Z
 */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  if (/^(\d+\.)?\d{1,2}:\d{1,2}:\d{1,2}$/.test(text)) {
    const interval = parseTimeSpan(text);
    if (interval <= 0) throw new ScheduleError(expression, 'the interval must be positive');
    return { expression: text, next: (after) => new Date(after.getTime() + interval) };
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleError(expression, `expected 6 fields, found ${fields.length}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { timezone: 'Etc/UTC', paused: true, mode: '6-part', domAndDow: true });
  } catch (error) {
    throw new ScheduleError(expression, (error as Error).message);
  }
  return {
    expression: text,
    next(after) {
      const next = cron.nextRun(after);
      if (!next) throw new ScheduleError(expression, 'it has no future occurrence');
      return next;
    },
  };
}
