import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { request } from 'node:https';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsernamePasswordCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import { SYSTEM_IDENTITY } from '@sandbox-automation/arm-emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PortInUseError } from '../src/assertPortsFree.js';
import { requestToken } from '../src/requestToken.js';
import { type LocalStack, startLocalStack } from '../src/startLocalStack.js';
import { subscribeToAzureEvents } from '../src/subscribeToAzureEvents.js';
import { trustLocalCa } from '../src/trustLocalCa.js';

/** The node_modules that holds `@azure/functions`, for the fixture app to import. */
const nodeModules = dirname(
  dirname(dirname(createRequire(import.meta.url).resolve('@azure/functions/package.json'))),
);
const ephemeral = {
  LOCAL_HOST_PORT: '0',
  LOCAL_ARM_PORT: '0',
  LOCAL_IDENTITY_PORT: '0',
  LOCAL_ENTRA_PORT: '0',
  LOCAL_SINK_PORT: '0',
  AZURITE_BLOB_PORT: '0',
  AZURITE_QUEUE_PORT: '0',
  AZURITE_TABLE_PORT: '0',
};

let root: string;
let localDir: string;
let stack: LocalStack;
let output = '';

beforeAll(async () => {
  localDir = await mkdtemp(join(tmpdir(), 'local-stack-'));
  root = await mkdtemp(join(tmpdir(), 'local-stack-app-'));
  await cp(join(import.meta.dirname, 'fixtures', 'app'), root, { recursive: true });
  await symlink(nodeModules, join(root, 'node_modules'), 'dir');
  stack = await startLocalStack({
    root,
    localDir,
    env: { ...process.env, ...ephemeral, APP_NAME: 'from-env' },
    write: (text) => {
      output += text;
    },
    logFormat: 'json',
    appRoleAssignments: [{ role: 'Reader' }],
    azureEvents: { queueName: 'azure-events', caller: 'carol@sandbox.test' },
  });
});

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

