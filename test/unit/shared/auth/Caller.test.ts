import { describe, expect, it } from 'vitest';
import {
  APP_ROLES,
  hasRole,
  isAdmin,
  isCaller,
  mayActFor,
  ownerFor,
  requireRole,
} from '../../../../shared/auth/Caller.js';
import { adminFactory, callerFactory } from '../../../support/provision/fixtures.js';

describe('isAdmin', () => {
  it.each([
    { description: 'a holder of Sandbox.Admin', caller: adminFactory(), admin: true },
    {
      description: 'the role in another case',
      caller: callerFactory({ roles: ['sandbox.admin'] }),
      admin: true,
    },
    { description: 'a plain user', caller: callerFactory(), admin: false },
    {
      description: 'an approver',
      caller: callerFactory({ roles: [APP_ROLES.approver] }),
      admin: false,
    },
    { description: 'nobody', caller: undefined, admin: false },
  ])('$description: $admin', ({ caller, admin }) => {
    expect(isAdmin(caller)).toBe(admin);
  });
});

describe('mayActFor', () => {
  it.each([
    {
      description: 'the owner, by object id',
      caller: callerFactory(),
      owner: 'OID-ANA',
      may: true,
    },
    {
      description: 'the owner, by the name older sandboxes recorded',
      caller: callerFactory(),
      owner: 'Ana@Contoso.com',
      may: true,
    },
    {
      description: 'someone else',
      caller: callerFactory({ id: 'oid-bob', name: 'bob' }),
      owner: 'oid-ana',
      may: false,
    },
    { description: 'an admin', caller: adminFactory(), owner: 'oid-ana', may: true },
  ])('$description: $may', ({ caller, owner, may }) => {
    expect(mayActFor(caller, owner)).toBe(may);
  });
});

describe('ownerFor', () => {
  it('is the caller when the request names nobody, or the caller', () => {
    // Prepare
    const ana = callerFactory();

    // Act & Assess
    expect(ownerFor(ana, undefined)).toEqual({ id: 'oid-ana', name: 'ana@contoso.com' });
    expect(ownerFor(ana, 'ana@contoso.com')).toEqual({ id: 'oid-ana', name: 'ana@contoso.com' });
  });

  it('lets an admin name another owner', () => {
    expect(ownerFor(adminFactory(), 'oid-bob')).toEqual({ id: 'oid-bob', name: 'oid-bob' });
  });

  it('refuses a non-admin naming another owner with 403', () => {
    expect(() => ownerFor(callerFactory(), 'oid-bob')).toThrow(
      expect.objectContaining({
        status: 403,
        message:
          "'ana@contoso.com' may not act for 'oid-bob'; only an admin may name another owner.",
      }),
    );
  });
});

describe('requireRole', () => {
  it('passes a caller holding one of the roles', () => {
    expect(
      hasRole(callerFactory({ roles: [APP_ROLES.approver] }), [
        APP_ROLES.admin,
        APP_ROLES.approver,
      ]),
    ).toBe(true);
  });

  it('refuses a caller with no role with 403, naming the roles', () => {
    expect(() =>
      requireRole(callerFactory({ roles: [] }), [APP_ROLES.admin], 'Cleanup runs'),
    ).toThrow(
      expect.objectContaining({
        status: 403,
        code: 'MissingAppRole',
        message: "'ana@contoso.com' holds none of the app roles cleanup runs need: Sandbox.Admin.",
      }),
    );
  });
});

describe('isCaller', () => {
  it('matches the object id or the name, ignoring case', () => {
    expect(isCaller(callerFactory(), 'OID-ana')).toBe(true);
    expect(isCaller(callerFactory(), 'oid-bob')).toBe(false);
  });
});
