import { describe, expect, it } from 'vitest';
import { matchProtectedPattern } from '../../../../services/cleanup/matchProtectedPattern.js';

describe('matchProtectedPattern', () => {
  it.each([
    { description: 'a prefix glob', name: 'prod-db', patterns: ['prod-*'], expected: 'prod-*' },
    {
      description: 'regardless of case',
      name: 'PROD-db',
      patterns: ['prod-*'],
      expected: 'prod-*',
    },
    {
      description: 'a single-character wildcard',
      name: 'sbx-1',
      patterns: ['sbx-?'],
      expected: 'sbx-?',
    },
    {
      description: 'no partial match',
      name: 'my-prod-db',
      patterns: ['prod-*'],
      expected: undefined,
    },
    { description: 'dots literally', name: 'axb', patterns: ['a.b'], expected: undefined },
    { description: 'parentheses literally', name: 'rg(1)', patterns: ['rg(1)'], expected: 'rg(1)' },
    {
      description: 'the first matching pattern',
      name: 'MC_x',
      patterns: ['x', 'MC_*', '*'],
      expected: 'MC_*',
    },
    {
      description: 'nothing with no patterns',
      name: 'anything',
      patterns: [],
      expected: undefined,
    },
  ])('matches $description', ({ name, patterns, expected }) => {
    // Act
    const match = matchProtectedPattern(name, patterns);

    // Assess
    expect(match).toBe(expected);
  });
});
