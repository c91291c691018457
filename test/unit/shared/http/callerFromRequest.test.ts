import { describe, expect, it } from 'vitest';
import { callerFromRequest } from '../../../../shared/http/callerFromRequest.js';
import { httpRequestFactory } from '../../../support/provision/httpRequestFactory.js';
import { principalHeader } from '../../../support/provision/principalHeader.js';

const withPrincipal = (value?: string) =>
  httpRequestFactory({
    path: '/api/sandboxes',
    headers: value === undefined ? {} : { 'x-ms-client-principal': value },
  });

describe('callerFromRequest', () => {
  it('is undefined without the header (automation under a function key)', () => {
    expect(callerFromRequest(withPrincipal(), 'function')).toBeUndefined();
  });

  it('reads the name, id and roles of a signed-in principal', () => {
    // Act
    const caller = callerFromRequest(
      withPrincipal(
        principalHeader({ name: 'ana@contoso.com', id: 'oid-1', roles: ['SandboxAdmin'] }),
      ),
      'function',
    );

    // Assess
    expect(caller).toEqual({
      id: 'oid-1',
      name: 'ana@contoso.com',
      roles: ['SandboxAdmin'],
      via: 'principal',
    });
  });

  it.each(['not base64 %%', Buffer.from('[]').toString('base64')])(
    'answers 401 for an unreadable header %s',
    (value) => {
      expect(() => callerFromRequest(withPrincipal(value), 'function')).toThrow(
        expect.objectContaining({ name: 'UnauthorizedError', status: 401 }),
      );
    },
  );

  it('is the admin key holder on a route the host guards with the admin key', () => {
    expect(
      callerFromRequest(withPrincipal(principalHeader({ name: 'eve', roles: [] })), 'admin'),
    ).toEqual({
      name: 'admin-key',
      roles: [],
      via: 'admin-key',
    });
  });
});
