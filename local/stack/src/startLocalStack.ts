import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsernamePasswordCredential } from '@azure/identity';
import {
  type CustomRoleSeed,
  DEFAULT_USER_ASSIGNED_IDENTITIES,
  EntraDirectory,
  type EntraDirectoryInput,
  type RoleAssignmentSeed,
  type RunningEmulator,
  SYSTEM_IDENTITY,
  startEmulator,
  TENANT_ID,
} from '@sandbox-automation/arm-emulator';
import { parseReadyLine, readLocalSettings } from '@sandbox-automation/functions-host';
import { assertPortsFree, type PortClaim } from './assertPortsFree.js';
import { startWebhookSink, type WebhookSink } from './startWebhookSink.js';
import { type AzureEventsSubscription, subscribeToAzureEvents } from './subscribeToAzureEvents.js';
import { trustLocalCa } from './trustLocalCa.js';

/** The host's command line, run from its TypeScript source through tsx. */
const hostCli = fileURLToPath(import.meta.resolve('@sandbox-automation/functions-host/cli'));

/** Azurite's well-known development account (public, documented, local only). */
const devAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

export interface LocalPorts {
  host: number;
  arm: number;
  identity: number;
  entra: number;
  sink: number;
  blob: number;
  queue: number;
  table: number;
}

/** `.local/runtime.json`: where everything runs, for tools and people. */
export interface RuntimeInfo {
  host: { url: string; functionKey: string; masterKey: string };
  arm: { endpoint: string; subscriptionId: string; caCertPath: string };
  identity: { endpoint: string; header: string };
  storage: { connectionString: string; blobEndpoint: string; queueEndpoint: string };
  entra: {
    /** `https://…/{tenantId}`: the authority to sign in at. */
    authority: string;
    tenantId: string;
    /** The app's API registration; also the public client users sign in through. */
    clientId: string;
    /** The scope that asks for a token for the app's API. */
    apiScope: string;
    users: Array<{ username: string; password: string; roles: string[] }>;
    /** For automation: client credentials with these secrets. */
    servicePrincipals: Array<{
      displayName: string;
      clientId: string;
      clientSecret: string;
      roles: string[];
    }>;
  };
  /** Where Azure's events go, when the app asked for them (`azureEvents`). */
  azureEvents?: AzureEventsSubscription & {
    /** The test user who set it up through ARM. */
    caller: string;
  };
  /** The webhook sink: `GET {url}/_sink/events` lists what it received. */
  sink: { url: string };
}

/** Azure's resource events for the app: the subscription's system topic to one of its queues. */
export interface StackAzureEvents {
  /** The queue, in the app's storage (AzureWebJobsStorage). */
  queueName: string;
  /** Default: Microsoft.Resources.Resource{Write,Delete,Action}Success. */
  includedEventTypes?: string[];
  /** The test user who sets it up through ARM (they need Contributor); default the first one. */
  caller?: string;
}

/** A role for a principal of the local stack, at the local subscription unless a scope is given. */
export interface StackRoleAssignment {
  /** A built-in role's name or id (`Contributor`), or a custom role in ARM's definition shape. */
  role: string | CustomRoleSeed;
  scope?: string;
}

export interface LocalStack {
  runtime: RuntimeInfo;
  stop(): Promise<void>;
  /** Resolves when a child exits on its own (a crash); the stack is then unusable. */
  crashed: Promise<string>;
}

export interface LocalStackOptions {
  /** The function app: its package.json `main`, host.json and optional local.settings.json. */
  root: string;
  /** Where Azurite data, the emulator state, keys and runtime.json go; default `<root>/.local`. */
  localDir?: string;
  env: Record<string, string | undefined>;
  /** Where children's output goes. */
  write(text: string): void;
  /** Host log format; text when the terminal is a TTY. */
  logFormat: 'text' | 'json';
  /**
   * The app's own defaults for local runs (for example a short poll interval). Like the stack's
   * settings, they give way to the environment and to `local.settings.json`.
   */
  settings?: Record<string, string>;
  /**
   * The roles the app's identity holds in the ARM emulator: what its infrastructure grants it in
   * Azure, so that it runs locally with exactly those rights. Default: Owner of the subscription.
   */
  appRoleAssignments?: StackRoleAssignment[];
  /** The roles every test user holds in ARM. Default: Contributor on the subscription. */
  userRoleAssignments?: StackRoleAssignment[];
  /** The local tenant: the app's API registration, test users, service principals. */
  entra?: EntraDirectoryInput;
  /**
   * Subscribes a queue to the local subscription's Azure Resource Manager events through ARM,
   * as the app's infrastructure does in Azure. Off when omitted.
   */
  azureEvents?: StackAzureEvents;
  /**
   * The app's settings that point it at the webhook sink, from the sink's URL (for example the
   * app's list of webhooks). Like `settings`, they give way to the environment and the file.
   */
  sinkSettings?: (sink: { url: string }) => Record<string, string>;
}

function portFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`${name} must be a port number, not "${value}".`);
  return port;
}

/** What each port is for, and the variable that moves it, for a clear message when it is taken. */
export function portClaims(ports: LocalPorts): PortClaim[] {
  return [
    { service: 'Functions host', port: ports.host, setting: 'LOCAL_HOST_PORT' },
    { service: 'ARM emulator', port: ports.arm, setting: 'LOCAL_ARM_PORT' },
    { service: 'managed identity endpoint', port: ports.identity, setting: 'LOCAL_IDENTITY_PORT' },
    { service: 'local Entra ID', port: ports.entra, setting: 'LOCAL_ENTRA_PORT' },
    { service: 'webhook sink', port: ports.sink, setting: 'LOCAL_SINK_PORT' },
    { service: 'Azurite blob', port: ports.blob, setting: 'AZURITE_BLOB_PORT' },
    { service: 'Azurite queue', port: ports.queue, setting: 'AZURITE_QUEUE_PORT' },
    { service: 'Azurite table', port: ports.table, setting: 'AZURITE_TABLE_PORT' },
  ];
}

/** The ports `npm start` uses, each movable by an environment variable (0 = any free port). */
export function localPorts(env: Record<string, string | undefined>): LocalPorts {
  return {
    host: portFrom(env, 'LOCAL_HOST_PORT', 7071),
    arm: portFrom(env, 'LOCAL_ARM_PORT', 8443),
    identity: portFrom(env, 'LOCAL_IDENTITY_PORT', 8444),
    entra: portFrom(env, 'LOCAL_ENTRA_PORT', 8445),
    sink: portFrom(env, 'LOCAL_SINK_PORT', 8446),
    blob: portFrom(env, 'AZURITE_BLOB_PORT', 10000),
    queue: portFrom(env, 'AZURITE_QUEUE_PORT', 10001),
    table: portFrom(env, 'AZURITE_TABLE_PORT', 10002),
  };
}

async function stableKeys(path: string): Promise<{ masterKey: string; functionKey: string }> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as { masterKey: string; functionKey: string };
  } catch {
    const keys = {
      masterKey: randomBytes(30).toString('base64url'),
      functionKey: randomBytes(30).toString('base64url'),
    };
    await writeFile(path, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return keys;
  }
}

/**
 * The emulator's RBAC for the stack: the app's identity gets the app's roles, every directory user
 * the users' roles. The app's identity is the user-assigned identity its AZURE_CLIENT_ID names, as
 * in Azure, or the system identity.
 */
