/**
 * The whole local stack for end-to-end tests: Azurite, the ARM + managed-identity emulator, and
 * the local Functions host running the built app (`dist/app`, built by the global setup) as a
 * child process that a test can stop, kill -9 and start again.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { EmulatorOptions } from '@sandbox-automation/arm-emulator';
import { type EmulatorControl, startTestEmulator } from '@sandbox-automation/arm-emulator/testing';
import {
  devAccountName,
  type HostProcess,
  startAzurite,
  startHostProcess,
} from '@sandbox-automation/functions-host/testing';
import {
  type RuntimeInfo,
  requestToken,
  startWebhookSink,
  type WebhookSink,
} from '@sandbox-automation/local-stack';
import { APP_IDENTITY, appRoleSeed, stackRoleAssignments } from './appRole.js';
import {
  type StackAzureEvents,
  subscribeTestStackToAzureEvents,
  type TestAzureEvents,
} from './azureEvents.js';
import { ApiConformance } from './openapi/ApiConformance.js';

type TestEmulator = Awaited<ReturnType<typeof startTestEmulator>>;

export interface Stack {
  /** `http://127.0.0.1:PORT`; routes live under `/api`. Stable across `stopHost`/`startHost`. */
  hostUrl: string;
  functionKey: string;
  masterKey: string;
  arm: TestEmulator & { control: EmulatorControl };
  storage: { connectionString: string; blobEndpoint: string; queueEndpoint: string };
  /** The app settings the host got. */
  settings: Record<string, string>;
  /** Where Azure's events go, when `azureEvents` asked for them. */
  azureEvents?: StackAzureEvents;
  /** The webhook sink every event goes to (`NOTIFY_WEBHOOKS`), and the secret it is signed with. */
  sink: WebhookSink;
  signingSecret: string;
  /**
   * Calls the host. `as` signs in (a test user's name or a service principal's display name;
   * default `STACK_AUTOMATION`, an admin pipeline; `'nobody'` sends no token). `key` picks the
   * key sent as `x-functions-key` (default 'function'), which only the host's admin API needs.
   * Every answer of the API is checked against its OpenAPI document (`/api/openapi.json`): one
   * that does not match it throws.
   */
  fetch(
    path: string,
    init?: RequestInit & { key?: 'function' | 'master' | 'none'; as?: string },
  ): Promise<Response>;
  /** An access token for the app's API, for a test user or a service principal. */
  token(as: string): Promise<string>;
  /** Host output so far, across restarts. */
  logs(): string;
  /** Resolves with the first host log line (present or future) matching `pattern`. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  stopHost(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /**
   * Starts the host again with the same settings, on the same port; `overrides` change or add
   * settings from now on (for example `AzureWebJobs.<function>.Disabled`).
   */
  startHost(overrides?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra or overriding app settings. */
  settings?: Record<string, string>;
  emulator?: Partial<EmulatorOptions>;
  /** Echo host output to the test's stdout. */
  verbose?: boolean;
  /**
   * Subscribes a queue (default `azure-events`) to the subscription's Azure Resource Manager
   * events, as `npm start` does; `true` for the defaults.
   */
  azureEvents?: boolean | TestAzureEvents;
}

const root = join(import.meta.dirname, '..', '..');

/** A schedule that does not fire during a test run: midnight on the 1st of January. */
export const neverDuringTests = '0 0 0 1 1 *';

/** The service principal `stack.fetch` signs in as by default: an admin pipeline. */
export const STACK_AUTOMATION = 'sandbox-operations';

/**
 * The people and pipelines of the test tenant. Ownership is recorded by object id, so tests that
 * compare owners read ids from `stack.arm.control.entra()`.
 */
export const stackDirectory = {
  users: [
    { username: 'ana@contoso.com', roles: ['Sandbox.User'] },
    { username: 'bob@contoso.com', roles: ['Sandbox.User'] },
    { username: 'eve@contoso.com', roles: ['Sandbox.User'] },
    { username: 'olga@contoso.com', roles: ['Sandbox.User'] },
    { username: 'ops@contoso.com', roles: ['Sandbox.Admin'] },
    { username: 'carol@contoso.com', roles: ['Sandbox.Approver'] },
    { username: 'nobody@contoso.com', roles: [] },
  ],
  servicePrincipals: [
    { displayName: 'sandbox-pipeline', roles: ['Sandbox.User'] },
    { displayName: STACK_AUTOMATION, roles: ['Sandbox.Admin'] },
  ],
};

