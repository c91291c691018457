import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthorizationCodes } from '../../../src/entra/AuthorizationCodes.js';
import { type AuthorizeAnswer, authorize, submitSignIn } from '../../../src/entra/authorize.js';
import { DeviceCodes } from '../../../src/entra/DeviceCodes.js';
import { EntraDirectory } from '../../../src/entra/EntraDirectory.js';
import { EntraError } from '../../../src/entra/EntraError.js';
import { issueToken, type TokenService } from '../../../src/entra/issueToken.js';
import { createSigningKey, SigningKeys } from '../../../src/entra/SigningKeys.js';

// The authorization code flow with PKCE as Microsoft documents it for single-page applications
// ("Microsoft identity platform and OAuth 2.0 authorization code flow", v2-oauth2-auth-code-flow)
// and as MSAL.js drives it (msal-browser `RedirectClient`, msal-common `AuthorizationCodeClient`:
// response_mode=fragment, client_info=1, nonce, code_challenge_method=S256, the code redeemed by a
// cross-origin POST carrying the code_verifier).
const tenant = '00000000-0000-4000-8000-0000000e0001';
let now = Date.UTC(2026, 0, 1, 12, 0, 0);
const directory = EntraDirectory.create(
  {
    users: [{ username: 'alice@sandbox.test', password: 'alice-pw', roles: ['Sandbox.User'] }],
    servicePrincipals: [{ displayName: 'ci', clientSecret: 'ci-secret' }],
  },
  tenant,
);
const service: TokenService = {
  directory,
  keys: new SigningKeys([createSigningKey()]),
  nowMs: () => now,
  authority: `https://127.0.0.1:8445/${tenant}`,
  armAudiences: new Set(['https://management.azure.com']),
  refreshSecret: Buffer.from('refresh'),
  codes: new AuthorizationCodes(),
  deviceCodes: new DeviceCodes(),
};
const api = directory.api;
const page = 'http://127.0.0.1:7071/';
const origin = 'http://127.0.0.1:7071';
const scope = `${api.identifierUri}/access_as_user openid profile offline_access`;
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');
const claimsOf = (token: unknown) =>
  JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString('utf8'));

const ask = (overrides: Record<string, string | undefined> = {}) =>
  authorize(
    service,
    new URLSearchParams(
      Object.entries({
        client_id: api.clientId,
        redirect_uri: page,
        response_type: 'code',
        response_mode: 'fragment',
        scope,
        state: 'state-1',
        nonce: 'nonce-1',
        client_info: '1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...overrides,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  );

const signIn = (answer: AuthorizeAnswer, login = 'alice@sandbox.test', passwd = 'alice-pw') => {
  if (answer.kind !== 'sign-in') throw new Error(`expected a sign-in form, got ${answer.kind}`);
  return submitSignIn(service, new URLSearchParams({ ctx: answer.context, login, passwd }));
};

/** The fields of a redirect's fragment (or query). */
const fieldsOf = (answer: AuthorizeAnswer) => {
  if (answer.kind !== 'redirect') throw new Error(`expected a redirect, got ${answer.kind}`);
  const url = new URL(answer.location);
  return {
    at: `${url.origin}${url.pathname}`,
    fields: Object.fromEntries(new URLSearchParams(url.hash ? url.hash.slice(1) : url.search)),
  };
};

const codeFor = (overrides: Record<string, string | undefined> = {}) =>
  fieldsOf(signIn(ask(overrides))).fields.code!;

const redeem = (code: string, fields: Record<string, string> = {}, from: string | null = origin) =>
  issueToken(
    service,
    new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: api.clientId,
      redirect_uri: page,
      code,
      code_verifier: verifier,
      scope,
      ...fields,
    }),
    { clientId: fields.client_id ?? api.clientId, clientSecret: undefined },
    from ? { origin: from } : {},
  );

const errorOf = (fn: () => unknown): EntraError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EntraError) return error;
    throw error;
  }
  throw new Error('expected an EntraError');
};