function roleSettings(
  appPrincipalId: string,
  userIds: string[],
  app: StackRoleAssignment[],
  users: StackRoleAssignment[],
): { roleDefinitions: CustomRoleSeed[]; roleAssignments: RoleAssignmentSeed[] } {
  const roleOf = (assignment: StackRoleAssignment) =>
    typeof assignment.role === 'string' ? assignment.role : assignment.role.roleName;
  const custom = [...app, ...users].flatMap((a) => (typeof a.role === 'string' ? [] : [a.role]));
  const roleDefinitions = custom.filter(
    (role, i) => custom.findIndex((other) => other.roleName === role.roleName) === i,
  );
  return {
    roleDefinitions,
    roleAssignments: [
      ...app.map((a) => ({
        principalId: appPrincipalId,
        role: roleOf(a),
        principalType: 'ServicePrincipal' as const,
        ...(a.scope ? { scope: a.scope } : {}),
      })),
      ...userIds.flatMap((principalId) =>
        users.map((a) => ({
          principalId,
          role: roleOf(a),
          principalType: 'User' as const,
          ...(a.scope ? { scope: a.scope } : {}),
        })),
      ),
    ],
  };
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function waitForLine(
  child: ChildProcess,
  test: (line: string) => unknown,
  forward: (text: string) => void,
  name: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let partial = '';
    let found = false;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!found && test(line)) {
          found = true;
          resolve(line);
        } else {
          forward(`${line}\n`);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => forward(chunk.toString()));
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${name} exited with code ${code} before it was ready.`));
    });
  });
}

/**
 * Sets up Azure's events as a test user, through ARM: the user signs in to the local Entra ID and
 * calls the emulator with the real SDK clients, as someone with Contributor would in Azure.
 */
async function subscribeWithTestUser(
  arm: RunningEmulator,
  wanted: StackAzureEvents,
  connectionString: string,
): Promise<NonNullable<RuntimeInfo['azureEvents']>> {
  const user = wanted.caller
    ? arm.entra.users.find((u) => u.username.toLowerCase() === wanted.caller?.toLowerCase())
    : arm.entra.users[0];
  if (!user) {
    throw new Error(
      `No test user '${wanted.caller}' to set up Azure's events. The local users are: ${arm.entra.users.map((u) => u.username).join(', ')}.`,
    );
  }
  const ca = await readFile(arm.caCertPath);
  const credential = new UsernamePasswordCredential(
    arm.entra.tenantId,
    arm.entra.clientId,
    user.username,
    user.password,
    {
      authorityHost: arm.entra.authorityHost,
      disableInstanceDiscovery: true,
      additionalPolicies: [{ policy: trustLocalCa(ca), position: 'perCall' }],
    },
  );
  try {
    const subscription = await subscribeToAzureEvents({
      endpoint: arm.endpoint,
      subscriptionId: arm.subscriptionId,
      credential,
      ca,
      storage: { accountName: devAccount.name, connectionString },
      queueName: wanted.queueName,
      ...(wanted.includedEventTypes ? { includedEventTypes: wanted.includedEventTypes } : {}),
    });
    return { ...subscription, caller: user.username };
  } catch (error) {
    throw new Error(
      `Could not subscribe the queue '${wanted.queueName}' to Azure's events as ${user.username}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Starts Azurite, the ARM emulator and the Functions host running the app in `root`, with the
 * app's settings pointing at both, and writes `.local/runtime.json`. Settings come from the
 * environment first, then the app's `local.settings.json`, then `options.settings`, then the
 * stack's own (storage, identity, ARM endpoint and subscription, host keys).
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { root, env, write } = options;
  const ports = localPorts(env);
  await assertPortsFree(portClaims(ports));
  const localDir = options.localDir ?? join(root, '.local');
  await mkdir(join(localDir, 'azurite'), { recursive: true });
  await mkdir(join(localDir, 'arm'), { recursive: true });

  const azuriteMain = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const azurite = spawn(
    process.execPath,
    [
      azuriteMain,
      '--location',
      join(localDir, 'azurite'),
      '--blobPort',
      String(ports.blob),
      '--queuePort',
      String(ports.queue),
      '--tablePort',
      String(ports.table),
      '--skipApiVersionCheck',
      '--loose',
      '--silent',
      '--disableTelemetry',
    ],
    // Own process groups: Ctrl-C reaches only this process, which stops the host (so it can
    // drain and release messages) before Azurite.
    { cwd: localDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const children: ChildProcess[] = [azurite];
  // Should this process die without stopping them, take the children along.
  process.once('exit', () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  let arm: RunningEmulator | undefined;
  let sink: WebhookSink | undefined;
  const stop = async () => {
    await Promise.all(children.reverse().map((child) => stopChild(child, 15_000)));
    await arm?.close();
    await sink?.close();
  };

  try {
    const listening: Record<string, string> = {};
    const azuriteReady = waitForLine(
      azurite,
      (line) => {
        const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(
          line,
        );
        if (match) listening[match[1]!] = match[2]!;
        return listening.Blob && listening.Queue && listening.Table;
      },
      () => {},
      'Azurite',
    );
    // Azurite first: the emulator delivers Event Grid's events to its queues.
    await azuriteReady;
    const blobEndpoint = `${listening.Blob}/${devAccount.name}`;
    const queueEndpoint = `${listening.Queue}/${devAccount.name}`;
    const tableEndpoint = `${listening.Table}/${devAccount.name}`;
    const connectionString = `DefaultEndpointsProtocol=http;AccountName=${devAccount.name};AccountKey=${devAccount.key};BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`;
    const fromFile = (await readLocalSettings(root)).values;
    const appClientId =
      env.AZURE_CLIENT_ID ?? fromFile.AZURE_CLIENT_ID ?? options.settings?.AZURE_CLIENT_ID;
    const appPrincipalId =
      DEFAULT_USER_ASSIGNED_IDENTITIES.find(
        (identity) => identity.clientId.toLowerCase() === appClientId?.toLowerCase(),
      )?.principalId ?? SYSTEM_IDENTITY.principalId;
    arm = await startEmulator({
      port: ports.arm,
      identityPort: ports.identity,
      entraPort: ports.entra,
      certDir: join(localDir, 'certs'),
      stateFile: join(localDir, 'arm', 'state.json'),
      // Realistic but short: a 45 s VM create takes 4.5 s.
      timeScale: Number(env.LOCAL_ARM_TIME_SCALE ?? 0.1),
      // The storage account of that name in ARM is Azurite's development account.
      storageConnections: { [devAccount.name]: connectionString },
      ...(options.entra ? { entra: options.entra } : {}),
      ...roleSettings(
        appPrincipalId,
        EntraDirectory.create(options.entra, TENANT_ID).users.map((user) => user.objectId),
        options.appRoleAssignments ?? [{ role: 'Owner' }],
        options.userRoleAssignments ?? [{ role: 'Contributor' }],
      ),
    });
    const azureEvents = options.azureEvents
      ? await subscribeWithTestUser(arm, options.azureEvents, connectionString)
      : undefined;
    sink = await startWebhookSink({ port: ports.sink, write });
    const keys = await stableKeys(join(localDir, 'host-keys.json'));
    const defaults: Record<string, string> = {
      AzureWebJobsStorage: connectionString,
      AZURE_SUBSCRIPTION_ID: arm.subscriptionId,
      ARM_ENDPOINT: arm.endpoint,
      IDENTITY_ENDPOINT: arm.identityEndpoint,
      IDENTITY_HEADER: arm.identityHeader,
      // The local Entra ID, for an app that verifies its callers' tokens.
      ENTRA_AUTHORITY: arm.entra.authority,
      ENTRA_TENANT_ID: arm.entra.tenantId,
      ENTRA_API_CLIENT_ID: arm.entra.clientId,
      FUNCTIONS_MASTER_KEY: keys.masterKey,
      FUNCTIONS_FUNCTION_KEY: keys.functionKey,
      ...options.settings,
      ...options.sinkSettings?.({ url: sink.url }),
    };
    const settings = Object.fromEntries(
      Object.entries(defaults).map(([name, value]) => [name, env[name] ?? fromFile[name] ?? value]),
    );

    const host = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        hostCli,
        '--cwd',
        root,
        '--port',
        String(ports.host),
        '--log-format',
        options.logFormat,
      ],
      {
        cwd: root,
        env: { ...env, ...settings, NODE_EXTRA_CA_CERTS: arm.caCertPath },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    children.push(host);
    const readyLine = await waitForLine(
      host,
      (line) => parseReadyLine(line) !== undefined,
      write,
      'The Functions host',
    );
    const ready = parseReadyLine(readyLine)!;

    const runtime: RuntimeInfo = {
      host: { url: ready.url, functionKey: keys.functionKey, masterKey: keys.masterKey },
      arm: {
        endpoint: arm.endpoint,
        subscriptionId: arm.subscriptionId,
        caCertPath: arm.caCertPath,
      },
      identity: { endpoint: arm.identityEndpoint, header: arm.identityHeader },
      storage: { connectionString: settings.AzureWebJobsStorage!, blobEndpoint, queueEndpoint },
      entra: {
        authority: arm.entra.authority,
        tenantId: arm.entra.tenantId,
        clientId: arm.entra.clientId,
        apiScope: arm.entra.apiScope,
        users: arm.entra.users.map(({ username, password, roles }) => ({
          username,
          password,
          roles,
        })),
        servicePrincipals: arm.entra.servicePrincipals.map(
          ({ displayName, clientId, clientSecret, roles }) => ({
            displayName,
            clientId,
            clientSecret,
            roles,
          }),
        ),
      },
      sink: { url: sink.url },
      ...(azureEvents ? { azureEvents } : {}),
    };
    await writeFile(join(localDir, 'runtime.json'), `${JSON.stringify(runtime, null, 2)}\n`, {
      mode: 0o600,
    });
    const crashed = new Promise<string>((resolve) => {
      azurite.once('exit', (code) => resolve(`Azurite exited (code ${code}).`));
      host.once('exit', (code) => resolve(`The Functions host exited (code ${code}).`));
    });
    return { runtime, stop, crashed };
  } catch (error) {
    await stop();
    throw error;
  }
}
