import { describe, expect, it } from 'vitest';
import {
  actingCaller,
  isAdmin,
  mayManageSandbox,
} from '../../../../services/provisioning/Caller.js';
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
      caller: callerFactory({ name: 'ops@contoso.com', authenticated: false }),
      admin: false,
    },
  ])('$description: $admin', ({ caller, admin }) => {
    expect(isAdmin(caller, ['ops@contoso.com', 'oid-ops', 'role:SandboxAdmin'])).toBe(admin);
  });
});

describe('mayManageSandbox', () => {
  it.each([
    { description: 'the owner', caller: callerFactory(), may: true },
    {
      description: 'automation acting for the owner',
      caller: actingCaller(undefined, 'ANA@contoso.com'),
      may: true,
    },
    { description: 'someone else', caller: callerFactory({ name: 'bob' }), may: false },
  ])('$description: $may', ({ caller, may }) => {
    expect(mayManageSandbox(caller, 'ana@contoso.com', [])).toBe(may);
  });
});

describe('actingCaller', () => {
  it('needs an owner when nobody is signed in', () => {
    expect(() => actingCaller(undefined, undefined)).toThrow(
      'Invalid request: owner: required when the caller is not signed in',
    );
  });
});
