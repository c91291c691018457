import type { Caller } from '../../../shared/auth/Caller.js';

/**
 * The `x-ms-client-principal` header App Service Authentication would send for `caller`.
 *
 * @example
 * fetch(url, { headers: { 'x-ms-client-principal': principalHeader({ name: 'ana', roles: [] }) } });
 */
export function principalHeader(caller: Pick<Caller, 'name' | 'roles'> & { id?: string }): string {
  const claims = [
    {
      typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
      val: caller.id ?? `oid-${caller.name}`,
    },
    { typ: 'preferred_username', val: caller.name },
    ...caller.roles.map((role) => ({ typ: 'roles', val: role })),
  ];
  return Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'preferred_username', role_typ: 'roles' }),
  ).toString('base64');
}
