/**
 * Who is calling, and the one rule for what they may do. The HTTP adapter establishes the caller
 * (see `callerFromRequest`); services only ever ask the questions below.
 */
import { ForbiddenError, UnauthorizedError, ValidationError } from '../apiErrors.js';

export interface Caller {
  /** The principal's name (UPN or e-mail), the owner automation names, or `admin-key`. */
  name: string;
  /** The principal's stable object id, when signed in. */
  id?: string;
  /** App roles the platform vouches for. */
  roles: readonly string[];
  /**
   * How the identity was established: a signed-in `principal`, the host's `admin-key`, or a name
   * that automation under a function key gave (`named`), which proves nothing about who it is.
   */
  via: 'principal' | 'admin-key' | 'named';
}

/** The caller behind the host's admin (master) key. */
export const ADMIN_KEY_CALLER: Caller = { name: 'admin-key', roles: [], via: 'admin-key' };

/**
 * Whether the caller is an admin: the holder of the admin key, or a signed-in principal that
 * `ADMIN_PRINCIPALS` lists by name or object id (case-insensitively), or by an app role it holds
 * (`role:<name>`). App roles are assigned in Entra ID by the tenant, never by the caller, so they
 * count only when an admin entry names them. A name automation gives is never an admin.
 *
 * @example
 * isAdmin(caller, ['ops@contoso.com', 'role:SandboxAdmin']);
 */
export function isAdmin(caller: Caller | undefined, admins: readonly string[]): boolean {
  if (!caller || caller.via === 'named') return false;
  if (caller.via === 'admin-key') return true;
  const wanted = new Set(admins.map((a) => a.toLowerCase()));
  return (
    (caller.id !== undefined && wanted.has(caller.id.toLowerCase())) ||
    wanted.has(caller.name.toLowerCase()) ||
    caller.roles.some((role) => wanted.has(`role:${role.toLowerCase()}`))
  );
}

/**
 * Whether the caller may act on something `owner` owns: its owner (case-insensitively) or an
 * admin.
 *
 * @example
 * mayActFor({ name: 'Ana@contoso.com', roles: [], via: 'principal' }, 'ana@contoso.com', []); // true
 */
export function mayActFor(caller: Caller, owner: string, admins: readonly string[]): boolean {
  return caller.name.toLowerCase() === owner.toLowerCase() || isAdmin(caller, admins);
}

/**
 * The caller a request acts as: the signed-in principal, or, for automation under a function
 * key, the owner it names. Without either there is nobody to authorize.
 *
 * @example
 * actingCaller(undefined, 'ana@contoso.com'); // { name: 'ana@contoso.com', roles: [], via: 'named' }
 */
export function actingCaller(caller: Caller | undefined, owner: string | undefined): Caller {
  if (caller) return caller;
  if (owner === undefined) {
    throw new ValidationError([
      { rule: 'owner', message: 'required when the caller is not signed in' },
    ]);
  }
  return { name: owner, roles: [], via: 'named' };
}

/**
 * The caller, when it is an admin; otherwise a 401 (nobody identified) or a 403. `purpose` says
 * what needs an admin, in the plural, for the message (`Cleanup runs`).
 *
 * @example
 * const admin = requireAdmin(caller, config.adminPrincipals, 'Cleanup runs');
 */
export function requireAdmin(
  caller: Caller | undefined,
  admins: readonly string[],
  purpose: string,
): Caller {
  if (isAdmin(caller, admins)) return caller!;
  if (!caller || caller.via === 'named') {
    throw new UnauthorizedError(
      `${purpose} need an admin principal (x-ms-client-principal) or the admin key.`,
    );
  }
  throw new ForbiddenError(
    `'${caller.name}' is not an admin; ${purpose.toLowerCase()} need an admin principal or the admin key.`,
  );
}
