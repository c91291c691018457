import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { RuntimeInfo } from './startLocalStack.js';

/** Why a token could not be had, in words a person at a terminal can act on. */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

export interface TokenRequest {
  /** A test user's name: the password grant, through the app's public client. */
  user?: string;
  /** A service principal's display name or client id: client credentials. */
  app?: string;
  /** Default: the app's API (`entra.apiScope`). */
  scope?: string;
}

function post(
  url: string,
  ca: Buffer,
  form: URLSearchParams,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = form.toString();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(text),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch {
            reject(
              new TokenRequestError(
                `The token endpoint at ${url} answered ${res.statusCode} without JSON.`,
              ),
            );
          }
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Asks the local stack's Entra ID for an access token: for a test user (password grant through the
 * app's public client) or a service principal (client credentials), for the app's API unless
 * another scope is given.
 *
 * @example
 * const token = await requestToken(runtime, { user: 'alice@sandbox.test' });
 */
export async function requestToken(runtime: RuntimeInfo, wanted: TokenRequest): Promise<string> {
  const { entra } = runtime;
  const scope = wanted.scope ?? entra.apiScope;
  const form = new URLSearchParams({ scope });
  if (wanted.user) {
    const user = entra.users.find((u) => u.username.toLowerCase() === wanted.user?.toLowerCase());
    if (!user) {
      throw new TokenRequestError(
        `No test user '${wanted.user}'. The local users are: ${entra.users.map((u) => u.username).join(', ')}.`,
      );
    }
    form.set('grant_type', 'password');
    form.set('client_id', entra.clientId);
    form.set('username', user.username);
    form.set('password', user.password);
  } else if (wanted.app) {
    const key = wanted.app.toLowerCase();
    const principal = entra.servicePrincipals.find(
      (p) => p.displayName.toLowerCase() === key || p.clientId === key,
    );
    if (!principal) {
      throw new TokenRequestError(
        `No service principal '${wanted.app}'. The local ones are: ${entra.servicePrincipals.map((p) => p.displayName).join(', ')}.`,
      );
    }
    form.set('grant_type', 'client_credentials');
    form.set('client_id', principal.clientId);
    form.set('client_secret', principal.clientSecret);
  } else {
    throw new TokenRequestError(
      'Name a test user (--user <username>) or a service principal (--app <name>).',
    );
  }
  const ca = await readFile(runtime.arm.caCertPath);
  const url = `${entra.authority}/oauth2/v2.0/token`;
  let answer: { status: number; body: Record<string, unknown> };
  try {
    answer = await post(url, ca, form);
  } catch (error) {
    if (error instanceof TokenRequestError) throw error;
    throw new TokenRequestError(
      `Nothing answers at ${entra.authority} (${(error as Error).message}). Is the local stack running (npm start)?`,
    );
  }
  if (answer.status !== 200 || typeof answer.body.access_token !== 'string') {
    const description = String(answer.body.error_description ?? answer.body.error ?? answer.status);
    throw new TokenRequestError(description.split('\r\n')[0] ?? description);
  }
  return answer.body.access_token;
}
