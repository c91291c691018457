import type { AppConfig } from '../../shared/config.js';

/**
 * What a browser (or the CLI) needs to sign in to the API: public values only, never a secret.
 * MSAL.js takes `authority`, `clientId` and `knownAuthorities`; the access token is asked for
 * with `scopes`.
 */
export interface ClientConfig {
  tenantId: string;
  /** `https://login.microsoftonline.com/{tenant}` in Azure; the local Entra ID on `npm start`. */
  authority: string;
  /** The app registration people sign in through. */
  clientId: string;
  /** The delegated scope of the API. */
  scopes: string[];
  /** The authority's host, which MSAL.js then trusts without instance discovery. */
  knownAuthorities: string[];
  /** Where links to resources in the Azure portal point. */
  portalUrl: string;
  /** The API's OpenAPI document. */
  openApiUrl: string;
}

/**
 * The public sign-in settings of the app.
 *
 * @example
 * clientConfig(config).scopes; // ['api://66666666-…/access_as_user']
 */
export function clientConfig(config: Pick<AppConfig, 'auth' | 'web'>): ClientConfig {
  return {
    tenantId: config.auth.tenantId,
    authority: config.auth.authority,
    clientId: config.web.clientId,
    scopes: [config.web.scope],
    knownAuthorities: [new URL(config.auth.authority).host],
    portalUrl: config.web.portalUrl,
    openApiUrl: '/api/openapi.json',
  };
}
