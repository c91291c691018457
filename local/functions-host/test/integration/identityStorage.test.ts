/**
 * Identity-based storage connections in the local host, as on Azure: the app settings name only
 * the service URIs (`AzureWebJobsStorage__queueServiceUri` / `__blobServiceUri`), and the host
 * authenticates with DefaultAzureCredential, which finds the managed identity through
 * `IDENTITY_ENDPOINT` / `IDENTITY_HEADER` (played by the ARM emulator). Azurite serves HTTPS
 * with `--oauth basic`, so it takes bearer tokens and refuses requests without one.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { ensureCertificates } from '@sandbox-automation/arm-emulator';
import {
  startTestEmulator,
  type TestEmulator,
  testCertDir,
} from '@sandbox-automation/arm-emulator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  devAccountKey,
  type RunningAzurite,
  startAzurite,
} from '../../src/testing/startAzurite.js';
import { type HostProcess, startHostProcess } from '../../src/testing/startHostProcess.js';
import { base64Json, fixtureSettings, prepareFixtureApp } from './fixtureApp.js';

const storageResource = 'https://storage.azure.com';

let arm: TestEmulator;
let azurite: RunningAzurite;
let app: Awaited<ReturnType<typeof prepareFixtureApp>>;
let appSettings: Record<string, string>;
let processEnv: Record<string, string>;
let host: HostProcess;

/** A token from the emulator's managed-identity endpoint, as App Service hands one out. */
async function identityToken(resource: string) {
  const res = await fetch(`${arm.identityEndpoint}?resource=${resource}&api-version=2019-08-01`, {
    headers: { 'X-IDENTITY-HEADER': arm.identityHeader },
  });
  if (!res.ok) throw new Error(`The identity endpoint answered ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The test's own way in: the same managed identity the host uses, for the storage audience. */
const identityCredential = (resource = storageResource): TokenCredential => ({
  getToken: async (): Promise<AccessToken> => ({
    token: await identityToken(resource),
    expiresOnTimestamp: Date.now() + 3600_000,
  }),
});

const startIdentityHost = (identityHeader = arm.identityHeader) =>
  startHostProcess({
    appDir: app.dir,
    // What App Service puts in the environment; the storage settings are in local.settings.json.
    settings: {
      ...processEnv,
      IDENTITY_HEADER: identityHeader,
    },
  });

beforeAll(async () => {
  arm = await startTestEmulator();
  // The emulator's server certificate covers localhost and 127.0.0.1, and its CA is trusted here.
  const certificates = await ensureCertificates(testCertDir());
  azurite = await startAzurite({
    https: { certPath: certificates.certPath, keyPath: certificates.keyPath, oauth: 'basic' },
  });
  const { AzureWebJobsStorage: _connectionString, ...rest } = fixtureSettings('');
  appSettings = {
    ...rest,
    AzureWebJobsStorage__queueServiceUri: azurite.queueEndpoint,
    AzureWebJobsStorage__blobServiceUri: azurite.blobEndpoint,
    AzureWebJobsStorage__credential: 'managedidentity',
  };
  processEnv = {
    IDENTITY_ENDPOINT: arm.identityEndpoint,
    IDENTITY_HEADER: arm.identityHeader,
    NODE_EXTRA_CA_CERTS: arm.caCertPath,
  };
  app = await prepareFixtureApp(appSettings);
  host = await startIdentityHost();
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  await app?.remove();
  await arm?.close();
});

describe('identity-based storage connections in the host', () => {
  it('gives the host no connection string and no account key', () => {
    // Act: everything the host process sees, as startHostProcess builds its environment
    const seen = { ...process.env, ...processEnv, ...appSettings };
    // Assess
    const names = Object.keys(seen).map((name) => name.toLowerCase());
    expect(names).not.toContain('azurewebjobsstorage');
    expect(names.filter((name) => name.startsWith('azure_'))).toEqual([]);
    expect(Object.values(seen).join('\n')).not.toContain(devAccountKey);
    expect(azurite.queueEndpoint).toMatch(/^https:\/\//);
  });

  it('runs a queue-triggered function and writes its blob output by managed identity', async () => {
    // Prepare
    const queues = new QueueServiceClient(azurite.queueEndpoint, identityCredential());
    const blobs = new BlobServiceClient(azurite.blobEndpoint, identityCredential());
    const queue = queues.getQueueClient('fanout-out');
    // Act
    await queue.sendMessage(base64Json({ batch: 'identity', n: 7 }));
    await host.waitForLog(/Executed 'Functions\.fanoutWorker' \(Succeeded/);
    // Assess: the host logs `Executed` before it writes the output binding, hence the poll
    const output = blobs.getContainerClient('fanout').getBlockBlobClient('identity/7.json');
    await expect.poll(() => output.exists()).toBe(true);
    const written = await output.downloadToBuffer();
    expect(JSON.parse(written.toString('utf8'))).toEqual({ batch: 'identity', n: 7, done: true });
    await expect.poll(async () => (await queue.peekMessages()).peekedMessageItems.length).toBe(0);
  });

  // Azurite must really check the token, or the host's success above would prove nothing.
  const callers: {
    description: string;
    credential: () => TokenCredential | undefined;
    status: number;
    code?: string;
  }[] = [
    {
      description: 'no token',
      credential: () => undefined,
      status: 403,
      code: 'AuthenticationFailed',
    },
    {
      description: 'a token for ARM, not storage',
      credential: () => identityCredential('https://management.azure.com'),
      status: 403,
      code: 'AuthenticationFailed',
    },
    { description: 'a storage token', credential: () => identityCredential(), status: 200 },
  ];
  it.each(callers)('Azurite answers a caller with $description: $status', async (caller) => {
    // Prepare
    const credential = caller.credential();
    const queue = (
      credential
        ? new QueueServiceClient(azurite.queueEndpoint, credential)
        : new QueueServiceClient(azurite.queueEndpoint)
    ).getQueueClient('fanout-out');
    // Act
    const answer = await queue.peekMessages().then(
      (peeked) => ({ status: peeked._response.status, code: undefined }),
      (error: { statusCode?: number; code?: string }) => ({
        status: error.statusCode,
        code: error.code,
      }),
    );
    // Assess
    expect(answer).toEqual({ status: caller.status, code: caller.code });
  });

  it('cannot start its queue listeners when the managed identity refuses it', async () => {
    // Act
    const started = await startIdentityHost('not-the-identity-header').then(
      async (wrong) => {
        await wrong.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    // Assess
    expect(started).toContain("The listener for function 'Functions.");
    expect(started).toContain('ManagedIdentityCredential: Authentication failed.');
    expect(started).toContain('The X-IDENTITY-HEADER header is missing or does not match.');
  });
});
