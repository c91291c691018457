import { describe, expect, it } from 'vitest';
import { EntraDirectory } from '../../../src/entra/EntraDirectory.js';

const tenant = '00000000-0000-4000-8000-0000000e0001';

// App roles and their allowed member types as an app registration's manifest declares them
// (`appRoles[].allowedMemberTypes`: User, Application); users are named by their UPN.
describe('EntraDirectory', () => {
  it('defaults to the sandbox API with two plain users, an approver, an admin and one without roles', () => {
    const directory = EntraDirectory.create({}, tenant);
    expect(directory.api.appRoles.map((role) => role.value)).toEqual([
      'Sandbox.User',
      'Sandbox.Admin',
      'Sandbox.Approver',
    ]);
    expect(directory.users.map((user) => [user.username, user.roles])).toEqual([
      ['alice@sandbox.test', ['Sandbox.User']],
      ['bob@sandbox.test', ['Sandbox.User']],
      ['carol@sandbox.test', ['Sandbox.User', 'Sandbox.Approver']],
      ['dave@sandbox.test', ['Sandbox.Admin']],
      ['erin@sandbox.test', []],
    ]);
    expect(directory.api.identifierUri).toBe(`api://${directory.api.clientId}`);
  });

  it('keeps object ids across starts, and draws new passwords when none are given', () => {
    const first = EntraDirectory.create({}, tenant);
    const second = EntraDirectory.create({}, tenant);
    expect(second.users.map((u) => u.objectId)).toEqual(first.users.map((u) => u.objectId));
    expect(second.servicePrincipals[0]?.clientId).toBe(first.servicePrincipals[0]?.clientId);
    expect(second.users[0]?.password).not.toBe(first.users[0]?.password);
  });

  it('takes given passwords and secrets as they are', () => {
    const directory = EntraDirectory.create(
      {
        users: [{ username: 'ops@sandbox.test', password: 'p4ss', roles: ['Sandbox.Admin'] }],
        servicePrincipals: [{ displayName: 'ci', clientSecret: 's3cret' }],
      },
      tenant,
    );
    expect(directory.user('OPS@sandbox.test')?.password).toBe('p4ss');
    expect(directory.servicePrincipals[0]?.clientSecret).toBe('s3cret');
  });

  it.each([
    [
      { users: [{ username: 'ops@sandbox.test', roles: ['Sandbox.Root'] }] },
      "User 'ops@sandbox.test' has role 'Sandbox.Root', which the API registration does not define for users (Sandbox.User, Sandbox.Admin, Sandbox.Approver).",
    ],
    [
      {
        api: { appRoles: [{ value: 'Job.Run', allowedMemberTypes: ['User' as const] }] },
        users: [],
        servicePrincipals: [{ displayName: 'ci', roles: ['Job.Run'] }],
      },
      "Service principal 'ci' has role 'Job.Run', which the API registration does not define for applications (none).",
    ],
    [
      { users: [{ username: 'ops' }] },
      "User name 'ops' is not a user principal name (name@domain).",
    ],
    [
      { users: [{ username: 'a@x.test' }, { username: 'A@x.test' }] },
      "User 'A@x.test' is given twice.",
    ],
    [{ users: [{ username: 'a@x.test', password: '' }] }, "User 'a@x.test' has an empty password."],
    [{ api: { clientId: 'api' } }, "API client id 'api' is not a GUID."],
    [
      { api: { spaRedirectUris: ['http://contoso.com/'] } },
      "SPA redirect URI 'http://contoso.com/' must use https (http is for loopback addresses only).",
    ],
  ])('refuses %j', (input, message) => {
    expect(() => EntraDirectory.create(input, tenant)).toThrow(message);
  });
});
