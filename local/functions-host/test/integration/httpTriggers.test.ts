import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningAzurite, startAzurite } from '../../src/testing/startAzurite.js';
import { type HostProcess, startHostProcess } from '../../src/testing/startHostProcess.js';
import { fixtureSettings, prepareFixtureApp } from './fixtureApp.js';

let azurite: RunningAzurite;
let host: HostProcess;
let app: Awaited<ReturnType<typeof prepareFixtureApp>>;

beforeAll(async () => {
  azurite = await startAzurite();
  app = await prepareFixtureApp(fixtureSettings(azurite.connectionString));
  host = await startHostProcess({
    appDir: app.dir,
    settings: { FUNCTIONS_MASTER_KEY: 'master-key-for-tests' },
  });
});

afterAll(async () => {
  await host?.stop();
  await azurite?.stop();
  await app?.remove();
});

const get = (path: string, init?: RequestInit) => fetch(`${host.url}${path}`, init);

describe('startup', () => {
  it('lists each function with its trigger and URL before the ready line', () => {
    // Assess
    const listing = host.entries().find((e) => String(e.message).startsWith('\nFunctions:'));
    expect(listing?.message).toContain(`hello: [GET] ${host.url}/api/hello/{name?}`);
    expect(listing?.message).toContain('flaky: queueTrigger');
    expect(listing?.message).toContain('yearly: timerTrigger');
    expect(listing?.message).toContain('disabledByConfig: httpTrigger (disabled)');
  });

  it('takes keys from settings, and generates the ones not set', () => {
    expect(host.masterKey).toBe('master-key-for-tests');
    expect(host.functionKey).toMatch(/^[\w-]{40}$/);
  });

  it('prints the keys it generated, and never a key from settings', () => {
    // Assess
    const ready = host.entries().find((e) => e.message === 'Host ready')?.ready;
    expect(ready).toMatchObject({ functionKey: host.functionKey });
    expect(ready).not.toHaveProperty('masterKey');
    expect(host.logs()).not.toContain('master-key-for-tests');
  });

  it('runs appStart hooks before serving', () => {
    expect(host.logs().indexOf('hook: appStart ran')).toBeLessThan(
      host.logs().indexOf('Host ready'),
    );
  });
});

describe('routes', () => {
  it.each([
    ['/api/hello', 200, 'Hello, world'],
    ['/api/hello/ada', 200, 'Hello, ada'],
    ['/api/HELLO/ada', 200, 'Hello, ada'],
    ['/api/hello/ada/extra', 404, ''],
    ['/api/nowhere', 404, ''],
    ['/hello', 404, ''],
    ['/api/disabled', 404, ''],
    // A path that starts with two slashes is a path, not a host: never a 500.
    ['//', 404, ''],
    ['//api/nowhere', 404, ''],
  ])('GET %s answers %i', async (path, status, body) => {
    // Act
    const res = await get(path);
    // Assess
    expect(res.status).toBe(status);
    expect(await res.text()).toBe(body);
  });

  it('applies route constraints', async () => {
    const key = { headers: { 'x-functions-key': host.functionKey } };
    expect((await get('/api/items/42', key)).status).toBe(200);
    expect((await get('/api/items/forty-two', key)).status).toBe(404);
  });

  it('answers 404 to a method the function does not accept', async () => {
    const res = await get('/api/hello', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });
});

describe('authorization levels', () => {
  it.each([
    ['function level without a key', '/api/items/1', {}, 401],
    ['function level with a wrong key', '/api/items/1', { 'x-functions-key': 'nope' }, 401],
    [
      'function level with the function key',
      '/api/items/1',
      { 'x-functions-key': 'FUNCTION' },
      200,
    ],
    ['function level with the master key', '/api/items/1', { 'x-functions-key': 'MASTER' }, 200],
    [
      'admin level with the function key',
      '/api/admin-only',
      { 'x-functions-key': 'FUNCTION' },
      401,
    ],
    ['admin level with the master key', '/api/admin-only', { 'x-functions-key': 'MASTER' }, 200],
  ])('%s → %i', async (_name, path, headers: Record<string, string>, status) => {
    // Prepare
    const resolved = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [
        k,
        v === 'FUNCTION' ? host.functionKey : v === 'MASTER' ? host.masterKey : v,
      ]),
    );
    // Act
    const res = await get(path, { headers: resolved });
    // Assess
    expect(res.status).toBe(status);
  });

  it('accepts the key as ?code=, and passes the query through', async () => {
    const res = await get(`/api/items/7?code=${host.functionKey}&tag=a&tag=b`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: '7',
      method: 'GET',
      query: { code: host.functionKey, tag: 'a,b' },
    });
  });
});

