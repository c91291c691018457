/**
 * Who is calling, from the platform's authentication header `x-ms-client-principal`: base64 of a
 * JSON document that App Service Authentication (Easy Auth) fills in. Two shapes exist: App
 * Service's `{ auth_typ, claims: [{ typ, val }], name_typ, role_typ }` and Static Web Apps'
 * `{ identityProvider, userId, userDetails, userRoles }`.
 *
 * A header that cannot be read is never an exception (which an adapter would turn into a 500):
 * it is "no principal", with the reason, so the caller answers 401 and logs why.
 */

export interface ClientPrincipal {
  /** The stable id: Entra object id (`oid`) when present, else the subject. */
  id: string;
  /** A display name or e-mail; the id when the token carries none. */
  name: string;
  roles: string[];
  /** `aad`, `github`, … when the header says. */
  identityProvider?: string;
}

export type PrincipalParseResult =
  | { principal: ClientPrincipal; reason?: undefined }
  | { principal: undefined; reason: string };

/** The header, as the platform names it. */
export const clientPrincipalHeader = 'x-ms-client-principal';

const maxHeaderLength = 16 * 1024;

const claimTypes = {
  objectId: ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'],
  subject: [
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
    'sub',
    'nameidentifier',
  ],
  name: [
    'name',
    'preferred_username',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    'email',
  ],
  role: ['roles', 'role', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'],
};

/**
 * Parses the header's value.
 *
 * @example
 * const { principal, reason } = parseClientPrincipal(request.headers.get('x-ms-client-principal'));
 * if (!principal) context.warn(`no principal: ${reason}`);
 */
export function parseClientPrincipal(header: string | null | undefined): PrincipalParseResult {
  if (header === null || header === undefined || header.trim() === '') {
    return { principal: undefined, reason: 'header is absent' };
  }
  const value = header.trim();
  if (value.length > maxHeaderLength) {
    return { principal: undefined, reason: `header is longer than ${maxHeaderLength} characters` };
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    return { principal: undefined, reason: 'header is not base64' };
  }
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    return { principal: undefined, reason: 'header is not base64-encoded JSON' };
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    return { principal: undefined, reason: 'header is not a JSON object' };
  }
  const d = document as Record<string, unknown>;
  if (Array.isArray(d.claims)) return fromClaims(d);
  if (typeof d.userId === 'string' || typeof d.userDetails === 'string')
    return fromStaticWebApps(d);
  return { principal: undefined, reason: 'header has neither claims nor userId' };
}

function fromClaims(d: Record<string, unknown>): PrincipalParseResult {
  const claims = (d.claims as unknown[]).flatMap((c) => {
    if (!c || typeof c !== 'object') return [];
    const { typ, val } = c as { typ?: unknown; val?: unknown };
    return typeof typ === 'string' && typeof val === 'string' ? [{ typ, val }] : [];
  });
  const first = (types: readonly string[]) =>
    types
      .map((t) => claims.find((c) => c.typ.toLowerCase() === t.toLowerCase())?.val)
      .find(Boolean);
  const nameType = typeof d.name_typ === 'string' ? d.name_typ : undefined;
  const roleType = typeof d.role_typ === 'string' ? d.role_typ : undefined;
  const id = first(claimTypes.objectId) ?? first(claimTypes.subject);
  if (!id) return { principal: undefined, reason: 'claims carry no object id or subject' };
  const name = (nameType ? first([nameType]) : undefined) ?? first(claimTypes.name) ?? id;
  const roleTypes = new Set(
    [...(roleType ? [roleType] : []), ...claimTypes.role].map((t) => t.toLowerCase()),
  );
  const roles = [
    ...new Set(claims.filter((c) => roleTypes.has(c.typ.toLowerCase())).map((c) => c.val)),
  ];
  return {
    principal: {
      id,
      name,
      roles,
      ...(typeof d.auth_typ === 'string' ? { identityProvider: d.auth_typ } : {}),
    },
  };
}

function fromStaticWebApps(d: Record<string, unknown>): PrincipalParseResult {
  const id = typeof d.userId === 'string' && d.userId !== '' ? d.userId : undefined;
  if (!id) return { principal: undefined, reason: 'header carries no userId' };
  const roles = Array.isArray(d.userRoles)
    ? d.userRoles.filter((r): r is string => typeof r === 'string')
    : [];
  return {
    principal: {
      id,
      name: typeof d.userDetails === 'string' && d.userDetails !== '' ? d.userDetails : id,
      // Every signed-in SWA user carries these two; they say nothing about privileges.
      roles: roles.filter((r) => r !== 'anonymous' && r !== 'authenticated'),
      ...(typeof d.identityProvider === 'string' ? { identityProvider: d.identityProvider } : {}),
    },
  };
}
