import type { EmulatorCore } from '../EmulatorCore.js';
import type { EntraUser, ServicePrincipal } from './EntraDirectory.js';

/** What a client needs to sign in to the local Entra ID, and who can. */
export interface LocalEntra {
  /** `https://127.0.0.1:{port}`: `authorityHost` for `@azure/identity`. */
  authorityHost: string;
  /** `{authorityHost}/{tenantId}` */
  authority: string;
  tenantId: string;
  /** The API's client id; also the public client that users sign in through. */
  clientId: string;
  /** The API's application ID URI. */
  identifierUri: string;
  /** `{identifierUri}/.default`: the scope to ask for a token for the API. */
  apiScope: string;
  /** App roles the API defines. */
  appRoles: string[];
  users: EntraUser[];
  servicePrincipals: ServicePrincipal[];
}

/**
 * The local Entra ID as clients see it, passwords and secrets included: for tests and for
 * `.local/runtime.json`, never for logs.
 *
 * @example
 * const { authorityHost, tenantId, users } = describeLocalEntra(core);
 */
export function describeLocalEntra(core: EmulatorCore): LocalEntra {
  const { directory } = core;
  return {
    authorityHost: core.entraAuthorityHost,
    authority: `${core.entraAuthorityHost}/${directory.tenantId}`,
    tenantId: directory.tenantId,
    clientId: directory.api.clientId,
    identifierUri: directory.api.identifierUri,
    apiScope: `${directory.api.identifierUri}/.default`,
    appRoles: directory.api.appRoles.map((role) => role.value),
    users: directory.users.map((user) => ({ ...user, roles: [...user.roles] })),
    servicePrincipals: directory.servicePrincipals.map((principal) => ({
      ...principal,
      roles: [...principal.roles],
    })),
  };
}
