import { describe, expect, it } from 'vitest';
import {
  buildSandboxTags,
  readSandboxTags,
  TAG_CLEANUP_EXEMPT_UNTIL,
} from '../../../../services/sandbox/sandboxTags.js';

const values = {
  managedBy: 'sandbox-automation',
  owner: 'oid-ana',
  ownerName: 'ana@contoso.com',
  expiresAt: new Date('2026-01-01T08:00:00Z'),
  blueprint: 'empty',
  operationId: 'op-1',
  createdBy: 'ana@contoso.com',
  createdAt: new Date('2025-12-31T08:00:00Z'),
};

describe('buildSandboxTags', () => {
  it('writes the contract tags with the expiry in ISO 8601 UTC', () => {
    // Act
    const tags = buildSandboxTags(values);

    // Assess
    expect(tags).toEqual({
      'managed-by': 'sandbox-automation',
      'sandbox-owner': 'oid-ana',
      'sandbox-owner-name': 'ana@contoso.com',
      'sandbox-expires-at': '2026-01-01T08:00:00.000Z',
      'sandbox-blueprint': 'empty',
      'sandbox-operation-id': 'op-1',
      'created-by': 'ana@contoso.com',
      'created-at': '2025-12-31T08:00:00.000Z',
    });
  });

  it('lets no request tag stand in for the creator', () => {
    // Act
    const tags = buildSandboxTags(values, { 'Created-By': 'mallory', 'created-at': '2000-01-01' });

    // Assess
    expect(tags['Created-By']).toBeUndefined();
    expect(tags['created-by']).toBe('ana@contoso.com');
    expect(tags['created-at']).toBe('2025-12-31T08:00:00.000Z');
  });

  it('keeps user tags and lets the contract tags win', () => {
    // Act
    const tags = buildSandboxTags(values, { team: 'data', 'sandbox-owner': 'mallory' });

    // Assess
    expect(tags.team).toBe('data');
    expect(tags['sandbox-owner']).toBe('oid-ana');
  });
});

describe('readSandboxTags', () => {
  const cases = [
    { description: 'reads a sandbox of this app', tags: buildSandboxTags(values), managed: true },
    {
      description: 'ignores a group managed by another app',
      tags: { ...buildSandboxTags(values), 'managed-by': 'other' },
      managed: false,
    },
    {
      description: 'ignores a group missing its owner',
      tags: { ...buildSandboxTags(values), 'sandbox-owner': '' },
      managed: false,
    },
    { description: 'ignores an untagged group', tags: {}, managed: false },
  ];
  it.each(cases)('$description', ({ tags, managed }) => {
    // Act
    const view = readSandboxTags(tags, 'sandbox-automation');

    // Assess
    expect(view !== undefined).toBe(managed);
  });

  it('reads the cleanup exemption', () => {
    // Prepare
    const tags = {
      ...buildSandboxTags(values),
      [TAG_CLEANUP_EXEMPT_UNTIL]: '2030-01-01T00:00:00Z',
    };

    // Act
    const view = readSandboxTags(tags, 'sandbox-automation');

    // Assess
    expect(view).toEqual({
      owner: 'oid-ana',
      ownerName: 'ana@contoso.com',
      expiresAt: '2026-01-01T08:00:00.000Z',
      blueprint: 'empty',
      operationId: 'op-1',
      exemptUntil: '2030-01-01T00:00:00Z',
    });
  });
});
