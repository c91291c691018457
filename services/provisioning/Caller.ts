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
 * App roles (assigned in Entra ID to users or groups, so granted by the tenant, not the caller)
 * that make a signed-in principal an admin of every sandbox.
 */
const ADMIN_ROLES = new Set(['admin', 'sandboxadmin']);

/**
 * Whether the caller is an admin: listed in `ADMIN_PRINCIPALS` (by name or object id), or holding
 * the role `admin` or `SandboxAdmin`. Only a signed-in principal can be an admin.
 *
 * @example
 * isAdmin({ name: 'ops@contoso.com', roles: ['SandboxAdmin'], authenticated: true }, []); // true
 */
export function isAdmin(caller: Caller, adminPrincipals: readonly string[]): boolean {
  if (!caller.authenticated) return false;
  const principal = { id: caller.id ?? caller.name, name: caller.name, roles: [...caller.roles] };
  return (
    isConfiguredAdmin(principal, adminPrincipals) ||
    caller.roles.some((role) => ADMIN_ROLES.has(role.toLowerCase()))
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