/**
 * Starts Azurite, the emulator and the host on ephemeral ports with fast test settings.
 *
 * @example
 * const stack = await startStack();
 * const res = await stack.fetch('/api/health', { key: 'none' });
 * await stack.stop();
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // The app runs as a user-assigned identity holding only its own role (infra/appRole.json),
  // exactly as in Azure; the system identity stays Owner for tests' own set-up.
  const emulatorDefaults: Partial<EmulatorOptions> = {
    entra: stackDirectory,
    roleDefinitions: [appRoleSeed()],
    roleAssignments: stackRoleAssignments(),
  };
  const wantsEvents = options.azureEvents !== undefined && options.azureEvents !== false;
  // Event Grid delivers to Azurite's queues: the emulator needs Azurite's address to start.
  const [storage, arm] = wantsEvents
    ? await startAzurite().then(
        async (azurite) =>
          [
            azurite,
            await startTestEmulator({
              ...emulatorDefaults,
              storageConnections: { [devAccountName]: azurite.connectionString },
              ...options.emulator,
            }),
          ] as const,
      )
    : await Promise.all([
        startAzurite(),
        startTestEmulator({ ...emulatorDefaults, ...options.emulator }),
      ]);
  let azureEvents: StackAzureEvents | undefined;
  let sink: WebhookSink | undefined;
  try {
    sink = await startWebhookSink();
    azureEvents = wantsEvents
      ? await subscribeTestStackToAzureEvents(
          arm,
          storage.connectionString,
          options.azureEvents === true ? {} : (options.azureEvents as TestAzureEvents),
        )
      : undefined;
  } catch (error) {
    await Promise.allSettled([storage.stop(), arm.close(), sink?.close()]);
    throw error;
  }
  const entra = await arm.control.entra();
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const functionKey = randomBytes(24).toString('base64url');
  const masterKey = randomBytes(24).toString('base64url');
  const settings: Record<string, string> = {
    AzureWebJobsStorage: storage.connectionString,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    IDENTITY_ENDPOINT: arm.identityEndpoint,
    IDENTITY_HEADER: arm.identityHeader,
    AZURE_CLIENT_ID: APP_IDENTITY.clientId,
    LRO_POLL_INTERVAL_MS: '50',
    CLEANUP_SCHEDULE: neverDuringTests,
    POWER_SCHEDULE: neverDuringTests,
    NOTIFY_WEBHOOKS: `${sink.url}/events`,
    NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
    NOTIFY_SIGNING_SECRET: signingSecret,
    NOTIFY_RETRY_BASE_SECONDS: '1',
    NOTIFY_MAX_ATTEMPTS: '3',
    APP_NAME: 'sandbox-automation',
    ENTRA_AUTHORITY: entra.authority,
    ENTRA_TENANT_ID: entra.tenantId,
    ENTRA_API_CLIENT_ID: entra.clientId,
    FUNCTIONS_MASTER_KEY: masterKey,
    FUNCTIONS_FUNCTION_KEY: functionKey,
    AzureFunctionsWebHost__hostid: 'sandbox-automation-test',
    AzureFunctionsJobHost__extensions__queues__maxPollingInterval: '00:00:00.2',
    AzureFunctionsJobHost__extensions__queues__visibilityTimeout: '00:00:01',
    // Tests poll operations every 100 ms as one principal; a test of the limiter sets its own.
    RATE_LIMIT_BURST: '1000',
    RATE_LIMIT_PER_MINUTE: '60000',
    NODE_EXTRA_CA_CERTS: arm.caCertPath,
    ...options.settings,
  };

  let host: HostProcess | undefined;
  let port = 0;
  let previousLogs = '';
  const launch = async () => {
    host = await startHostProcess({
      appDir: root,
      settings,
      port,
      drainTimeoutMs: 10_000,
      queueLeaseMs: 5_000,
      verbose: options.verbose,
    });
    port = host.port;
  };
  try {
    await launch();
  } catch (error) {
    await Promise.allSettled([storage.stop(), arm.close(), sink.close()]);
    throw error;
  }

  let conformance: ApiConformance | undefined;
  const conforms = async (method: string, path: string, response: Response) => {
    if (!conformance) {
      const document = await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
      if (!document.ok) throw new Error(`GET /api/openapi.json answered ${document.status}.`);
      conformance = new ApiConformance((await document.json()) as Record<string, unknown>);
    }
    const problems = conformance.check({
      method,
      path: new URL(path, 'http://host').pathname,
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
    });
    if (problems && problems.length > 0) {
      throw new Error(`The answer does not match the OpenAPI document:\n${problems.join('\n')}`);
    }
  };

  const tokens = new Map<string, { token: string; until: number }>();
  const tokenFor = async (as: string) => {
    const cached = tokens.get(as);
    if (cached && cached.until > Date.now()) return cached.token;
    const user = entra.users.some((u) => u.username === as);
    const token = await requestToken(
      { entra, arm: { caCertPath: arm.caCertPath } } as unknown as RuntimeInfo,
      user ? { user: as } : { app: as },
    );
    tokens.set(as, { token, until: Date.now() + 30 * 60_000 });
    return token;
  };

  const stack: Stack = {
    hostUrl: `http://127.0.0.1:${port}`,
    functionKey,
    masterKey,
    arm: arm as Stack['arm'],
    storage: {
      connectionString: storage.connectionString,
      blobEndpoint: storage.blobEndpoint,
      queueEndpoint: storage.queueEndpoint,
    },
    settings,
    ...(azureEvents ? { azureEvents } : {}),
    sink,
    signingSecret,
    async fetch(path, init = {}) {
      const { key = 'function', as = STACK_AUTOMATION, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== 'none')
        headers.set('x-functions-key', key === 'master' ? masterKey : functionKey);
      if (as !== 'nobody' && !headers.has('authorization')) {
        headers.set('authorization', `Bearer ${await tokenFor(as)}`);
      }
      const response = await fetch(`${stack.hostUrl}${path}`, { ...rest, headers });
      await conforms(rest.method ?? 'GET', path, response.clone());
      return response;
    },
    token: tokenFor,
    logs: () => previousLogs + (host?.logs() ?? ''),
    waitForLog(pattern, timeoutMs) {
      if (!host) return Promise.reject(new Error('The host is not running.'));
      return host.waitForLog(pattern, timeoutMs);
    },
    async stopHost(signal = 'SIGTERM') {
      if (!host) return;
      await host.stop(signal);
      previousLogs += host.logs();
      host = undefined;
    },
    async startHost(overrides = {}) {
      if (host) throw new Error('The host is already running; stop it first.');
      Object.assign(settings, overrides);
      await launch();
    },
    async stop() {
      await stack.stopHost('SIGTERM');
      await Promise.allSettled([storage.stop(), arm.close(), sink.close()]);
    },
  };
  return stack;
}
