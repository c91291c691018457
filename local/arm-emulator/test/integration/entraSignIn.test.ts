/**
 * Interactive sign-in to the local Entra ID over HTTPS, step by step as a browser running MSAL.js
 * takes it (msal-browser `RedirectClient` and msal-common `AuthorizationCodeClient`): the
 * authorization request with PKCE (S256), the sign-in form posted back, the redirect with the code
 * in the fragment, then the code redeemed by a cross-origin `POST` to the token endpoint after a
 * CORS preflight (MSAL sends `X-AnchorMailbox`, a non-simple header). The steps follow
 * "Microsoft identity platform and OAuth 2.0 authorization code flow" (v2-oauth2-auth-code-flow).
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEntra } from '../../src/entra/describeLocalEntra.js';
import { startTestEmulator, type TestEmulator } from '../../src/testing/startTestEmulator.js';

let arm: TestEmulator;
let entra: LocalEntra;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** HTTPS to the local Entra ID, trusting only the emulator's CA. */
function call(
  method: string,
  path: string,
  options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${arm.entra.authorityHost}${path}`,
      {
        method,
        ca: readFileSync(arm.caCertPath),
        headers: {
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const page = 'http://127.0.0.1:7071/';
const origin = 'http://127.0.0.1:7071';
const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** The hidden sign-in context in the form. */
const contextOf = (html: string) => /name="ctx" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function signInAsAlice(): Promise<string> {
  const query = new URLSearchParams({
    client_id: entra.clientId,
    redirect_uri: page,
    response_type: 'code',
    response_mode: 'fragment',
    scope: `${entra.identifierUri}/access_as_user openid profile offline_access`,
    state: 'state-1',
    nonce: 'nonce-1',
    client_info: '1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const form = await call('GET', `/${entra.tenantId}/oauth2/v2.0/authorize?${query}`);
  const alice = entra.users.find((user) => user.username === 'alice@sandbox.test')!;
  const answer = await call('POST', `/${entra.tenantId}/login`, {
    form: { ctx: contextOf(form.text), login: alice.username, passwd: alice.password },
  });
  const location = String(answer.headers.location);
  return new URLSearchParams(new URL(location).hash.slice(1)).get('code') ?? '';
}

beforeAll(async () => {
  arm = await startTestEmulator();
  entra = await arm.control.entra();
});
afterAll(() => arm.close());

describe('interactive sign-in to the local Entra ID', () => {
  it('shows a sign-in form without scripts, that no other site may frame', async () => {
    // Act
    const answer = await call(
      'GET',
      `/${entra.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({
        client_id: entra.clientId,
        redirect_uri: page,
        response_type: 'code',
        scope: `${entra.identifierUri}/access_as_user openid`,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${origin}; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(answer.text).toContain(`<form method="post" action="/${entra.tenantId}/login">`);
    expect(answer.text).not.toContain('<script');
  });

  it('sends the browser back to the page with a code in the fragment', async () => {
    // Act
    const code = await signInAsAlice();
    // Assess
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers the CORS preflight of the token request', async () => {
    // Act
    const answer = await call('OPTIONS', `/${entra.tenantId}/oauth2/v2.0/token`, {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-anchormailbox',
      },
    });
    // Assess
    expect(answer.status).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type,x-anchormailbox',
    });
  });

  it('redeems the code from the browser for an access token the tenant’s keys verify', async () => {
    // Prepare
    const code = await signInAsAlice();
    // Act
    const answer = await call('POST', `/${entra.tenantId}/oauth2/v2.0/token`, {
      headers: { origin },
      form: {
        grant_type: 'authorization_code',
        client_id: entra.clientId,
        redirect_uri: page,
        code,
        code_verifier: verifier,
        scope: `${entra.identifierUri}/access_as_user openid profile offline_access`,
        client_info: '1',
      },
    });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    const body = JSON.parse(answer.text) as Record<string, string>;
    const [head, payload, signature] = body.access_token!.split('.') as [string, string, string];
    const kid = JSON.parse(Buffer.from(head, 'base64url').toString()).kid;
    const keys = JSON.parse((await call('GET', `/${entra.tenantId}/discovery/v2.0/keys`)).text) as {
      keys: Array<Record<string, string>>;
    };
    const jwk = keys.keys.find((key) => key.kid === kid)!;
    const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    expect(
      verify('sha256', Buffer.from(`${head}.${payload}`), key, Buffer.from(signature, 'base64url')),
    ).toBe(true);
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({
      aud: entra.clientId,
      preferred_username: 'alice@sandbox.test',
      scp: 'access_as_user',
    });
  });

  it('shows an error page, not a redirect, for a redirect URI the app did not register', async () => {
    // Act
    const answer = await call(
      'GET',
      `/${entra.tenantId}/oauth2/v2.0/authorize?${new URLSearchParams({
        client_id: entra.clientId,
        redirect_uri: 'https://attacker.example/',
        response_type: 'code',
        scope: 'openid',
      })}`,
    );
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.text).toContain(
      'AADSTS50011: The redirect URI &#39;https://attacker.example/&#39; specified in the request does not match',
    );
  });

  it('signs out back to a registered page, and nowhere else', async () => {
    // Act
    const home = await call(
      'GET',
      `/${entra.tenantId}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(page)}`,
    );
    const elsewhere = await call(
      'GET',
      `/${entra.tenantId}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://attacker.example/')}`,
    );
    // Assess
    expect([home.status, home.headers.location]).toEqual([302, page]);
    expect([elsewhere.status, elsewhere.headers.location]).toEqual([200, undefined]);
    expect(elsewhere.text).toContain('You signed out of your account');
  });
});
