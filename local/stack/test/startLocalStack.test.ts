import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortInUseError } from '../src/assertPortsFree.js';
import { type LocalStack, startLocalStack } from '../src/startLocalStack.js';

/** The node_modules that holds `@azure/functions`, for the fixture app to import. */
const nodeModules = dirname(
  dirname(dirname(createRequire(import.meta.url).resolve('@azure/functions/package.json'))),
);
const ephemeral = {
  LOCAL_HOST_PORT: '0',
  LOCAL_ARM_PORT: '0',
  LOCAL_IDENTITY_PORT: '0',
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
  });
});

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
    expect(Object.keys(runtime)).toEqual(['host', 'arm', 'identity', 'storage']);
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