describe('authorize', () => {
  it('shows the sign-in form for a good request, with the login hint filled in', () => {
    // Act
    const answer = ask({ login_hint: 'alice@sandbox.test' });
    // Assess
    expect(answer).toMatchObject({
      kind: 'sign-in',
      username: 'alice@sandbox.test',
      request: { redirectUri: page, spa: true, state: 'state-1', codeChallengeMethod: 'S256' },
    });
  });

  it('sends the code, client_info, state and session_state back in the fragment', () => {
    // Act
    const { at, fields } = fieldsOf(signIn(ask()));
    // Assess
    expect(at).toBe(page);
    expect(Object.keys(fields).sort()).toEqual(['client_info', 'code', 'session_state', 'state']);
    expect(fields.state).toBe('state-1');
    expect(JSON.parse(Buffer.from(fields.client_info!, 'base64url').toString())).toEqual({
      uid: directory.users[0]!.objectId,
      utid: tenant,
    });
  });

  it('answers in the query when response_mode is query (the default)', () => {
    const answer = signIn(ask({ response_mode: undefined }));
    expect(answer.kind === 'redirect' && new URL(answer.location).searchParams.has('code')).toBe(
      true,
    );
  });

  it.each([
    [
      'an unknown client',
      { client_id: '11111111-1111-4111-8111-111111111111' },
      `AADSTS700016: Application with identifier '11111111-1111-4111-8111-111111111111' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ],
    [
      'a redirect URI the registration does not hold',
      { redirect_uri: 'http://127.0.0.1:7071/elsewhere' },
      `AADSTS50011: The redirect URI 'http://127.0.0.1:7071/elsewhere' specified in the request does not match the redirect URIs configured for the application '${api.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
    ],
    [
      'no redirect URI',
      { redirect_uri: undefined },
      "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.",
    ],
  ])('never redirects for %s: an error page says why', (_, overrides, message) => {
    expect(ask(overrides)).toMatchObject({ kind: 'error-page', error: { message } });
  });

  it.each([
    [
      'the implicit flow',
      { response_type: 'id_token token' },
      'unsupported_response_type',
      "AADSTS700051: response_type 'token' is not enabled for the application.",
    ],
    [
      'a scope of two resources',
      { scope: `${api.identifierUri}/access_as_user https://management.azure.com/.default` },
      'invalid_scope',
      `AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${api.identifierUri}/access_as_user https://management.azure.com/.default is not valid.`,
    ],
    [
      'a PKCE method other than S256 or plain',
      { code_challenge_method: 'S512' },
      'invalid_request',
      "AADSTS90100: The parameter 'code_challenge_method' is not valid: 'S512'. Use 'S256' or 'plain'.",
    ],
    [
      'a silent request (prompt=none)',
      { prompt: 'none' },
      'login_required',
      'AADSTS50058: A silent sign-in request was sent but no user is signed in. The local Entra ID keeps no sign-in session: sign in interactively.',
    ],
  ])('sends %s back to the application as an error', (_, overrides, error, description) => {
    expect(fieldsOf(ask(overrides)).fields).toEqual({
      error,
      error_description: description,
      state: 'state-1',
    });
  });

  it.each([
    ['alice@sandbox.test', 'wrong', 'Your account or password is incorrect.'],
    [
      'mallory@sandbox.test',
      'x',
      'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
    ],
  ])(
    'shows the form again when %s signs in with a bad password or name',
    (login, passwd, problem) => {
      expect(signIn(ask(), login, passwd)).toMatchObject({
        kind: 'sign-in',
        username: login,
        problem,
      });
    },
  );

  it('refuses a sign-in form whose request was altered', () => {
    // Prepare
    const answer = ask();
    if (answer.kind !== 'sign-in') throw new Error('expected a form');
    const [payload, mac] = answer.context.split('.');
    const altered = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    altered.r.redirectUri = 'https://evil.example/';
    const forged = `${Buffer.from(JSON.stringify(altered)).toString('base64url')}.${mac}`;
    // Act
    const result = submitSignIn(
      service,
      new URLSearchParams({ ctx: forged, login: 'alice@sandbox.test', passwd: 'alice-pw' }),
    );
    // Assess
    expect(result).toMatchObject({
      kind: 'error-page',
      error: {
        message:
          'AADSTS90014: The sign-in request has expired or was altered. Go back to the application and sign in again.',
      },
    });
  });
});

