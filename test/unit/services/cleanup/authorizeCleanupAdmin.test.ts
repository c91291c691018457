import { describe, expect, it } from 'vitest';
import { authorizeCleanupAdmin } from '../../../../services/cleanup/authorizeCleanupAdmin.js';

const header = (doc: unknown) => Buffer.from(JSON.stringify(doc)).toString('base64');
const swa = (userDetails: string, userRoles: string[] = ['authenticated']) =>
  header({ identityProvider: 'aad', userId: `id-${userDetails}`, userDetails, userRoles });

describe('authorizeCleanupAdmin', () => {
  it.each([
    {
      description: 'a listed admin by name',
      value: swa('ana@contoso.com'),
      expected: 'ana@contoso.com',
    },
    {
      description: 'a listed admin in another case',
      value: swa('ANA@contoso.com'),
      expected: 'ANA@contoso.com',
    },
    {
      description: 'a principal holding a listed app role',
      value: swa('ops@contoso.com', ['SandboxAdmin']),
      expected: 'ops@contoso.com',
    },
  ])('accepts $description', ({ value, expected }) => {
    // Act
    const who = authorizeCleanupAdmin(value, ['ana@contoso.com', 'role:SandboxAdmin']);

    // Assess
    expect(who).toBe(expected);
  });

  it.each([
    {
      description: 'a principal who is not an admin',
      value: swa('eve@contoso.com'),
      message:
        "'eve@contoso.com' is not an admin; cleanup runs need an admin principal or the admin key.",
    },
    {
      description: 'a token role that ADMIN_PRINCIPALS does not name',
      value: swa('bob@contoso.com', ['admin']),
      message:
        "'bob@contoso.com' is not an admin; cleanup runs need an admin principal or the admin key.",
    },
    {
      description: 'no principal',
      value: null,
      message: 'Cleanup runs need an admin principal (x-ms-client-principal) or the admin key.',
    },
    {
      description: 'a header that is not base64 JSON',
      value: '%%%',
      message: 'Cleanup runs need an admin principal (x-ms-client-principal) or the admin key.',
    },
  ])('refuses $description', ({ value, message }) => {
    // Act
    const act = () => authorizeCleanupAdmin(value, ['ana@contoso.com']);

    // Assess
    expect(act).toThrow(message);
  });
});
