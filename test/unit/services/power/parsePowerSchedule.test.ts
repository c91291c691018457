import { describe, expect, it } from 'vitest';
import {
  parsePowerSchedule,
  resolveTimeZone,
} from '../../../../services/power/parsePowerSchedule.js';

const weekdays = [0, 1, 2, 3, 4];

// Cloud Custodian's documented examples (c7n/filters/offhours.py, "ScheduleParser Time
// Specifications" and "Tag Based Configuration"), read as Custodian reads them.
describe('parsePowerSchedule: Cloud Custodian’s documented examples', () => {
  it.each([
    {
      description: 'up mon-fri from 7am-7pm; eastern time',
      value: 'off=(M-F,19);on=(M-F,7)',
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'America/New_York',
      },
    },
    {
      description: 'up mon-fri from 6am-9pm; up sun from 10am-6pm; pacific time',
      value: 'off=[(M-F,21),(U,18)];on=[(M-F,6),(U,10)];tz=pt',
      expected: {
        off: [
          { days: weekdays, hour: 21 },
          { days: [6], hour: 18 },
        ],
        on: [
          { days: weekdays, hour: 6 },
          { days: [6], hour: 10 },
        ],
        timeZone: 'America/Los_Angeles',
      },
    },
    {
      description: 'an IANA zone',
      value: 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin',
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'Europe/Berlin',
      },
    },
    {
      description: 'a list of off times and no on time',
      value: 'off=[(M-F,19),(S,13)]',
      expected: {
        off: [
          { days: weekdays, hour: 19 },
          { days: [5], hour: 13 },
        ],
        on: [],
        timeZone: 'America/New_York',
      },
    },
    {
      description: 'every day',
      value: 'off=(M-U,22);tz=cet',
      expected: {
        off: [{ days: [0, 1, 2, 3, 4, 5, 6], hour: 22 }],
        on: [],
        timeZone: 'Europe/Berlin',
      },
    },
    {
      description: 'a range that wraps over the weekend, Friday to Monday',
      value: 'off=(F-M,20)',
      expected: { off: [{ days: [4, 5, 6, 0], hour: 20 }], on: [], timeZone: 'America/New_York' },
    },
    {
      description: 'an empty value: night and weekend off-hours by Custodian’s defaults',
      value: '',
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'America/New_York',
      },
    },
    {
      description: '"on": the same defaults',
      value: 'on',
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'America/New_York',
      },
    },
    {
      description: 'a zone alone: the defaults in that zone',
      value: 'tz=jst',
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'Asia/Tokyo',
      },
    },
    {
      description: 'upper case, spaces, quotes and a trailing semicolon, as Custodian tolerates',
      value: ` "OFF=(M-F, 19); ON=(M-F, 7); TZ=PT;" `,
      expected: {
        off: [{ days: weekdays, hour: 19 }],
        on: [{ days: weekdays, hour: 7 }],
        timeZone: 'America/Los_Angeles',
      },
    },
  ])('$description: $value', ({ value, expected }) => {
    expect(parsePowerSchedule(value)).toEqual({ kind: 'schedule', schedule: expected });
  });

  it('reads "off" as an opt-out', () => {
    expect(parsePowerSchedule('OFF')).toEqual({ kind: 'opt-out' });
  });

  it.each([
    ['pt', 'America/Los_Angeles'],
    ['et', 'America/New_York'],
    ['ct', 'America/Chicago'],
    ['mt', 'America/Denver'],
    ['at', 'America/Phoenix'],
    ['gmt', 'Etc/GMT'],
    ['bst', 'Europe/London'],
    ['ist', 'Europe/Dublin'],
    ['cet', 'Europe/Berlin'],
    ['it', 'Asia/Kolkata'],
    ['sgt', 'Asia/Singapore'],
    ['aet', 'Australia/Sydney'],
    ['brt', 'America/Sao_Paulo'],
    ['utc', 'UTC'],
    ['america/new_york', 'America/New_York'],
  ])('resolves the zone %s to %s', (name, zone) => {
    expect(resolveTimeZone(name)).toBe(zone);
  });
});

describe('parsePowerSchedule: malformed values', () => {
  it.each([
    ['off=(X,19)', "unknown day 'x' in (x,19); days are M T W H F S U"],
    ['off=(M-F,24)', 'hour 24 in (m-f,24) is not between 0 and 23'],
    ['off=(M-F)', "'(m-f)' in 'off' is not (days,hour), for example (M-F,19)"],
    ['off=M-F,19', "'m-f,19' in 'off' is not (days,hour), for example (M-F,19)"],
    [
      'off=(M-F,19),(S,13)',
      "'off' has several times; list them in brackets, for example off=[(M-F,19),(S,13)]",
    ],
    ['off=[(M-F,19)', "'off' has an unclosed list: [(m-f,19)"],
    ['off=[]', "'off' lists no times; write for example off=(M-F,19)"],
    ['off=(M-F,19);at=(M-F,7)', "unknown key 'at'; keys are off, on and tz"],
    ['off=(M-F,19);off=(S,13)', "'off' is given twice"],
    [
      'off=(M-F,19);tz=Mars/Olympus',
      "unknown time zone 'mars/olympus'; use an IANA name such as Europe/Berlin",
    ],
    ['stop at seven', "'stopatseven' is not key=value (keys are off, on and tz)"],
    ['x'.repeat(257), 'is longer than 256 characters'],
  ])('%s: %s', (value, reason) => {
    expect(parsePowerSchedule(value)).toEqual({ kind: 'invalid', reason });
  });
});
