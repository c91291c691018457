/**
 * The authorization endpoint, `{tenant}/oauth2/v2.0/authorize`, for the authorization code flow
 * with PKCE that single-page applications use (MSAL.js). It follows Microsoft's description of the
 * flow ("Microsoft identity platform and OAuth 2.0 authorization code flow", v2-oauth2-auth-code-flow)
 * and RFC 7636:
 *
 * - a request whose client or redirect URI cannot be trusted gets an error page, never a redirect
 *   (AADSTS700016, AADSTS50011);
 * - any other bad request goes back to the redirect URI as `error` and `error_description`;
 * - a good one shows a sign-in form; the user's name and password, checked against the directory,
 *   end in a redirect carrying `code`, `state`, `session_state` and (`client_info=1`) `client_info`
 *   in the query or the fragment, as `response_mode` asks.
 *
 * The local tenant keeps no single sign-on session: every interactive request asks for the
 * password, and `prompt=none` answers `login_required`.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuthorizationRequest } from './AuthorizationCodes.js';
import { EntraError } from './EntraError.js';
import { parseScopes, type TokenService } from './issueToken.js';
import { matchRedirectUri } from './redirectUris.js';

/** What the endpoint answers. */
export type AuthorizeAnswer =
  | {
      kind: 'sign-in';
      request: AuthorizationRequest;
      /** The request, signed, for the form to post back. */
      context: string;
      username?: string;
      /** Why the last attempt failed, for the person signing in. */
      problem?: string;
    }
  | { kind: 'error-page'; error: EntraError }
  | { kind: 'redirect'; location: string };

/** How long a sign-in form stays valid. */
const CONTEXT_LIFETIME_MS = 60 * 60_000;

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

function contextMac(service: TokenService, payload: string): string {
  return createHmac('sha256', service.refreshSecret)
    .update(`authorize-context\n${payload}`)
    .digest('base64url');
}

function signContext(service: TokenService, request: AuthorizationRequest): string {
  const payload = Buffer.from(
    JSON.stringify({ r: request, exp: service.nowMs() + CONTEXT_LIFETIME_MS }),
  ).toString('base64url');
  return `${payload}.${contextMac(service, payload)}`;
}

function readContext(service: TokenService, context: string): AuthorizationRequest | undefined {
  const [payload, mac] = context.split('.');
  if (!payload || !mac || !equal(mac, contextMac(service, payload))) return undefined;
  const { r, exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    r: AuthorizationRequest;
    exp: number;
  };
  return exp > service.nowMs() ? r : undefined;
}

/** The redirect URI with `fields` in its query or fragment. */
function answerAt(
  redirectUri: string,
  mode: AuthorizationRequest['responseMode'],
  fields: Record<string, string | undefined>,
): AuthorizeAnswer {
  const params = new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  if (mode === 'fragment') return { kind: 'redirect', location: `${redirectUri}#${params}` };
  const url = new URL(redirectUri);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return { kind: 'redirect', location: url.toString() };
}

function errorAt(
  redirectUri: string,
  mode: AuthorizationRequest['responseMode'],
  error: EntraError,
  state: string | undefined,
): AuthorizeAnswer {
  return answerAt(redirectUri, mode, {
    error: error.error,
    error_description: error.message,
    state,
  });
}

/**
 * Answers `GET` (or `POST`) `{tenant}/oauth2/v2.0/authorize` with its parameters.
 *
 * @example
 * authorize(service, new URLSearchParams({ client_id, redirect_uri, response_type: 'code', scope, code_challenge, code_challenge_method: 'S256' }));
 * // { kind: 'sign-in', request, context }
 */
