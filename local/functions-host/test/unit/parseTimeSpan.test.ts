import { describe, expect, it } from 'vitest';
import { parseTimeSpan } from '../../src/parseTimeSpan.js';

describe('parseTimeSpan', () => {
  it.each([
    ['00:00:02', 2000],
    ['00:10:00', 600_000],
    ['01:00:00', 3_600_000],
    ['1.02:03:04', 93_784_000],
    ['00:00:00.2', 200],
    ['00:00:00.2500000', 250],
    ['-00:00:01', -1000],
    ['250', 250],
    [1500, 1500],
  ])('%s → %i ms', (value, ms) => {
    expect(parseTimeSpan(value)).toBe(ms);
  });

  it('rejects text that is not a TimeSpan', () => {
    expect(() => parseTimeSpan('2 seconds')).toThrow(
      '"2 seconds" is not a TimeSpan (expected [d.]hh:mm:ss[.fff]).',
    );
  });
});
