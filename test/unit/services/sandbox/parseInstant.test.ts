import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../../../services/sandbox/parseInstant.js';

describe('parseInstant', () => {
  it.each([
    {
      description: 'an instant in UTC',
      value: '2026-01-31T18:00:00Z',
      expected: Date.UTC(2026, 0, 31, 18),
    },
    {
      description: 'milliseconds',
      value: '2026-01-31T18:00:00.250Z',
      expected: Date.UTC(2026, 0, 31, 18, 0, 0, 250),
    },
    {
      description: 'an offset',
      value: '2026-01-31T19:00:00+01:00',
      expected: Date.UTC(2026, 0, 31, 18),
    },
    {
      description: 'a date alone, as midnight UTC',
      value: '2026-01-31',
      expected: Date.UTC(2026, 0, 31),
    },
    {
      description: 'a zone-less instant, as UTC',
      value: '2026-01-31T18:00',
      expected: Date.UTC(2026, 0, 31, 18),
    },
    { description: 'surrounding spaces', value: ' 2026-01-31 ', expected: Date.UTC(2026, 0, 31) },
    { description: 'words', value: 'tomorrow', expected: undefined },
    { description: 'an empty value', value: '', expected: undefined },
    { description: 'a month out of range', value: '2026-13-01', expected: undefined },
    { description: 'a bare number', value: '1769882400000', expected: undefined },
  ])('reads $description', ({ value, expected }) => {
    // Act
    const ms = parseInstant(value);

    // Assess
    expect(ms).toBe(expected);
  });
});
