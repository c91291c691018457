import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../../shared/apiErrors.js';
import { APP_ROLES } from '../../../../shared/auth/Caller.js';
import { currentCorrelation } from '../../../../shared/correlation.js';
import { httpFunction, httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';

const echo = httpFunction('echo', {
  route: 'echo/{id}',
  methods: ['POST'],
  body: 'json',
  ports: (platform) => ({ appName: platform.config.appName }),
  async handle({ params, body, caller, ports, path }) {
    return {
      status: 200,
      jsonBody: { id: params.id, body, caller, ports, path, ...currentCorrelation() },
    };
  },
});

const post = (body: string, headers: Record<string, string> = signedIn('ana')) =>
  httpRequestFactory({
    method: 'POST',
    path: '/api/echo/7',
    params: { id: '7' },
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('httpHandler', () => {
  it('hands the handler the params, the parsed body, the verified caller and the ports', async () => {
    // Act
    const response = await invoke(
      httpHandler(echo, async () => fakePlatform()),
      post('{"a":1}'),
    );

    // Assess
    expect(response).toMatchObject({
      status: 200,
      jsonBody: {
        id: '7',
        body: { a: 1 },
        caller: {
          id: 'oid-ana',
          name: 'ana@contoso.com',
          roles: ['Sandbox.User'],
          kind: 'user',
          via: 'token',
        },
        ports: { appName: 'sandbox-automation' },
        path: '/api/echo/7',
        invocationId: 'inv-1',
      },
    });
  });

  it('answers 401 without a token, with the challenge, before reading the body', async () => {
    // Act
    const response = await invoke(
      httpHandler(echo, async () => fakePlatform()),
      post('{', {}),
    );

    // Assess
    expect(response).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      jsonBody: { code: 'Unauthorized' },
    });
  });

  it('answers 403 to a valid token without the role the function needs', async () => {
    // Prepare
    const adminOnly = httpFunction('echo', {
      ...echo,
      roles: [APP_ROLES.admin],
      purpose: 'Echoes',
    });

    // Act
    const response = await invoke(
      httpHandler(adminOnly, async () => fakePlatform()),
      post('{}'),
    );

    // Assess
    expect(response).toMatchObject({ status: 403, jsonBody: { code: 'MissingAppRole' } });
  });

  it('makes a principal ADMIN_PRINCIPALS lists an admin', async () => {
    // Prepare
    const adminOnly = httpFunction('echo', { ...echo, roles: [APP_ROLES.admin] });
    const platform = fakePlatform({ ADMIN_PRINCIPALS: 'oid-ana' });

    // Act
    const response = await invoke(
      httpHandler(adminOnly, async () => platform),
      post('{}'),
    );

    // Assess
    expect(response.status).toBe(200);
  });

  it('paces each caller’s writes with 429 and Retry-After once its burst is spent', async () => {
    // Prepare
    const platform = fakePlatform({ RATE_LIMIT_BURST: '2', RATE_LIMIT_PER_MINUTE: '6' });
    const handler = httpHandler(echo, async () => platform);

    // Act
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await invoke(handler, post('{}'))).status);
    const bob = await invoke(handler, post('{}', signedIn('bob')));
    const throttled = await invoke(handler, post('{}'));
    platform.clock.advance(10_000);
    const later = await invoke(handler, post('{}'));

    // Assess
    expect(statuses).toEqual([200, 200, 429]);
    expect(bob.status).toBe(200);
    expect(throttled).toMatchObject({
      status: 429,
      headers: { 'retry-after': '10', 'content-type': 'application/problem+json' },
      jsonBody: { code: 'TooManyRequests' },
    });
    expect(later.status).toBe(200);
  });

  it('refuses a body that is not JSON before building the ports', async () => {
    // Prepare
    let built = false;
    const fn = httpFunction('echo', {
      ...echo,
      ports: () => {
        built = true;
        return { appName: '' };
      },
    });

    // Act
    const response = await invoke(
      httpHandler(fn, async () => fakePlatform()),
      post('{'),
    );

    // Assess
    expect(response).toMatchObject({ status: 400, jsonBody: { code: 'InvalidRequest' } });
    expect(built).toBe(false);
  });

  it('turns what a handler throws into problem+json with the request path as instance', async () => {
    // Prepare
    const refusing = httpFunction('echo', {
      ...echo,
      async handle() {
        throw new ForbiddenError('not you');
      },
    });

    // Act
    const response = await invoke(
      httpHandler(refusing, async () => fakePlatform()),
      post('{}'),
    );

    // Assess
    expect(response).toEqual({
      status: 403,
      headers: { 'content-type': 'application/problem+json' },
      jsonBody: {
        type: 'urn:sandbox-automation:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        detail: 'not you',
        instance: '/api/echo/7',
        code: 'Forbidden',
      },
    });
  });

  it('answers 503 when the platform cannot be built', async () => {
    // Act
    const response = await invoke(
      httpHandler(echo, async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }),
      post('{}'),
    );

    // Assess
    expect(response).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
  });
});
