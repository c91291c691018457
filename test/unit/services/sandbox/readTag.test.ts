import { describe, expect, it } from 'vitest';
import { readTag } from '../../../../services/sandbox/sandboxTags.js';

describe('readTag', () => {
  it.each<{ description: string; tags: Record<string, string>; name: string; expected?: string }>([
    { description: 'an exact name', tags: { a: '1' }, name: 'a', expected: '1' },
    {
      description: 'a name in another case',
      tags: { 'Managed-By': 'x' },
      name: 'managed-by',
      expected: 'x',
    },
    {
      description: 'the exact name before another case',
      tags: { A: '1', a: '2' },
      name: 'a',
      expected: '2',
    },
    { description: 'a missing tag', tags: {}, name: 'a', expected: undefined },
  ])('reads $description', ({ tags, name, expected }) => {
    // Act
    const value = readTag(tags, name);

    // Assess
    expect(value).toBe(expected);
  });
});
