import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/parseSchedule.js';

describe('parseSchedule', () => {
  it.each([
    ['0 */5 * * * *', '2026-01-01T00:01:00Z', '2026-01-01T00:05:00.000Z'],
    ['0 */5 * * * *', '2026-01-01T00:05:00Z', '2026-01-01T00:10:00.000Z'],
    ['*/2 * * * * *', '2026-01-01T00:00:00.500Z', '2026-01-01T00:00:02.000Z'],
    ['0 30 9 * * 1-5', '2026-01-03T10:00:00Z', '2026-01-05T09:30:00.000Z'],
    ['0 0 0 1 1 *', '2026-03-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 0 * * * *', '2026-01-01T23:59:59Z', '2026-01-02T00:00:00.000Z'],
    ['0 0 0 1 * MON', '2026-01-01T00:01:00Z', '2026-06-01T00:00:00.000Z'],
    ['0 0 12 * * SUN', '2026-01-01T00:00:00Z', '2026-01-04T12:00:00.000Z'],
    ['00:05:00', '2026-01-01T00:00:00Z', '2026-01-01T00:05:00.000Z'],
    ['1.00:00:00', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00.000Z'],
  ])('%s after %s is %s (UTC)', (expression, after, next) => {
    expect(parseSchedule(expression).next(new Date(after)).toISOString()).toBe(next);
  });

  it.each([
    [
      '*/5 * * * *',
      "The schedule expression '*/5 * * * *' was not recognized: expected 6 fields, found 5",
    ],
    [
      '0 0 0 0 0 0 0',
      "The schedule expression '0 0 0 0 0 0 0' was not recognized: expected 6 fields, found 7",
    ],
    [
      '00:00:00',
      "The schedule expression '00:00:00' was not recognized: the interval must be positive",
    ],
  ])('rejects %s', (expression, message) => {
    expect(() => parseSchedule(expression)).toThrow(message);
  });

  it('rejects a field out of range, naming the expression', () => {
    expect(() => parseSchedule('0 61 * * * *')).toThrow(
      "The schedule expression '0 61 * * * *' was not recognized:",
    );
  });
});