describe('issueToken: authorization_code', () => {
  it('redeems a code from the browser for tokens: the API access token, an ID token with the nonce, a 24-hour refresh token', () => {
    // Act
    const answer = redeem(codeFor());
    // Assess
    expect(claimsOf(answer.access_token)).toMatchObject({
      aud: api.clientId,
      azp: api.clientId,
      preferred_username: 'alice@sandbox.test',
      roles: ['Sandbox.User'],
      scp: 'access_as_user',
    });
    expect(claimsOf(answer.id_token)).toMatchObject({ aud: api.clientId, nonce: 'nonce-1' });
    expect(answer.refresh_token_expires_in).toBe(86_400);
    expect(answer.scope).toBe(`${api.identifierUri}/access_as_user openid profile offline_access`);
  });

  it.each([
    [
      'a wrong code_verifier',
      { code_verifier: randomBytes(32).toString('base64url') },
      origin,
      'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ],
    [
      'another redirect URI',
      { redirect_uri: 'http://127.0.0.1:7072/' },
      origin,
      "AADSTS500112: The reply address 'http://127.0.0.1:7072/' does not match the reply address 'http://127.0.0.1:7071/' provided when requesting Authorization code.",
    ],
    [
      'a request from a server (no Origin)',
      {},
      null,
      "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    ],
  ])('refuses %s', (_, fields, from, message) => {
    const code = codeFor();
    expect(errorOf(() => redeem(code, fields, from)).message).toBe(message);
  });

  it('refuses a code without PKCE sent to a single-page application', () => {
    const code = codeFor({ code_challenge: undefined, code_challenge_method: undefined });
    expect(errorOf(() => redeem(code, { code_verifier: '' })).message).toBe(
      'AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
    );
  });

  it('redeems a code once', () => {
    // Prepare
    const code = codeFor();
    redeem(code);
    // Act
    const error = errorOf(() => redeem(code));
    // Assess
    expect([error.error, error.message]).toEqual([
      'invalid_grant',
      'AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ]);
  });

  it('lets a code expire after ten minutes', () => {
    // Prepare
    const code = codeFor();
    now += 10 * 60_000;
    // Act
    const error = errorOf(() => redeem(code));
    // Assess
    expect(error.message).toBe(
      'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  });

  it('refreshes a single-page application’s session only from the browser', () => {
    // Prepare
    const { refresh_token } = redeem(codeFor());
    const refresh = (from?: string) =>
      issueToken(
        service,
        new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: String(refresh_token),
          scope,
        }),
        { clientId: api.clientId, clientSecret: undefined },
        from ? { origin: from } : {},
      );
    // Act
    const renewed = refresh(origin);
    const fromServer = errorOf(() => refresh());
    // Assess
    expect(claimsOf(renewed.access_token).preferred_username).toBe('alice@sandbox.test');
    expect(fromServer.message).toBe(
      "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    );
  });

  it('refuses a browser’s password grant, which is no single-page application flow', () => {
    const error = errorOf(() =>
      issueToken(
        service,
        new URLSearchParams({
          grant_type: 'password',
          username: 'alice@sandbox.test',
          password: 'alice-pw',
          scope,
        }),
        { clientId: api.clientId, clientSecret: undefined },
        { origin },
      ),
    );
    expect(error.message).toBe(
      "AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: 'http://127.0.0.1:7071'.",
    );
  });
});