describe('requests and responses', () => {
  it('carries raw bytes, headers, cookies, the URL and the status both ways', async () => {
    // Prepare
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff]);
    // Act
    const res = await get('/api/echo?x=1', {
      method: 'POST',
      body: bytes,
      headers: {
        'content-type': 'application/x-test',
        'x-custom': 'custom value',
        cookie: 'a=1; b=2',
      },
    });
    // Assess
    expect(res.status).toBe(201);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('application/x-test');
    expect(res.headers.get('x-echo-header')).toBe('custom value');
    expect(res.headers.get('x-echo-cookie')).toBe('a=1; b=2');
    expect(res.headers.get('x-echo-url')).toBe(`${host.url}/api/echo?x=1`);
    // As the real host writes it in RPC mode (see test/unit/rpcHttp.test.ts).
    expect(res.headers.getSetCookie()).toEqual(['session=abc; path=/; samesite=lax; httponly']);
  });

  it('answers 204 when the function returns nothing', async () => {
    const res = await get('/api/no-content');
    expect(res.status).toBe(204);
  });

  it('answers 500 with an empty body when the function throws, and logs the failure', async () => {
    // Act
    const res = await get('/api/fails');
    // Assess
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    const executed = await host.waitForLog(
      /Executed 'Functions\.fails' \(Failed, Id=[0-9a-f-]{36}, Duration=\d+ms\)/,
    );
    expect(JSON.parse(executed).level).toBe('error');
    await host.waitForLog('this function always fails');
  });

  it("frames each invocation in the host's Executing and Executed lines", async () => {
    await get('/api/hello/log-shape');
    const executing = await host.waitForLog("Executing 'Functions.hello'");
    const id = /Id=([0-9a-f-]{36})/.exec(executing)?.[1];
    expect(JSON.parse(executing).message).toBe(
      `Executing 'Functions.hello' (Reason='This function was programmatically called via the host APIs.', Id=${id})`,
    );
    await host.waitForLog(
      new RegExp(`Executed 'Functions\\.hello' \\(Succeeded, Id=${id}, Duration=\\d+ms\\)`),
    );
  });
});

describe('logging', () => {
  it('prints context.trace/debug/info/warn/error/log at their levels as JSON lines', async () => {
    // Act
    await get('/api/logs');
    await host.waitForLog("Executed 'Functions.logs'");
    // Assess
    const levels = host
      .entries()
      .filter((e) => e.category === 'Function.logs.User')
      .map((e) => [e.level, e.message]);
    expect(levels).toEqual([
      ['trace', 'level trace'],
      ['debug', 'level debug'],
      ['information', 'level info'],
      ['warning', 'level warn'],
      ['error', 'level error'],
      ['information', 'level log'],
    ]);
  });
});

describe('hooks', () => {
  it('runs preInvocation and postInvocation hooks that share hookData and can replace the handler and result', async () => {
    const res = await get('/api/hooked');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      pre: 'set by preInvocation',
      wrapped: true,
      appStarted: true,
    });
  });
});

describe('blob bindings', () => {
  it('reads nothing for a missing blob, then reads back what the output binding wrote', async () => {
    // Prepare
    const content = Buffer.from('blob content \u00e9');
    // Act
    const before = await get('/api/blobs/note.txt');
    const put = await get('/api/blobs/note.txt', { method: 'PUT', body: content });
    const after = await get('/api/blobs/note.txt');
    // Assess
    expect(before.status).toBe(404);
    expect(put.status).toBe(204);
    expect(Buffer.from(await after.arrayBuffer())).toEqual(content);
  });
});

describe('admin API', () => {
  it('reports the host status to the master key only', async () => {
    expect((await get('/admin/host/status')).status).toBe(401);
    const res = await get('/admin/host/status', { headers: { 'x-functions-key': host.masterKey } });
    expect(await res.json()).toMatchObject({ state: 'Running', id: 'host-app-test' });
  });

  // The real host's FunctionsController: `GET admin/functions` (AdminAuthLevel) answers each
  // function's FunctionMetadataResponse; its invoke URL is the prefix and route in lower case
  // (FunctionMetadataExtensions.GetFunctionInvokeUrlTemplate).
  it('lists every function with its bindings and invoke URL, to the master key only', async () => {
    // Act
    const anonymous = await get('/admin/functions');
    const res = await get('/admin/functions', { headers: { 'x-functions-key': host.masterKey } });
    const listed = (await res.json()) as Array<Record<string, unknown>>;

    // Assess
    expect(anonymous.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const hello = listed.find((f) => f.name === 'hello');
    expect(hello).toMatchObject({
      href: `${host.url}/admin/functions/hello`,
      invoke_url_template: `${host.url}/api/hello/{name?}`,
      language: 'node',
      isDisabled: false,
      config: {
        bindings: expect.arrayContaining([
          expect.objectContaining({
            type: 'httpTrigger',
            direction: 'in',
            route: 'hello/{name?}',
            methods: ['GET'],
            authLevel: 'anonymous',
          }),
        ]),
      },
    });
    expect(listed.find((f) => f.name === 'flaky')).toMatchObject({
      invoke_url_template: null,
      config: {
        bindings: [expect.objectContaining({ type: 'queueTrigger', queueName: 'flaky' })],
      },
    });
    expect(listed.find((f) => f.name === 'disabledByConfig')).toMatchObject({ isDisabled: true });
  });

  it('describes one function by name, and answers 404 for a name it does not have', async () => {
    // Act
    const headers = { 'x-functions-key': host.masterKey };
    const one = await get('/admin/functions/HELLO', { headers });
    const none = await get('/admin/functions/nope', { headers });

    // Assess
    expect(await one.json()).toMatchObject({ name: 'hello' });
    expect(none.status).toBe(404);
  });
});