/** ARM over HTTPS, trusting the stack's own CA. */
async function arm(method: string, path: string, token: string, body?: unknown) {
  const ca = await readFile(stack.runtime.arm.caCertPath);
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; body: { error?: { code: string; message: string } } }>(
    (resolve, reject) => {
      const req = request(
        `${stack.runtime.arm.endpoint}${path}`,
        {
          method,
          ca,
          headers: {
            authorization: `Bearer ${token}`,
            ...(text ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: raw ? JSON.parse(raw) : {} });
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    },
  );
}

/** The emulator's control API (no token). */
async function control(path: string) {
  const ca = await readFile(stack.runtime.arm.caCertPath);
  return new Promise<{ value: Array<{ method: string }> }>((resolve, reject) => {
    const req = request(`${stack.runtime.arm.endpoint}/_emulator/${path}`, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function managedIdentityToken(): Promise<string> {
  const { endpoint, header } = stack.runtime.identity;
  const res = await fetch(
    `${endpoint}?resource=https://management.azure.com&api-version=2019-08-01`,
    { headers: { 'X-IDENTITY-HEADER': header } },
  );
  return ((await res.json()) as { access_token: string }).access_token;
}

afterAll(async () => {
  await stack?.stop();
  await rm(localDir, { recursive: true, force: true });
  await rm(root, { recursive: true, force: true });
});

describe('startLocalStack', () => {
  it('writes .local/runtime.json in the documented shape', async () => {
    // Act
    const runtime = JSON.parse(await readFile(join(localDir, 'runtime.json'), 'utf8'));
    // Assess
    expect(runtime).toEqual(stack.runtime);
    expect(Object.keys(runtime)).toEqual([
      'host',
      'arm',
      'identity',
      'storage',
      'entra',
      'sink',
      'azureEvents',
    ]);
    expect(runtime.sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(runtime.host)).toEqual(['url', 'functionKey', 'masterKey']);
    expect(Object.keys(runtime.arm)).toEqual(['endpoint', 'subscriptionId', 'caCertPath']);
    expect(Object.keys(runtime.identity)).toEqual(['endpoint', 'header']);
    expect(Object.keys(runtime.storage)).toEqual([
      'connectionString',
      'blobEndpoint',
      'queueEndpoint',
    ]);
    expect(runtime.storage.connectionString).toContain(
      `QueueEndpoint=${runtime.storage.queueEndpoint};`,
    );
    expect(Object.keys(runtime.entra)).toEqual([
      'authority',
      'tenantId',
      'clientId',
      'apiScope',
      'users',
      'servicePrincipals',
    ]);
    expect(runtime.entra.authority).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/);
    expect(runtime.entra.authority.endsWith(runtime.entra.tenantId)).toBe(true);
    expect(runtime.entra.apiScope).toBe(`api://${runtime.entra.clientId}/.default`);
    expect(runtime.azureEvents).toEqual({
      queueName: 'azure-events',
      deadLetterContainer: 'azure-events-deadletter',
      systemTopicId: `/subscriptions/${runtime.arm.subscriptionId}/resourceGroups/rg-sandbox-automation/providers/Microsoft.EventGrid/systemTopics/subscription-events`,
      eventSubscriptionId: `/subscriptions/${runtime.arm.subscriptionId}/resourceGroups/rg-sandbox-automation/providers/Microsoft.EventGrid/systemTopics/subscription-events/eventSubscriptions/azure-events`,
      storageAccountId: `/subscriptions/${runtime.arm.subscriptionId}/resourceGroups/rg-sandbox-automation/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`,
      caller: 'carol@sandbox.test',
    });
  });

  it('lists test users with their passwords and roles: an admin, an approver, two plain users', async () => {
    // Act
    const { users } = JSON.parse(await readFile(join(localDir, 'runtime.json'), 'utf8')).entra;
    // Assess
    for (const user of users) expect(Object.keys(user)).toEqual(['username', 'password', 'roles']);
    const withRole = (role: string) =>
      users.filter((u: { roles: string[] }) => u.roles.includes(role)).length;
    expect(withRole('Sandbox.Admin')).toBeGreaterThanOrEqual(1);
    expect(withRole('Sandbox.Approver')).toBeGreaterThanOrEqual(1);
    expect(
      users.filter((u: { roles: string[] }) => u.roles.join() === 'Sandbox.User').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('gives the app’s identity only the roles the app asks for', async () => {
    // Prepare
    const token = await managedIdentityToken();
    const subscription = `/subscriptions/${stack.runtime.arm.subscriptionId}`;
    // Act
    const read = await arm('GET', `${subscription}/resourcegroups?api-version=2022-09-01`, token);
    const write = await arm(
      'PUT',
      `${subscription}/resourcegroups/rg-app?api-version=2022-09-01`,
      token,
      { location: 'westeurope' },
    );
    // Assess
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.body.error?.message).toBe(
      `The client '${SYSTEM_IDENTITY.principalId}' with object id '${SYSTEM_IDENTITY.principalId}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write' over scope '${subscription}/resourcegroups/rg-app' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  });

  it('lets a test user call ARM as themselves, as Contributor of the subscription', async () => {
    // Prepare
    const token = await requestToken(stack.runtime, {
      user: 'bob@sandbox.test',
      scope: 'https://management.azure.com/.default',
    });
    // Act
    const created = await arm(
      'PUT',
      `/subscriptions/${stack.runtime.arm.subscriptionId}/resourcegroups/rg-bob?api-version=2022-09-01`,
      token,
      { location: 'westeurope' },
    );
    // Assess
    expect(created.status).toBe(201);
    expect(claimsOf(token)).toMatchObject({ upn: 'bob@sandbox.test', ver: '1.0' });
  });

  it("delivers the event of a group a test user creates to the app's azure-events queue", async () => {
    // Prepare
    const token = await requestToken(stack.runtime, {
      user: 'alice@sandbox.test',
      scope: 'https://management.azure.com/.default',
    });
    const queue = QueueServiceClient.fromConnectionString(
      stack.runtime.storage.connectionString,
    ).getQueueClient('azure-events');
    // Act
    const created = await arm(
      'PUT',
      `/subscriptions/${stack.runtime.arm.subscriptionId}/resourcegroups/rg-alice?api-version=2022-09-01`,
      token,
      { location: 'westeurope' },
    );
    const subject = `/subscriptions/${stack.runtime.arm.subscriptionId}/resourcegroups/rg-alice`;
    const event = await vi.waitFor(async () => {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
      const events = receivedMessageItems.map((message) =>
        JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')),
      );
      const found = events.find((candidate) => candidate.subject === subject);
      expect(found).toBeDefined();
      return found;
    });
    // Assess
    expect(created.status).toBe(201);
    expect(event).toMatchObject({
      subject,
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      topic: `/subscriptions/${stack.runtime.arm.subscriptionId}`,
      data: {
        operationName: 'Microsoft.Resources/subscriptions/resourceGroups/write',
        claims: {
          'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'alice@sandbox.test',
        },
        authorization: { evidence: { role: 'Contributor', principalType: 'User' } },
      },
    });
  });

  it('writes nothing to ARM when Azure events are set up already, as at the next npm start', async () => {
    // Prepare
    const ca = await readFile(stack.runtime.arm.caCertPath);
    const carol = stack.runtime.entra.users.find((u) => u.username === 'carol@sandbox.test')!;
    const credential = new UsernamePasswordCredential(
      stack.runtime.entra.tenantId,
      stack.runtime.entra.clientId,
      carol.username,
      carol.password,
      {
        authorityHost: new URL(stack.runtime.entra.authority).origin,
        disableInstanceDiscovery: true,
        additionalPolicies: [{ policy: trustLocalCa(ca), position: 'perCall' }],
      },
    );
    const writes = async () =>
      (await control('requests')).value.filter(
        (entry: { method: string }) => entry.method !== 'GET',
      );
    const before = await writes();
    // Act
    const again = await subscribeToAzureEvents({
      endpoint: stack.runtime.arm.endpoint,
      subscriptionId: stack.runtime.arm.subscriptionId,
      credential,
      ca,
      storage: {
        accountName: 'devstoreaccount1',
        connectionString: stack.runtime.storage.connectionString,
      },
      queueName: 'azure-events',
    });
    // Assess
    expect(await writes()).toEqual(before);
    expect(again.eventSubscriptionId).toBe(stack.runtime.azureEvents?.eventSubscriptionId);
  });

  it('prints a token for the app’s API with npm run token', async () => {
    // Act
    const { code, stdout } = await tokenCli('--user', 'alice@sandbox.test');
    // Assess
    expect(code).toBe(0);
    expect(claimsOf(stdout.trim())).toMatchObject({
      aud: stack.runtime.entra.clientId,
      iss: `${stack.runtime.entra.authority}/v2.0`,
      preferred_username: 'alice@sandbox.test',
      roles: ['Sandbox.User'],
    });
  });

  it('names the local users when npm run token is given another', async () => {
    const { code, stdout, stderr } = await tokenCli('--user', 'mallory@sandbox.test');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      `No test user 'mallory@sandbox.test'. The local users are: ${stack.runtime.entra.users.map((u) => u.username).join(', ')}.`,
    );
  });

  it('serves the app on the host, with its settings and the keys it reported', async () => {
    // Act
    const health = await fetch(`${stack.runtime.host.url}/api/health`);
    const status = await fetch(`${stack.runtime.host.url}/admin/host/status`, {
      headers: { 'x-functions-key': stack.runtime.host.masterKey },
    });
    // Assess
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', appName: 'from-env' });
    expect(status.status).toBe(200);
    expect(output).toContain("Executed 'Functions.health' (Succeeded");
  });

  it('answers the managed identity endpoint it wrote down', async () => {
    const { endpoint, header } = stack.runtime.identity;
    const res = await fetch(
      `${endpoint}?resource=https://management.azure.com&api-version=2019-08-01`,
      {
        headers: { 'X-IDENTITY-HEADER': header },
      },
    );
    expect(res.status).toBe(200);
  });
});

/** Runs `npm run token`'s script against this stack's runtime.json. */
function tokenCli(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '..', 'src', 'tokenCli.ts'),
        ...args,
        '--runtime',
        join(localDir, 'runtime.json'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a port already taken', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('fails before starting anything, naming the port and how to move it', async () => {
    // Prepare
    const port = (blocker.address() as { port: number }).port;
    // Act
    const attempt = startLocalStack({
      root,
      localDir,
      env: { ...process.env, ...ephemeral, LOCAL_ARM_PORT: String(port) },
      write: () => {},
      logFormat: 'json',
    });
    // Assess
    await expect(attempt).rejects.toThrow(PortInUseError);
    await expect(attempt).rejects.toThrow(
      `Port ${port} (ARM emulator) is already in use. Stop whatever is listening on it, or choose another port with LOCAL_ARM_PORT=<port>.`,
    );
  });
});
