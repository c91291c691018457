import { createHash, randomBytes } from 'node:crypto';
import type { ApiRegistration, EntraUser, ServicePrincipal } from './EntraDirectory.js';

/** Who a token is about: a signed-in user, or an application acting as itself. */
export type TokenSubject =
  | { kind: 'user'; user: EntraUser }
  | { kind: 'app'; principal: ServicePrincipal };

/** What a token is for: the app's API (v1 or v2 tokens, as its manifest says), ARM or Storage. */
export type TokenResource =
  | { kind: 'api'; identifier: string; api: ApiRegistration }
  | { kind: 'arm' | 'storage'; identifier: string };

export interface ClaimsInput {
  tenantId: string;
  /** `{authority}/v2.0`: the issuer of v2 tokens. */
  issuerV2: string;
  subject: TokenSubject;
  resource: TokenResource;
  /** The application that asked for the token. */
  clientId: string;
  /** Whether that application proved itself with a secret (a confidential client). */
  clientAuthenticated: boolean;
  /** Delegated permissions granted, for `scp`. */
  scopes: string[];
  nowSeconds: number;
  lifetimeSeconds: number;
}

/** v1 tokens (ARM, Storage, APIs left at version 1) come from the tenant's v1 issuer. */
export const issuerV1 = (tenantId: string) => `https://sts.windows.net/${tenantId}/`;

const uti = () => randomBytes(16).toString('base64url').slice(0, 22);

/** A user's `sub` is pairwise: the same user has a different one for each application. */
function pairwiseSubject(tenantId: string, objectId: string, audience: string): string {
  return createHash('sha256')
    .update(`${tenantId}|${objectId}|${audience}`)
    .digest('base64url')
    .slice(0, 43);
}

/**
 * The claims of an access token as Entra issues it: v2 (`azp`, `preferred_username`) for an API
 * that accepts v2 tokens, v1 (`appid`, `upn`, `unique_name`, issuer `sts.windows.net`) for ARM,
 * Storage and v1 APIs. `roles` carries the API's app roles assigned to the subject.
 *
 * @example
 * const claims = accessTokenClaims({ tenantId, issuerV2, subject: { kind: 'user', user }, resource, … });
 */
export function accessTokenClaims(input: ClaimsInput): Record<string, unknown> {
  const { subject, resource, tenantId } = input;
  const v2 = resource.kind === 'api' && resource.api.accessTokenVersion === 2;
  const audience = v2 && resource.kind === 'api' ? resource.api.clientId : resource.identifier;
  const objectId = subject.kind === 'user' ? subject.user.objectId : subject.principal.objectId;
  const roles =
    resource.kind === 'api'
      ? subject.kind === 'user'
        ? subject.user.roles
        : subject.principal.roles
      : [];
  const times = {
    iat: input.nowSeconds,
    nbf: input.nowSeconds,
    exp: input.nowSeconds + input.lifetimeSeconds,
  };
  const clientAuth = input.clientAuthenticated ? '1' : '0';
  const person =
    subject.kind === 'user'
      ? v2
        ? {
            name: subject.user.displayName,
            preferred_username: subject.user.username,
            upn: subject.user.username,
          }
        : {
            amr: ['pwd'],
            name: subject.user.displayName,
            unique_name: subject.user.username,
            upn: subject.user.username,
          }
      : {};
  const delegated =
    subject.kind === 'user' && input.scopes.length > 0 ? { scp: input.scopes.join(' ') } : {};
  return {
    aud: audience,
    iss: v2 ? input.issuerV2 : issuerV1(tenantId),
    ...times,
    ...(v2
      ? { azp: input.clientId, azpacr: clientAuth }
      : {
          appid: input.clientId,
          appidacr: clientAuth,
          ...(subject.kind === 'app' ? { idp: issuerV1(tenantId) } : {}),
        }),
    idtyp: subject.kind === 'user' ? 'user' : 'app',
    ...person,
    oid: objectId,
    ...(roles.length > 0 ? { roles } : {}),
    ...delegated,
    sub: subject.kind === 'user' ? pairwiseSubject(tenantId, objectId, input.clientId) : objectId,
    tid: tenantId,
    uti: uti(),
    ver: v2 ? '2.0' : '1.0',
  };
}

/**
 * The claims of a v2 ID token for a signed-in user.
 *
 * @example
 * idTokenClaims(tenantId, issuerV2, user, clientId, nowSeconds, 3600);
 */
export function idTokenClaims(
  tenantId: string,
  issuerV2: string,
  user: EntraUser,
  clientId: string,
  nowSeconds: number,
  lifetimeSeconds: number,
): Record<string, unknown> {
  return {
    aud: clientId,
    iss: issuerV2,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: nowSeconds + lifetimeSeconds,
    name: user.displayName,
    oid: user.objectId,
    preferred_username: user.username,
    sub: pairwiseSubject(tenantId, user.objectId, clientId),
    tid: tenantId,
    uti: uti(),
    ver: '2.0',
  };
}
