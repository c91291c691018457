import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlClient,
  startTestEmulator,
  type TestEmulator,
} from '../../src/testing/startTestEmulator.js';
import { armClients, armToken, errorOf, rawRequest } from './armClients.js';

describe('ARM protocol over HTTPS (raw shapes the SDK hides)', () => {
  let arm: TestEmulator;
  let clients: ReturnType<typeof armClients>;
  let token: string;
  let groups: string;

  beforeAll(async () => {
    arm = await startTestEmulator();
    clients = armClients(arm);
    token = await armToken(clients.credential);
    groups = `/subscriptions/${arm.subscriptionId}/resourcegroups`;
  });
  afterAll(() => arm.close());

  it.each(['127.0.0.1', 'localhost'])(
    'serves a certificate for %s that the local CA alone verifies',
    async (host) => {
      const res = await rawRequest(arm, 'GET', `/subscriptions?api-version=2025-04-01`, {
        token,
        host,
      });
      expect(res.status).toBe(200);
    },
  );

  it('sets request ids, echoes the client request id and keeps the correlation id', async () => {
    // Act
    const res = await rawRequest(arm, 'PUT', `${groups}/rg-raw?api-version=2025-04-01`, {
      token,
      body: JSON.stringify({ location: 'westeurope' }),
      headers: { 'x-ms-client-request-id': 'client-1', 'x-ms-correlation-request-id': 'corr-1' },
    });
    // Assess
    expect(res.status).toBe(201);
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-ms-client-request-id']).toBe('client-1');
    expect(res.headers['x-ms-correlation-request-id']).toBe('corr-1');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('matches paths without regard to case', async () => {
    const res = await rawRequest(
      arm,
      'GET',
      `/SUBSCRIPTIONS/${arm.subscriptionId.toUpperCase()}/ResourceGroups/RG-RAW?api-version=2025-04-01`,
      { token },
    );
    expect(res.status).toBe(200);
    expect((res.body as { name: string }).name).toBe('rg-raw');
  });

  it.each([
    [
      'missing',
      `${'GROUPS'}/rg-raw`,
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    ],
    [
      'invalid',
      `${'GROUPS'}/rg-raw?api-version=2099-01-01`,
      400,
      'InvalidApiVersionParameter',
      undefined,
    ],
    [
      'malformed provider',
      `${'GROUPS'}/rg-raw/providers/Microsoft.Web/sites/x?api-version=latest`,
      400,
      'InvalidApiVersionParameter',
      undefined,
    ],
  ])('answers a %s api-version with 400', async (_label, path, status, code, message) => {
    const res = await rawRequest(arm, 'GET', path.replace('GROUPS', groups), { token });
    expect(res.status).toBe(status);
    expect((res.body as { error: { code: string } }).error.code).toBe(code);
    if (message) expect((res.body as { error: { message: string } }).error.message).toBe(message);
  });

  it('answers malformed JSON with 400 InvalidRequestContent', async () => {
    const res = await rawRequest(arm, 'PUT', `${groups}/rg-json?api-version=2025-04-01`, {
      token,
      body: '{"location": ',
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string; message: string } }).error.code).toBe(
      'InvalidRequestContent',
    );
  });

  it('answers 400 InvalidSubscriptionId and 404 SubscriptionNotFound', async () => {
    const malformed = await rawRequest(
      arm,
      'GET',
      '/subscriptions/nope/resourcegroups?api-version=2025-04-01',
      { token },
    );
    const unknown = await rawRequest(
      arm,
      'GET',
      '/subscriptions/10000000-0000-0000-0000-000000000000/resourcegroups?api-version=2025-04-01',
      { token },
    );
    expect((malformed.body as { error: { code: string } }).error.code).toBe(
      'InvalidSubscriptionId',
    );
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { code: string } }).error.code).toBe('SubscriptionNotFound');
  });

  it('never reaches the control API through an ARM path, and the control API needs no token', async () => {
    // Prepare
    await arm.control.seed({ resourceGroups: [{ name: 'rg-keep', location: 'westeurope' }] });
    // Act
    const viaArm = await rawRequest(
      arm,
      'POST',
      `/subscriptions/${arm.subscriptionId}/_emulator/reset?api-version=2025-04-01`,
      { token },
    );
    const viaProviders = await rawRequest(
      arm,
      'POST',
      `/subscriptions/${arm.subscriptionId}/resourceGroups/rg-keep/providers/_emulator/reset?api-version=2025-04-01`,
      { token },
    );
    const stats = await rawRequest(arm, 'GET', '/_emulator/stats');
    // Assess
    expect(viaArm.status).toBe(404);
    expect(viaProviders.status).toBe(404);
    expect((await clients.resources.resourceGroups.checkExistence('rg-keep')).body).toBe(true);
    expect(stats.status).toBe(200);
  });

  it('logs requests and counts them', async () => {
    const log = await arm.control.requests({ method: 'PUT', path: 'rg-raw' });
    expect(log[0]).toMatchObject({ method: 'PUT', status: 201, clientRequestId: 'client-1' });
    expect((await arm.control.stats()).total).toBeGreaterThan(5);
  });

  it('resets to an empty state', async () => {
    await arm.control.reset();
    const error = await errorOf(clients.resources.resourceGroups.get('rg-keep'));
    expect(error).toMatchObject({ statusCode: 404 });
  });
});

describe('npm run emulator', () => {
  it('prints one ready line with the connection details, and serves them', async () => {
    // Prepare
    const workspace = join(import.meta.dirname, '..', '..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--identity-port', '0', '--entra-port', '0'],
      { cwd: workspace },
    );
    try {
      // Act
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] as string);
        });
        child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
      });
      const ready = JSON.parse(line.replace(/^ARM emulator ready /, '')) as Record<string, string>;
      const stats = await controlClient(
        ready.endpoint as string,
        ready.caCertPath as string,
      ).stats();
      // Assess
      expect(line).toMatch(/^ARM emulator ready \{/);
      expect(Object.keys(ready).sort()).toEqual([
        'caCertPath',
        'endpoint',
        'entra',
        'identityEndpoint',
        'identityHeader',
        'subscriptionId',
      ]);
      expect(ready.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // Where to sign in, never who with: passwords stay out of the output.
      expect(Object.keys(ready.entra as unknown as object)).toEqual([
        'authority',
        'clientId',
        'apiScope',
      ]);
      expect(stats.total).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
