import { describe, expect, it } from 'vitest';
import {
  ADMIN_KEY_CALLER,
  actingCaller,
  type Caller,
  isAdmin,
  mayActFor,
  requireAdmin,
} from '../../../../shared/auth/Caller.js';
import { callerFactory } from '../../../support/provision/fixtures.js';

describe('isAdmin', () => {
  it.each([
    {
      description: 'a principal listed by name',
      caller: callerFactory({ name: 'OPS@contoso.com' }),
      admin: true,
    },
    {
      description: 'a principal listed by object id',
      caller: callerFactory({ id: 'oid-ops' }),
      admin: true,
    },
    {
      description: 'a listed app role, in another case',
      caller: callerFactory({ roles: ['sandboxadmin'] }),
      admin: true,
    },
    { description: 'an unlisted role', caller: callerFactory({ roles: ['Admin'] }), admin: false },
    {
      description: 'a role named like a listed principal',
      caller: callerFactory({ roles: ['ops@contoso.com'] }),
      admin: false,
    },
    {
      description: 'automation claiming an admin name',
      caller: callerFactory({ name: 'ops@contoso.com', via: 'named' }),
      admin: false,
    },
  ])('$description: $admin', ({ caller, admin }) => {
    expect(isAdmin(caller, ['ops@contoso.com', 'oid-ops', 'role:SandboxAdmin'])).toBe(admin);
  });
});

describe('mayActFor', () => {
  it.each([
    { description: 'the owner', caller: callerFactory(), may: true },
    {
      description: 'automation acting for the owner',
      caller: actingCaller(undefined, 'ANA@contoso.com'),
      may: true,
    },
    { description: 'someone else', caller: callerFactory({ name: 'bob' }), may: false },
  ])('$description: $may', ({ caller, may }) => {
    expect(mayActFor(caller, 'ana@contoso.com', [])).toBe(may);
  });
});

describe('actingCaller', () => {
  it('needs an owner when nobody is signed in', () => {
    expect(() => actingCaller(undefined, undefined)).toThrow(
      'Invalid request: owner: required when the caller is not signed in',
    );
  });
});

describe('isAdmin of a signed-in principal', () => {
  const principal: Caller = {
    id: 'OID-1',
    name: 'alice@example.com',
    roles: ['Reader'],
    via: 'principal',
  };

  it.each([
    { description: 'listed by id, in another case', admins: ['oid-1'], expected: true },
    { description: 'listed by name', admins: ['ALICE@example.com'], expected: true },
    { description: 'not listed', admins: ['bob@example.com'], expected: false },
    { description: 'no admins configured', admins: [], expected: false },
    {
      description: 'holding a role listed as role:<name>',
      admins: ['role:reader'],
      expected: true,
    },
    {
      description: 'holding a role listed without the prefix',
      admins: ['Reader'],
      expected: false,
    },
  ])('is $expected when $description', ({ admins, expected }) => {
    // Act & Assess
    expect(isAdmin(principal, admins)).toBe(expected);
  });

  it('ignores token roles that no admin entry names, and is false for no principal', () => {
    // Act & Assess
    expect(isAdmin({ ...principal, roles: ['Admin', 'admin'] }, [])).toBe(false);
    expect(isAdmin(undefined, ['oid-1'])).toBe(false);
  });
});

describe('requireAdmin', () => {
  const admins = ['ana@contoso.com', 'role:SandboxAdmin'];

  it.each([
    { description: 'a listed admin by name', caller: callerFactory({ name: 'ANA@contoso.com' }) },
    {
      description: 'a principal holding a listed app role',
      caller: callerFactory({ name: 'ops@contoso.com', roles: ['SandboxAdmin'] }),
    },
    { description: 'the admin key', caller: ADMIN_KEY_CALLER },
  ])('accepts $description', ({ caller }) => {
    expect(requireAdmin(caller, admins, 'Cleanup runs')).toBe(caller);
  });

  it.each([
    {
      description: 'a principal who is not an admin',
      caller: callerFactory({ name: 'eve@contoso.com' }),
      message:
        "'eve@contoso.com' is not an admin; cleanup runs need an admin principal or the admin key.",
      status: 403,
    },
    {
      description: 'a token role that ADMIN_PRINCIPALS does not name',
      caller: callerFactory({ name: 'bob@contoso.com', roles: ['admin'] }),
      message:
        "'bob@contoso.com' is not an admin; cleanup runs need an admin principal or the admin key.",
      status: 403,
    },
    {
      description: 'no principal',
      caller: undefined,
      message: 'Cleanup runs need an admin principal (x-ms-client-principal) or the admin key.',
      status: 401,
    },
    {
      description: 'automation naming an admin',
      caller: callerFactory({ name: 'ana@contoso.com', via: 'named' }),
      message: 'Cleanup runs need an admin principal (x-ms-client-principal) or the admin key.',
      status: 401,
    },
  ])('refuses $description', ({ caller, message, status }) => {
    expect(() => requireAdmin(caller, admins, 'Cleanup runs')).toThrow(
      expect.objectContaining({ message, status }),
    );
  });
});
