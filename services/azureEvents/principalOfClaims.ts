/**
 * Who made a change, read from the claims ARM records with Azure's event. ARM writes the well-known
 * claims under .NET's claim type URIs (`upn` → `…/claims/upn`, `unique_name` → `…/claims/name`,
 * `oid` → `…/identity/claims/objectidentifier`) and the others by name (`appid`, `name`,
 * `xms_mirid`); both spellings are read.
 */
import { type CreatorPrincipal, formatCreatedBy } from '../sandbox/formatCreatedBy.js';

const CLAIMS = {
  upn: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'upn'],
  uniqueName: ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'unique_name'],
  preferredUsername: ['preferred_username'],
  objectId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  appId: ['appid', 'azp'],
  idtyp: ['idtyp'],
  appDisplayName: ['app_displayname'],
  name: ['name'],
  managedIdentity: ['xms_mirid'],
} as const;

/** A principal as the event names it, with its `created-by` value. */
export interface EventPrincipal extends CreatorPrincipal {
  /** A managed identity (the token carries `xms_mirid`, its resource id). */
  managedIdentity: boolean;
  /** The `created-by` value (see `formatCreatedBy`); `undefined` when the claims name nobody. */
  label?: string;
}

/**
 * The principal behind an event's claims. A person has a sign-in name (`upn`, `unique_name` or
 * `preferred_username`); anything else with an `appid` is an application: a service principal,
 * or a managed identity, whose display name is the last segment of its resource id (`xms_mirid`)
 * when the token carries no `app_displayname` or `name`.
 *
 * @example
 * principalOfClaims({ 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'ana@contoso.com' });
 * // { kind: 'user', name: 'ana@contoso.com', label: 'ana@contoso.com', managedIdentity: false }
 */
export function principalOfClaims(claims: Readonly<Record<string, string>>): EventPrincipal {
  const read = (names: readonly string[]) => {
    for (const name of names) {
      const value = claims[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const objectId = read(CLAIMS.objectId)?.toLowerCase();
  const appId = read(CLAIMS.appId)?.toLowerCase();
  const signIn = read(CLAIMS.upn) ?? read(CLAIMS.uniqueName) ?? read(CLAIMS.preferredUsername);
  const idtyp = read(CLAIMS.idtyp);
  const mirid = read(CLAIMS.managedIdentity);
  const optional = { ...(objectId ? { objectId } : {}) };
  if (signIn && idtyp !== 'app') {
    const principal: CreatorPrincipal = { kind: 'user', name: signIn, ...optional };
    return withLabel(principal, false);
  }
  const name =
    read(CLAIMS.appDisplayName) ?? read(CLAIMS.name) ?? (mirid ? lastSegment(mirid) : undefined);
  const principal: CreatorPrincipal = {
    kind: 'application',
    ...(name ? { name } : {}),
    ...(appId ? { appId } : {}),
    ...optional,
  };
  return withLabel(principal, mirid !== undefined);
}

/** The app's own identity: its client id and object id, as far as the settings know them. */
export interface OwnIdentity {
  clientId?: string;
  principalId?: string;
}

/**
 * Whether the principal is the app's own identity, whose writes raise events too.
 *
 * @example
 * isOwnPrincipal(principal, { clientId: config.clientId, principalId: config.azureEvents.appPrincipalId });
 */
export function isOwnPrincipal(principal: EventPrincipal, self: OwnIdentity): boolean {
  if (principal.kind !== 'application') return false;
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  return same(principal.appId, self.clientId) || same(principal.objectId, self.principalId);
}

function withLabel(principal: CreatorPrincipal, managedIdentity: boolean): EventPrincipal {
  const label = formatCreatedBy(principal);
  return { ...principal, managedIdentity, ...(label ? { label } : {}) };
}

function lastSegment(resourceId: string): string | undefined {
  const segments = resourceId.split('/').filter((s) => s.length > 0);
  return segments.length >= 2 ? segments[segments.length - 1] : undefined;
}
