import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { EntraError } from './EntraError.js';

/** A validated request to the authorization endpoint, as the sign-in form carries it. */
export interface AuthorizationRequest {
  clientId: string;
  /** The redirect URI as the request gave it; the token request must repeat it exactly. */
  redirectUri: string;
  /** Whether it matched one of the registration's single-page application redirect URIs. */
  spa: boolean;
  scope: string;
  responseMode: 'query' | 'fragment';
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  /** `client_info=1`: answer with the account's `client_info` too. */
  clientInfo: boolean;
  loginHint?: string;
}

/** What a redeemed code proves: who signed in, and what they were asked for. */
export interface AuthorizationGrant {
  request: AuthorizationRequest;
  userObjectId: string;
}

interface StoredCode extends AuthorizationGrant {
  expiresAtMs: number;
  redeemed: boolean;
}

/** Entra's authorization codes are short-lived: about ten minutes. */
export const CODE_LIFETIME_MS = 10 * 60_000;

const hash = (code: string) => createHash('sha256').update(code).digest('base64url');

/**
 * The authorization codes the local Entra ID has issued: random, one use each, ten minutes. They
 * live in memory only (a restarted emulator forgets them, and the browser signs in again), keyed
 * by their hash so that the store never holds a code that could be redeemed.
 *
 * @example
 * const code = codes.issue({ request, userObjectId }, now);
 * codes.redeem(code, now).userObjectId;
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, StoredCode>();

  issue(grant: AuthorizationGrant, nowMs: number): string {
    for (const [key, stored] of this.codes) {
      if (stored.expiresAtMs <= nowMs) this.codes.delete(key);
    }
    const code = randomBytes(32).toString('base64url');
    this.codes.set(hash(code), {
      ...grant,
      expiresAtMs: nowMs + CODE_LIFETIME_MS,
      redeemed: false,
    });
    return code;
  }

  /** The grant behind `code`, which can never be redeemed again; Entra's errors otherwise. */
  redeem(code: string, nowMs: number): AuthorizationGrant {
    const stored = this.codes.get(hash(code));
    if (!stored) {
      throw EntraError.invalidGrant(9002313, 'Invalid request. Request is malformed or invalid.');
    }
    if (stored.redeemed) {
      throw EntraError.invalidGrant(
        54005,
        'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
      );
    }
    if (stored.expiresAtMs <= nowMs) {
      throw EntraError.invalidGrant(
        70008,
        'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
      );
    }
    stored.redeemed = true;
    return { request: stored.request, userObjectId: stored.userObjectId };
  }
}

/**
 * Whether `verifier` answers the request's PKCE challenge (RFC 7636 §4.6).
 *
 * @example
 * verifiesChallenge({ codeChallenge, codeChallengeMethod: 'S256' }, verifier); // true
 */
export function verifiesChallenge(
  request: Pick<AuthorizationRequest, 'codeChallenge' | 'codeChallengeMethod'>,
  verifier: string,
): boolean {
  if (!request.codeChallenge) return true;
  const computed =
    request.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(request.codeChallenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
