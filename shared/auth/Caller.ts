/**
 * Who is calling, and the one rule for what they may do. The HTTP adapter establishes the caller
 * from a verified credential (see `Authenticator`); services only ever ask the questions below.
 */
import { ForbiddenError } from '../apiErrors.js';

/** The app roles of the API's registration in Entra ID; tokens carry them in `roles`. */
export const APP_ROLES = {
  /** Acts on their own sandboxes. */
  user: 'Sandbox.User',
  /** Acts on every sandbox and on cleanup runs. */
  admin: 'Sandbox.Admin',
  /** Approves blocked or dry-run cleanup plans (never one they started). */
  approver: 'Sandbox.Approver',
} as const;

export type AppRole = (typeof APP_ROLES)[keyof typeof APP_ROLES];

export interface Caller {
  /** The principal's object id (`oid`): stable, and what ownership is recorded by. */
  id: string;
  /** For display and audit: the user's `preferred_username`/`upn`, or an application's name. */
  name: string;
  /** The app roles the token carries (and `Sandbox.Admin` for a principal `ADMIN_PRINCIPALS` lists). */
  roles: readonly string[];
  /** A person, or an application (a service principal or managed identity). */
  kind: 'user' | 'application';
  /** An application's client id (the token's `azp` or `appid`), when it has one. */
  appId?: string;
  /** How the identity was proven: a bearer token, or App Service Authentication's header. */
  via: 'token' | 'app-service';
}

/**
 * Whether the caller holds any of `roles`.
 *
 * @example
 * hasRole(caller, [APP_ROLES.admin, APP_ROLES.approver]);
 */
export function hasRole(caller: Caller, roles: readonly string[]): boolean {
  const held = new Set(caller.roles.map((r) => r.toLowerCase()));
  return roles.some((role) => held.has(role.toLowerCase()));
}

/**
 * Whether the caller is an admin: a holder of `Sandbox.Admin`.
 *
 * @example
 * isAdmin(caller); // true for a token with roles: ['Sandbox.Admin']
 */
export function isAdmin(caller: Caller | undefined): boolean {
  return caller !== undefined && hasRole(caller, [APP_ROLES.admin]);
}

/**
 * Whether `owner` (an object id, or a name recorded before ownership moved to object ids) is
 * the caller.
 *
 * @example
 * isCaller(caller, caller.id); // true
 */
export function isCaller(caller: Caller, owner: string): boolean {
  const wanted = owner.toLowerCase();
  return caller.id.toLowerCase() === wanted || caller.name.toLowerCase() === wanted;
}

/**
 * Whether the caller may act on something `owner` owns: its owner, or an admin.
 *
 * @example
 * mayActFor(ana, ana.id); // true
 */
export function mayActFor(caller: Caller, owner: string): boolean {
  return isCaller(caller, owner) || isAdmin(caller);
}

/**
 * The owner a request acts for: the caller, unless it names someone else, which only an admin
 * may. Throws a 403 otherwise.
 *
 * @example
 * ownerFor(ana, undefined); // { id: ana.id, name: ana.name }
 * ownerFor(ops, 'bob-oid'); // { id: 'bob-oid', name: 'bob-oid' }
 */
export function ownerFor(caller: Caller, named: string | undefined): { id: string; name: string } {
  if (named === undefined || isCaller(caller, named)) return { id: caller.id, name: caller.name };
  if (!isAdmin(caller)) {
    throw new ForbiddenError(
      `'${caller.name}' may not act for '${named}'; only an admin may name another owner.`,
    );
  }
  return { id: named, name: named };
}

/**
 * The caller, when it holds one of `roles`; a 403 naming them otherwise.
 *
 * @example
 * requireRole(caller, [APP_ROLES.admin], 'Cleanup runs');
 */
export function requireRole(caller: Caller, roles: readonly string[], purpose: string): Caller {
  if (hasRole(caller, roles)) return caller;
  throw new ForbiddenError(
    `'${caller.name}' holds none of the app roles ${purpose.toLowerCase()} need: ${roles.join(', ')}.`,
    { code: 'MissingAppRole' },
  );
}
