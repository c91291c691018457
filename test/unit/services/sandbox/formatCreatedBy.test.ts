import { describe, expect, it } from 'vitest';
import { formatCreatedBy } from '../../../../services/sandbox/formatCreatedBy.js';

describe('formatCreatedBy', () => {
  it.each([
    {
      principal: { kind: 'user', name: 'ana@contoso.com', objectId: 'o' },
      expected: 'ana@contoso.com',
    },
    { principal: { kind: 'user', objectId: 'oid-ana' }, expected: 'oid-ana' },
    {
      principal: { kind: 'application', name: 'pipeline', appId: 'c1' },
      expected: 'pipeline (c1)',
    },
    { principal: { kind: 'application', name: 'C1', appId: 'c1' }, expected: 'c1' },
    { principal: { kind: 'application', appId: 'c1', objectId: 'o' }, expected: 'c1' },
    { principal: { kind: 'application', objectId: 'o' }, expected: 'o' },
    { principal: { kind: 'application', name: '  ' }, expected: undefined },
  ] as const)('is $expected for $principal', ({ principal, expected }) => {
    // Act & Assess
    expect(formatCreatedBy(principal)).toBe(expected);
  });

  it("keeps to ARM's 256 characters of a tag value", () => {
    // Act & Assess
    expect(formatCreatedBy({ kind: 'user', name: 'a'.repeat(300) })).toHaveLength(256);
  });
});
