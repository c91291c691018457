import { ApiClient } from '../web/src/api.js';
import { CliError } from './CliError.js';
import type { CliEnvironment } from './cliEnvironment.js';
import { EXIT } from './exitCodes.js';
import { findLocalRuntime, type LocalRuntime } from './localRuntime.js';
import { loadSession, type Session } from './session.js';
import { type ApiCredential, accessToken, apiCredential } from './signIn.js';

/** The options every command takes. */
export interface GlobalOptions {
  endpoint?: string;
  json?: boolean;
  quiet?: boolean;
}

/** A signed-in client of the API. */
export interface Connection {
  api: ApiClient;
  endpoint: string;
  session?: Session;
}

/**
 * The API's base URL, without a trailing slash; a bad one is a usage error.
 *
 * @example
 * apiEndpoint('http://127.0.0.1:7071/'); // 'http://127.0.0.1:7071'
 */
export function apiEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      `'${url}' is not a URL: give the API's address, like https://sandboxes.contoso.com.`,
      EXIT.usage,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new CliError(`'${url}' is not an http(s) URL.`, EXIT.usage);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * The API client for a command: signed in as `sandbox login` left it (or with `SANDBOX_TOKEN`),
 * at `--endpoint`, `SANDBOX_ENDPOINT` or the signed-in endpoint. A token is asked for when the
 * first call needs it, and again only when it is about to expire.
 *
 * @example
 * const { api } = await connect(env, options);
 * await api.listSandboxes();
 */
export async function connect(env: CliEnvironment, options: GlobalOptions): Promise<Connection> {
  const session = await loadSession(env.configDir);
  if (env.token) {
    const runtime = session ? undefined : await findLocalRuntime(env);
    const url = options.endpoint ?? env.endpoint ?? session?.endpoint ?? runtime?.host.url;
    if (!url) {
      throw new CliError(
        'SANDBOX_TOKEN is set, but no API endpoint: pass --endpoint <url> or set SANDBOX_ENDPOINT.',
        EXIT.usage,
      );
    }
    const endpoint = apiEndpoint(url);
    const token = env.token;
    return { api: new ApiClient(async () => token, endpoint), endpoint };
  }
  if (!session) {
    throw new CliError(
      'Not signed in: run sandbox login (the Azure CLI), sandbox login --device-code, or sandbox login --user <test user> on the local stack.',
      EXIT.signIn,
    );
  }
  const endpoint = apiEndpoint(options.endpoint ?? env.endpoint ?? session.endpoint);
  let runtime: LocalRuntime | undefined;
  if (session.runtimePath) {
    runtime = await findLocalRuntime({ ...env, runtimePath: session.runtimePath });
    if (!runtime) {
      throw new CliError(
        `The local stack is not running (no ${session.runtimePath}): start it with npm start.`,
        EXIT.unavailable,
      );
    }
  }
  let credential: Promise<ApiCredential> | undefined;
  // Kept until five minutes before it expires: a long wait outlives one token, and the Azure CLI
  // is a process to start for each new one.
  let cached: { token: string; refreshAt: number } | undefined;
  const tokenFor = async () => {
    if (!cached || Date.now() >= cached.refreshAt) {
      credential ??= apiCredential({
        method: session.method,
        target: session.target,
        configDir: env.configDir,
        ...(runtime ? { runtime } : {}),
        ...(session.user ? { user: session.user } : {}),
        ...(session.authenticationRecord
          ? { authenticationRecord: session.authenticationRecord }
          : {}),
      });
      const fresh = await accessToken(await credential, session.method);
      cached = { token: fresh.token, refreshAt: fresh.expiresOnTimestamp - 5 * 60_000 };
    }
    return cached.token;
  };
  return { api: new ApiClient(tokenFor, endpoint), endpoint, session };
}