export function authorize(service: TokenService, params: URLSearchParams): AuthorizeAnswer {
  const { directory } = service;
  const clientId = params.get('client_id');
  if (!clientId) return { kind: 'error-page', error: EntraError.missing('client_id') };
  const api = directory.api;
  if (clientId.toLowerCase() !== api.clientId) {
    return {
      kind: 'error-page',
      error: directory.servicePrincipal(clientId)
        ? EntraError.invalidRequest(500113, 'No reply address is registered for the application.')
        : new EntraError(
            400,
            'unauthorized_client',
            700016,
            `Application with identifier '${clientId}' was not found in the directory '${directory.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
          ),
    };
  }
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { kind: 'error-page', error: EntraError.missing('redirect_uri') };
  if (!matchRedirectUri(api.spaRedirectUris, redirectUri)) {
    return {
      kind: 'error-page',
      error: EntraError.invalidRequest(
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${api.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
      ),
    };
  }
  const state = params.get('state') ?? undefined;
  const mode = params.get('response_mode') ?? 'query';
  if (mode !== 'query' && mode !== 'fragment') {
    return {
      kind: 'error-page',
      error: EntraError.invalidRequest(
        70007,
        `The local Entra ID answers with response_mode 'query' or 'fragment', not '${mode}'.`,
      ),
    };
  }
  const fail = (error: EntraError) => errorAt(redirectUri, mode, error, state);
  const responseType = params.get('response_type');
  if (!responseType) return fail(EntraError.missing('response_type'));
  const types = responseType.split(/\s+/);
  if (types.includes('token')) {
    return fail(
      new EntraError(
        400,
        'unsupported_response_type',
        700051,
        `response_type 'token' is not enabled for the application.`,
      ),
    );
  }
  if (types.includes('id_token')) {
    return fail(
      new EntraError(
        400,
        'unsupported_response_type',
        700054,
        `response_type 'id_token' is not enabled for the application.`,
      ),
    );
  }
  if (responseType !== 'code') {
    return fail(
      new EntraError(
        400,
        'unsupported_response_type',
        70005,
        `The provided value for the input parameter 'response_type' is not allowed for this request. Expected value: 'code'. Received value: '${responseType}'.`,
      ),
    );
  }
  const scope = params.get('scope');
  try {
    parseScopes(service, scope);
  } catch (error) {
    if (error instanceof EntraError) return fail(error);
    throw error;
  }
  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
  if (method !== undefined && method !== 'S256' && method !== 'plain') {
    return fail(
      EntraError.invalidRequest(
        90100,
        `The parameter 'code_challenge_method' is not valid: '${method}'. Use 'S256' or 'plain'.`,
      ),
    );
  }
  if (challenge !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    return fail(
      EntraError.invalidRequest(50147, 'The size of the code challenge parameter is not valid.'),
    );
  }
  if (params.get('prompt') === 'none') {
    return fail(
      new EntraError(
        400,
        'login_required',
        50058,
        'A silent sign-in request was sent but no user is signed in. The local Entra ID keeps no sign-in session: sign in interactively.',
      ),
    );
  }
  const request: AuthorizationRequest = {
    clientId: api.clientId,
    redirectUri,
    spa: true,
    scope: scope ?? '',
    responseMode: mode,
    clientInfo: params.get('client_info') === '1',
    ...(state === undefined ? {} : { state }),
    ...(params.get('nonce') ? { nonce: params.get('nonce')! } : {}),
    ...(challenge === undefined ? {} : { codeChallenge: challenge }),
    ...(method === undefined ? {} : { codeChallengeMethod: method }),
    ...(params.get('login_hint') ? { loginHint: params.get('login_hint')! } : {}),
  };
  return {
    kind: 'sign-in',
    request,
    context: signContext(service, request),
    ...(request.loginHint ? { username: request.loginHint } : {}),
  };
}

/**
 * Answers the sign-in form (`POST {tenant}/login` with `ctx`, `login`, `passwd`): the form again
 * with what went wrong, or the redirect with the code.
 *
 * @example
 * submitSignIn(service, new URLSearchParams({ ctx, login: 'alice@sandbox.test', passwd }));
 * // { kind: 'redirect', location: 'http://127.0.0.1:7071/#code=…&client_info=…&state=…' }
 */
export function submitSignIn(service: TokenService, form: URLSearchParams): AuthorizeAnswer {
  const request = readContext(service, form.get('ctx') ?? '');
  if (!request) {
    return {
      kind: 'error-page',
      error: EntraError.invalidRequest(
        90014,
        'The sign-in request has expired or was altered. Go back to the application and sign in again.',
      ),
    };
  }
  const username = (form.get('login') ?? '').trim();
  const password = form.get('passwd') ?? '';
  const again = (problem: string): AuthorizeAnswer => ({
    kind: 'sign-in',
    request,
    context: signContext(service, request),
    username,
    problem,
  });
  if (!username) return again('Enter your user name, for example alice@sandbox.test.');
  const user = service.directory.user(username);
  if (!user) {
    return again(
      'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
    );
  }
  if (!password || !equal(password, user.password)) {
    return again('Your account or password is incorrect.');
  }
  const code = service.codes.issue({ request, userObjectId: user.objectId }, service.nowMs());
  return answerAt(request.redirectUri, request.responseMode, {
    code,
    client_info: request.clientInfo
      ? Buffer.from(
          JSON.stringify({ uid: user.objectId, utid: service.directory.tenantId }),
        ).toString('base64url')
      : undefined,
    state: request.state,
    session_state: randomUUID(),
  });
}
