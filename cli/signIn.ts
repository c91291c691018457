/**
 * How the CLI gets an access token for the API, through `@azure/identity`: the Azure CLI's
 * sign-in or a device code in Azure, and a test user of the local stack's Entra ID locally.
 * Credentials are made here only, and only when a command needs one.
 */
import { readFile } from 'node:fs/promises';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { CliError } from './CliError.js';
import { EXIT } from './exitCodes.js';
import type { LocalRuntime } from './localRuntime.js';

/** How the API signs people in, as `GET /api/client-config` says (public values). */
export interface SignInTarget {
  tenantId: string;
  authority: string;
  clientId: string;
  /** The delegated scope of the API. */
  scope: string;
}

export type SignInMethod = 'local' | 'azure-cli' | 'device-code';

/** The name MSAL's persistent cache files take (`tokens-sandbox-cli.nocae.json`, …). */
const CACHE_NAME = 'sandbox-cli';

const sameAuthority = (a: string, b: string) =>
  a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();

/**
 * Whether the API signs people in through this local stack's Entra ID.
 *
 * @example
 * isLocalSignIn(target, runtime); // true on npm start
 */
export function isLocalSignIn(target: SignInTarget, runtime: LocalRuntime | undefined): boolean {
  return runtime !== undefined && sameAuthority(target.authority, runtime.entra.authority);
}

/**
 * The `.default` scope of the API's resource, which the Azure CLI asks for (it takes a resource,
 * not a delegated scope).
 *
 * @example
 * resourceScope('api://6666…/access_as_user'); // 'api://6666…/.default'
 */
export function resourceScope(scope: string): string {
  const slash = scope.lastIndexOf('/');
  return `${slash > 'api://'.length ? scope.slice(0, slash) : scope}/.default`;
}

/** What a credential needs beyond the method. */
export interface CredentialRequest {
  method: SignInMethod;
  target: SignInTarget;
  runtime?: LocalRuntime;
  /** The local test user (`local`). */
  user?: string;
  /** Where a device code sign-in keeps its tokens. */
  configDir: string;
  /** The serialized AuthenticationRecord of an earlier device code sign-in. */
  authenticationRecord?: string;
  /** `login` may ask the person for a device code; other commands must not. */
  interactive?: boolean;
  /** Shows the device code message to the person. */
  onDeviceCode?: (message: string) => void;
}

/** A credential and the scope to ask it for. */
export interface ApiCredential {
  credential: TokenCredential & {
    authenticate?: (scopes: string | string[]) => Promise<unknown>;
  };
  scope: string;
}

/**
 * Makes the credential for a sign-in method.
 *
 * @example
 * const { credential, scope } = await apiCredential({ method: 'azure-cli', target, configDir });
 */
export async function apiCredential(request: CredentialRequest): Promise<ApiCredential> {
  const identity = await import('@azure/identity');
  const { target } = request;
  const local = isLocalSignIn(target, request.runtime);
  // The local Entra ID serves HTTPS with the stack's own CA, and is no cloud MSAL knows.
  const localOptions = local
    ? {
        disableInstanceDiscovery: true,
        additionalPolicies: [
          {
            policy: (await import('@sandbox-automation/local-stack/trustLocalCa')).trustLocalCa(
              await readFile(request.runtime!.arm.caCertPath),
            ),
            position: 'perCall' as const,
          },
        ],
      }
    : {};
  const authorityHost = new URL(target.authority).origin;

  switch (request.method) {
    case 'local': {
      const runtime = request.runtime;
      if (!runtime || !local) {
        throw new CliError(
          `The API signs people in through ${target.authority}, not a local stack's Entra ID: sign in with sandbox login (the Azure CLI) or sandbox login --device-code.`,
          EXIT.usage,
        );
      }
      const user = runtime.entra.users.find(
        (u) => u.username.toLowerCase() === request.user?.toLowerCase(),
      );
      if (!user) {
        throw new CliError(
          `No test user '${request.user}' in the local stack. The local users are: ${runtime.entra.users.map((u) => u.username).join(', ')}.`,
          EXIT.usage,
        );
      }
      return {
        // The local stack's test users have passwords and no MFA: the password grant fits them.
        credential: new identity.UsernamePasswordCredential(
          target.tenantId,
          target.clientId,
          user.username,
          user.password,
          { authorityHost, ...localOptions },
        ),
        scope: target.scope,
      };
    }
    case 'azure-cli':
      return {
        credential: new identity.AzureCliCredential({ tenantId: target.tenantId }),
        scope: resourceScope(target.scope),
      };
    case 'device-code': {
      const { useFileTokenCache } = await import('./fileTokenCache.js');
      useFileTokenCache(request.configDir);
      return {
        credential: new identity.DeviceCodeCredential({
          tenantId: target.tenantId,
          clientId: target.clientId,
          authorityHost,
          ...localOptions,
          tokenCachePersistenceOptions: { enabled: true, name: CACHE_NAME },
          ...(request.authenticationRecord
            ? {
                authenticationRecord: identity.deserializeAuthenticationRecord(
                  request.authenticationRecord,
                ),
              }
            : {}),
          disableAutomaticAuthentication: !request.interactive,
          userPromptCallback: (info) => request.onDeviceCode?.(info.message),
        }),
        scope: target.scope,
      };
    }
  }
}

/**
 * An access token, with what went wrong said in a way a person can act on.
 *
 * @example
 * const { token, expiresOnTimestamp } = await accessToken(credential, 'device-code');
 */
export async function accessToken(
  { credential, scope }: ApiCredential,
  method: SignInMethod,
): Promise<AccessToken> {
  let token: AccessToken | null;
  try {
    token = await credential.getToken(scope);
  } catch (error) {
    throw signInError(error, method);
  }
  if (!token) throw new CliError('The sign-in gave no token: sandbox login again.', EXIT.signIn);
  return token;
}

function signInError(error: unknown, method: SignInMethod): CliError {
  const name = (error as Error).name;
  const message = (error as Error).message ?? String(error);
  if (name === 'AuthenticationRequiredError') {
    return new CliError(
      'Your sign-in has expired: sign in again with sandbox login --device-code.',
      EXIT.signIn,
      { cause: error },
    );
  }
  if (method === 'azure-cli' && name === 'CredentialUnavailableError') {
    return new CliError(
      `The Azure CLI cannot give a token (${firstLine(message)}): run az login, then sandbox login.`,
      EXIT.signIn,
      { cause: error },
    );
  }
  return new CliError(`Sign-in failed: ${firstLine(message)}`, EXIT.signIn, { cause: error });
}

const firstLine = (text: string) => text.split(/\r?\n/)[0] ?? text;
