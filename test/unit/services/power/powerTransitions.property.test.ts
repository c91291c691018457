import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type PowerSchedule,
  parsePowerSchedule,
} from '../../../../services/power/parsePowerSchedule.js';
import { latestTransition, nextTransition } from '../../../../services/power/powerTransitions.js';

const zones = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'UTC',
  'America/Sao_Paulo',
];
const letters = ['M', 'T', 'W', 'H', 'F', 'S', 'U'];

const rule = fc
  .record({
    from: fc.constantFrom(...letters),
    to: fc.constantFrom(...letters),
    hour: fc.integer({ min: 0, max: 23 }),
  })
  .map(({ from, to, hour }) => `(${from}-${to},${hour})`);
const schedule = fc
  .record({
    off: fc.array(rule, { minLength: 1, maxLength: 3 }),
    on: fc.array(rule, { maxLength: 3 }),
    tz: fc.constantFrom(...zones),
  })
  .map(({ off, on, tz }) => {
    const value = `off=[${off.join(',')}];${on.length > 0 ? `on=[${on.join(',')}];` : ''}tz=${tz}`;
    const reading = parsePowerSchedule(value);
    if (reading.kind !== 'schedule') throw new Error(`generated an unreadable schedule: ${value}`);
    return reading.schedule;
  });
// Any instant of 2026, both daylight-saving changes of every zone above included.
const instant = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') })
  .map((t) => new Date(t));

function earliestAfter(s: PowerSchedule, at: Date) {
  return [nextTransition(s, at, 'off'), nextTransition(s, at, 'on')]
    .filter((t) => t !== undefined)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
}

describe('power transitions (property)', () => {
  it('the latest transition began at or before now, lasts at least an hour, and none began since', () => {
    fc.assert(
      fc.property(schedule, instant, (s, now) => {
        const latest = latestTransition(s, now);
        expect(latest).toBeDefined();
        const at = Date.parse(latest!.at);
        expect(at).toBeLessThanOrEqual(now.getTime());
        expect(Date.parse(latest!.until) - at).toBeGreaterThanOrEqual(3_600_000);
        const after = earliestAfter(s, new Date(at));
        if (after) expect(Date.parse(after.at)).toBeGreaterThan(now.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
