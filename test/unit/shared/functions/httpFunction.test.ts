import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../../shared/apiErrors.js';
import { currentCorrelation } from '../../../../shared/correlation.js';
import { httpFunction, httpHandler } from '../../../../shared/functions/httpFunction.js';
import { fakePlatform } from '../../../support/fakes/fakePlatform.js';
import { httpRequestFactory, invoke } from '../../../support/provision/httpRequestFactory.js';
import { principalHeader } from '../../../support/provision/principalHeader.js';

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

const post = (body: string, headers: Record<string, string> = {}) =>
  httpRequestFactory({
    method: 'POST',
    path: '/api/echo/7',
    params: { id: '7' },
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('httpHandler', () => {
  it('hands the handler the params, the parsed body, the caller and the ports, under the invocation', async () => {
    // Act
    const response = await invoke(
      httpHandler(echo, async () => fakePlatform()),
      post('{"a":1}', { 'x-ms-client-principal': principalHeader({ name: 'ana', roles: [] }) }),
    );

    // Assess
    expect(response).toMatchObject({
      status: 200,
      jsonBody: {
        id: '7',
        body: { a: 1 },
        caller: { name: 'ana', via: 'principal' },
        ports: { appName: 'sandbox-automation' },
        path: '/api/echo/7',
        invocationId: 'inv-1',
      },
    });
  });

  it('refuses a body that is not JSON before building the ports', async () => {
    // Prepare
    let built = false;
    const fn = httpFunction('echo', {
      ...echo,
      ports: () => {
        built = true;
        return {};
      },
    });

    // Act
    const response = await invoke(
      httpHandler(fn, async () => fakePlatform()),
      post('{', { 'content-type': 'application/json' }),
    );

    // Assess
    expect(response).toMatchObject({ status: 400, jsonBody: { code: 'InvalidRequest' } });
    expect(built).toBe(false);
  });

  it('answers 401 for an unreadable principal, before anything else', async () => {
    // Act
    const response = await invoke(
      httpHandler(echo, async () => fakePlatform()),
      post('{', { 'x-ms-client-principal': '%%%' }),
    );

    // Assess
    expect(response).toMatchObject({ status: 401, jsonBody: { code: 'InvalidClientPrincipal' } });
  });

  it('keeps non-admins out of an admin-only function', async () => {
    // Prepare
    const adminOnly = httpFunction('echo', { ...echo, adminOnly: 'Echoes' });
    const platform = fakePlatform({ ADMIN_PRINCIPALS: 'ops@contoso.com' });

    // Act
    const anonymous = await invoke(
      httpHandler(adminOnly, async () => platform),
      post('{}'),
    );
    const eve = await invoke(
      httpHandler(adminOnly, async () => platform),
      post('{}', { 'x-ms-client-principal': principalHeader({ name: 'eve', roles: [] }) }),
    );
    const ops = await invoke(
      httpHandler(adminOnly, async () => platform),
      post('{}', {
        'x-ms-client-principal': principalHeader({ name: 'ops@contoso.com', roles: [] }),
      }),
    );

    // Assess
    expect([anonymous.status, eve.status, ops.status]).toEqual([401, 403, 200]);
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
