import { describe, expect, it } from 'vitest';
import { describeTagChanges } from '../../../../services/cleanup/describeTagChanges.js';

describe('describeTagChanges', () => {
  it.each<{
    description: string;
    before: Record<string, string>;
    after: Record<string, string>;
    expected: string[];
  }>([
    { description: 'no change', before: { a: '1' }, after: { a: '1' }, expected: [] },
    { description: 'a renamed case only', before: { a: '1' }, after: { A: '1' }, expected: [] },
    {
      description: 'a changed value',
      before: { a: '1' },
      after: { a: '2' },
      expected: ["Tag 'a' changed from '1' to '2'"],
    },
    {
      description: 'an added tag',
      before: {},
      after: { b: '3' },
      expected: ["Tag 'b' added ('3')"],
    },
    {
      description: 'a removed tag',
      before: { c: '4' },
      after: {},
      expected: ["Tag 'c' removed (was '4')"],
    },
  ])('reports $description', ({ before, after, expected }) => {
    // Act
    const changes = describeTagChanges(before, after);

    // Assess
    expect(changes).toEqual(expected);
  });
});
