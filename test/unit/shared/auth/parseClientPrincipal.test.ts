import { describe, expect, it } from 'vitest';
import { parseClientPrincipal } from '../../../../shared/auth/parseClientPrincipal.js';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

const appServicePrincipal = {
  auth_typ: 'aad',
  name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
  claims: [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: '7f1c-oid' },
    { typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', val: 'sub-123' },
    {
      typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      val: 'alice@example.com',
    },
    { typ: 'name', val: 'Alice' },
    { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'SandboxAdmin' },
    { typ: 'roles', val: 'Reader' },
  ],
};

describe('parseClientPrincipal', () => {
  it.each([
    {
      description: 'App Service claims',
      header: b64(appServicePrincipal),
      principal: {
        id: '7f1c-oid',
        name: 'alice@example.com',
        roles: ['SandboxAdmin', 'Reader'],
        identityProvider: 'aad',
      },
    },
    {
      description: 'claims with only a subject and a name claim',
      header: b64({
        auth_typ: 'github',
        claims: [
          { typ: 'sub', val: 's-1' },
          { typ: 'name', val: 'Bob' },
        ],
      }),
      principal: { id: 's-1', name: 'Bob', roles: [], identityProvider: 'github' },
    },
    {
      description: 'claims without any name',
      header: b64({ claims: [{ typ: 'oid', val: 'o-1' }] }),
      principal: { id: 'o-1', name: 'o-1', roles: [] },
    },
    {
      description: 'the Static Web Apps shape',
      header: b64({
        identityProvider: 'aad',
        userId: 'u-1',
        userDetails: 'carol@example.com',
        userRoles: ['anonymous', 'authenticated', 'admin'],
      }),
      principal: {
        id: 'u-1',
        name: 'carol@example.com',
        roles: ['admin'],
        identityProvider: 'aad',
      },
    },
    {
      description: 'surrounding whitespace',
      header: `  ${b64({ userId: 'u-2' })}\n`,
      principal: { id: 'u-2', name: 'u-2', roles: [] },
    },
  ])('reads $description', ({ header, principal }) => {
    // Act
    const result = parseClientPrincipal(header);

    // Assess
    expect(result).toEqual({ principal });
  });

  it.each([
    { description: 'no header', header: undefined, reason: 'header is absent' },
    { description: 'null', header: null, reason: 'header is absent' },
    { description: 'an empty header', header: '  ', reason: 'header is absent' },
    {
      description: 'characters outside base64',
      header: '{"userId":"u"}',
      reason: 'header is not base64',
    },
    {
      description: 'base64 of text that is not JSON',
      header: b64('hello there'),
      reason: 'header is not base64-encoded JSON',
    },
    { description: 'a JSON array', header: b64([1, 2]), reason: 'header is not a JSON object' },
    { description: 'JSON null', header: b64('null'), reason: 'header is not a JSON object' },
    {
      description: 'an object of neither shape',
      header: b64({ hello: 'world' }),
      reason: 'header has neither claims nor userId',
    },
    {
      description: 'claims without an id',
      header: b64({ claims: [{ typ: 'name', val: 'x' }] }),
      reason: 'claims carry no object id or subject',
    },
    {
      description: 'malformed claims',
      header: b64({ claims: [null, 3, { typ: 1, val: 'x' }] }),
      reason: 'claims carry no object id or subject',
    },
    {
      description: 'an empty userId',
      header: b64({ userId: '', userDetails: 'x' }),
      reason: 'header carries no userId',
    },
    {
      description: 'a huge header',
      header: 'A'.repeat(20_000),
      reason: 'header is longer than 16384 characters',
    },
  ])('refuses $description with a reason, without throwing', ({ header, reason }) => {
    // Act
    const result = parseClientPrincipal(header);

    // Assess
    expect(result).toEqual({ principal: undefined, reason });
  });
});
