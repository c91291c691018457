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
  type HostProcess,
  startAzurite,
  startHostProcess,
} from '@sandbox-automation/functions-host/testing';
import { startWebhookSink, type WebhookSink } from '@sandbox-automation/local-stack';

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
  /** The webhook sink every event goes to (`NOTIFY_WEBHOOKS`), and the secret it is signed with. */
  sink: WebhookSink;
  signingSecret: string;
  /** Calls the host; `key` picks the key sent as `x-functions-key` (default 'function'). */
  fetch(
    path: string,
    init?: RequestInit & { key?: 'function' | 'master' | 'none' },
  ): Promise<Response>;
  /** Host output so far, across restarts. */
  logs(): string;
  /** Resolves with the first host log line (present or future) matching `pattern`. */
  waitForLog(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  stopHost(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the host again with the same settings, on the same port. */
  startHost(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra or overriding app settings. */
  settings?: Record<string, string>;
  emulator?: Partial<EmulatorOptions>;
  /** Echo host output to the test's stdout. */
  verbose?: boolean;
}

const root = join(import.meta.dirname, '..', '..');

/** A schedule that does not fire during a test run: midnight on the 1st of January. */
export const neverDuringTests = '0 0 0 1 1 *';

/**
 * Starts Azurite, the emulator and the host on ephemeral ports with fast test settings.
 *
 * @example
 * const stack = await startStack();
 * const res = await stack.fetch('/api/health', { key: 'none' });
 * await stack.stop();
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const [storage, arm, sink] = await Promise.all([
    startAzurite(),
    startTestEmulator(options.emulator ?? {}),
    startWebhookSink(),
  ]);
  const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;
  const functionKey = randomBytes(24).toString('base64url');
  const masterKey = randomBytes(24).toString('base64url');
  const settings: Record<string, string> = {
    AzureWebJobsStorage: storage.connectionString,
    AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
    ARM_ENDPOINT: arm.endpoint,
    IDENTITY_ENDPOINT: arm.identityEndpoint,
    IDENTITY_HEADER: arm.identityHeader,
    LRO_POLL_INTERVAL_MS: '50',
    CLEANUP_SCHEDULE: neverDuringTests,
    POWER_SCHEDULE: neverDuringTests,
    NOTIFY_WEBHOOKS: `${sink.url}/events`,
    NOTIFY_ALLOW_PRIVATE_NETWORKS: 'true',
    NOTIFY_SIGNING_SECRET: signingSecret,
    NOTIFY_RETRY_BASE_SECONDS: '1',
    NOTIFY_MAX_ATTEMPTS: '3',
    APP_NAME: 'sandbox-automation',
    FUNCTIONS_MASTER_KEY: masterKey,
    FUNCTIONS_FUNCTION_KEY: functionKey,
    AzureFunctionsWebHost__hostid: 'sandbox-automation-test',
    AzureFunctionsJobHost__extensions__queues__maxPollingInterval: '00:00:00.2',
    AzureFunctionsJobHost__extensions__queues__visibilityTimeout: '00:00:01',
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
    sink,
    signingSecret,
    fetch(path, init = {}) {
      const { key = 'function', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key !== 'none')
        headers.set('x-functions-key', key === 'master' ? masterKey : functionKey);
      return fetch(`${stack.hostUrl}${path}`, { ...rest, headers });
    },
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
    async startHost() {
      if (host) throw new Error('The host is already running; stop it first.');
      await launch();
    },
    async stop() {
      await stack.stopHost('SIGTERM');
      await Promise.allSettled([storage.stop(), arm.close(), sink.close()]);
    },
  };
  return stack;
}
