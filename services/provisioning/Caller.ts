import { isAdmin as isConfiguredAdmin } from '../../shared/http/principal.js';
import { InvalidRequestError } from './ProvisioningError.js';

/**
 * Who is calling, as the HTTP adapter established it: a signed-in principal (from
 * `x-ms-client-principal`), or automation under a function key acting for a named owner.
 */
export interface Caller {
  /** The principal's name (UPN or e-mail), or the owner an automation caller acts for. */
  name: string;
  /** The principal's object id, when signed in. */
  id?: string;
  roles: readonly string[];
  /** True when the identity comes from the platform's authentication, not from the request. */
  authenticated: boolean;
}

/**
 * Whether the caller is an admin under `ADMIN_PRINCIPALS` (by name, object id, or an app role
 * listed as `role:<name>`). Only a signed-in principal can be an admin.
 *
 * @example
 * isAdmin({ name: 'ops@contoso.com', roles: ['SandboxAdmin'], authenticated: true }, ['role:SandboxAdmin']); // true
 */
export function isAdmin(caller: Caller, adminPrincipals: readonly string[]): boolean {
  if (!caller.authenticated) return false;
  return isConfiguredAdmin(
    { id: caller.id ?? caller.name, name: caller.name, roles: [...caller.roles] },
    adminPrincipals,
  );
}

/**
 * Whether the caller may extend or delete a sandbox owned by `owner`: its owner
 * (case-insensitively) or an admin.
 *
 * @example
 * mayManageSandbox({ name: 'Ana@contoso.com', roles: [], authenticated: true }, 'ana@contoso.com', []);
 * // true
 */
export function mayManageSandbox(
  caller: Caller,
  owner: string,
  adminPrincipals: readonly string[],
): boolean {
  return caller.name.toLowerCase() === owner.toLowerCase() || isAdmin(caller, adminPrincipals);
}

/**
 * The caller a request acts as: the signed-in principal, or, under a function key, the owner the
 * automation names. Without either there is nobody to authorize.
 *
 * @example
 * actingCaller(undefined, 'ana@contoso.com'); // { name: 'ana@contoso.com', roles: [], authenticated: false }
 */
export function actingCaller(caller: Caller | undefined, owner: string | undefined): Caller {
  if (caller) return caller;
  if (owner === undefined) {
    throw new InvalidRequestError([
      { rule: 'owner', message: 'required when the caller is not signed in' },
    ]);
  }
  return { name: owner, roles: [], authenticated: false };
}
