import type { Command } from 'commander';
import { ApiClient } from '../../web/src/api.js';
import type { Caller } from '../../web/src/apiTypes.js';
import { CliError } from '../CliError.js';
import { type CliIo, commandAction } from '../CommandContext.js';
import { apiEndpoint } from '../connect.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import { findLocalRuntime } from '../localRuntime.js';
import { clearSession, loadSession, saveSession } from '../session.js';
import {
  accessToken,
  apiCredential,
  isLocalSignIn,
  type SignInMethod,
  type SignInTarget,
} from '../signIn.js';

interface LoginOptions {
  user?: string;
  deviceCode?: boolean;
}

/** `GET /api/client-config`, anonymously: how the API signs people in. */
async function signInTarget(endpoint: string): Promise<SignInTarget & { portalUrl: string }> {
  let response: Response;
  try {
    response = await fetch(`${endpoint}/api/client-config`, {
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    throw new CliError(
      `Nothing answers at ${endpoint} (${(error as Error).message}). Is the address right, and the app running?`,
      EXIT.unavailable,
    );
  }
  if (!response.ok) {
    throw new CliError(
      `${endpoint}/api/client-config answered ${response.status}: is this a sandbox-automation API?`,
      EXIT.unavailable,
    );
  }
  const config = (await response.json()) as {
    tenantId: string;
    authority: string;
    clientId: string;
    scopes: string[];
    portalUrl: string;
  };
  return {
    tenantId: config.tenantId,
    authority: config.authority,
    clientId: config.clientId,
    scope: config.scopes[0] ?? '',
    portalUrl: config.portalUrl,
  };
}

/**
 * `sandbox login`: signs in to the API and keeps how, for the commands that follow. The Azure
 * CLI's sign-in by default, a device code with `--device-code`, a local test user with `--user`.
 */
export function registerLogin(program: Command, io: CliIo, setExit: (code: ExitCode) => void) {
  program
    .command('login')
    .description(
      'sign in to the API: through the Azure CLI (az login) by default, with a device code, or as a test user of the local stack',
    )
    .option('--user <username>', "a test user of the local stack's Entra ID (npm start)")
    .option('--device-code', 'sign in with a code on another device (Entra ID device code flow)')
    .action(
      commandAction<LoginOptions, []>(io, setExit, async ({ options, out }) => {
        const runtime = await findLocalRuntime(io.env);
        const previous = await loadSession(io.env.configDir);
        const url = options.endpoint ?? io.env.endpoint ?? runtime?.host.url ?? previous?.endpoint;
        if (!url) {
          throw new CliError(
            'Which API? Pass --endpoint <url> or set SANDBOX_ENDPOINT (or start the local stack with npm start).',
            EXIT.usage,
          );
        }
        const endpoint = apiEndpoint(url);
        const target = await signInTarget(endpoint);
        const local = isLocalSignIn(target, runtime);
        let method: SignInMethod;
        if (options.user) {
          if (options.deviceCode) {
            throw new CliError(
              '--user and --device-code are two ways to sign in: pick one.',
              EXIT.usage,
            );
          }
          method = 'local';
        } else if (options.deviceCode) {
          method = 'device-code';
        } else if (local) {
          throw new CliError(
            `The API at ${endpoint} signs people in through the local stack: name a test user with --user (${runtime!.entra.users.map((u) => u.username).join(', ')}).`,
            EXIT.usage,
          );
        } else {
          method = 'azure-cli';
        }

        const credential = await apiCredential({
          method,
          target,
          configDir: io.env.configDir,
          ...(local ? { runtime: runtime! } : {}),
          ...(options.user ? { user: options.user } : {}),
          interactive: true,
          onDeviceCode: (message) => out.error(message),
        });
        let authenticationRecord: string | undefined;
        if (method === 'device-code' && credential.credential.authenticate) {
          // Shows the code, waits for the person, and fills the token cache.
          try {
            const record = await credential.credential.authenticate(credential.scope);
            const { serializeAuthenticationRecord } = await import('@azure/identity');
            authenticationRecord = serializeAuthenticationRecord(record as never);
          } catch (error) {
            throw new CliError(
              `Sign-in failed: ${(error as Error).message.split('\n')[0]}`,
              EXIT.signIn,
              {
                cause: error,
              },
            );
          }
        }
        const token = await accessToken(credential, method);
        const api = new ApiClient(async () => token.token, endpoint);
        const caller: Caller = await api.me();
        await saveSession(io.env.configDir, {
          endpoint,
          method,
          target,
          ...(options.user ? { user: options.user } : {}),
          ...(local ? { runtimePath: runtime!.path } : {}),
          ...(authenticationRecord ? { authenticationRecord } : {}),
          signedInAs: caller.name,
          at: new Date(io.clock().now).toISOString(),
        });
        out.data({ endpoint, method, caller });
        out.print(
          `Signed in to ${endpoint} as ${caller.name} (${caller.roles.join(', ') || 'no app role'}).`,
        );
        return EXIT.ok;
      }),
    );

  program
    .command('logout')
    .description('forget the sign-in and any tokens the CLI kept')
    .action(
      commandAction<object, []>(io, setExit, async ({ out }) => {
        const session = await loadSession(io.env.configDir);
        await clearSession(io.env.configDir);
        out.data({ signedOut: session?.signedInAs ?? null });
        out.print(session ? `Signed out ${session.signedInAs}.` : 'Not signed in.');
        return EXIT.ok;
      }),
    );
}
