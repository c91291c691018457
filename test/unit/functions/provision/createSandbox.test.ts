import {
  type HttpHandler,
  HttpRequest,
  type HttpRequestInit,
  type HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../../../functions/provision/createSandbox.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { callerFactory, sandboxBodyFactory } from '../../../support/provision/fixtures.js';
import { principalHeader } from '../../../support/provision/principalHeader.js';
import { provisioningDepsFactory } from '../../../support/provision/provisioningDepsFactory.js';

/** A create request; signed in as an admin (who may name any owner) unless `headers` say else. */
const post = (body: string | undefined, headers: Record<string, string> = {}): HttpRequest =>
  new HttpRequest({
    url: 'http://localhost/api/sandboxes',
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedIn('ops'), ...headers },
    ...(body === undefined ? {} : { body: { string: body } }),
  } as HttpRequestInit);
/** The handlers answer plain `HttpResponseInit` objects. */
const call = async (handler: HttpHandler, request: HttpRequest): Promise<HttpResponseInit> =>
  (await handler(request, context())) as HttpResponseInit;
const context = () =>
  new InvocationContext({ invocationId: 'inv-1', functionName: 'createSandbox' });

describe('createSandbox', () => {
  it('answers 202 with Location, Retry-After and the operation', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const handler = httpHandler(createSandbox, async () => t.platform);

    // Act
    const response = await call(
      handler,
      post(JSON.stringify(sandboxBodyFactory({ owner: 'ana@contoso.com' }))),
    );

    // Assess
    expect(response).toMatchObject({
      status: 202,
      headers: {
        location: '/api/operations/00000000-0000-4000-8000-000000000001',
        'retry-after': '2',
      },
      jsonBody: {
        operationId: '00000000-0000-4000-8000-000000000001',
        sandbox: 'ana-sandbox-1',
        status: 'queued',
      },
    });
  });

  it("takes the owner from the token: the caller's object id", async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const handler = httpHandler(createSandbox, async () => t.platform);

    // Act
    await call(handler, post(JSON.stringify(sandboxBodyFactory()), signedIn('ana')));

    // Assess
    expect(t.queue.sent).toHaveLength(1);
    const [key] = t.records.keys().filter((k) => k.startsWith('operations/'));
    expect((await t.records.get<{ owner: string }>(key!))?.value.owner).toBe('oid-ana');
  });

  it('marks a replay with Idempotent-Replayed', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const handler = httpHandler(createSandbox, async () => t.platform);
    const body = JSON.stringify(sandboxBodyFactory({ owner: 'ana' }));
    await call(handler, post(body, { 'idempotency-key': 'abc' }));

    // Act
    const response = await call(handler, post(body, { 'idempotency-key': 'abc' }));

    // Assess
    expect(response).toMatchObject({ status: 202, headers: { 'idempotent-replayed': 'true' } });
  });

  const rejected: {
    description: string;
    body: string;
    headers: Record<string, string>;
    status: number;
  }[] = [
    {
      description: 'a wrong content type',
      body: '{}',
      headers: { 'content-type': 'text/plain' },
      status: 415,
    },
    { description: 'no content type', body: '{}', headers: { 'content-type': '' }, status: 415 },
    {
      description: 'a body over 64 KiB',
      body: JSON.stringify({ name: 'x'.repeat(70_000) }),
      headers: {},
      status: 413,
    },
    { description: 'an empty body', body: '', headers: {}, status: 400 },
    { description: 'malformed JSON', body: '{"name":', headers: {}, status: 400 },
    {
      description: 'an unknown blueprint',
      body: JSON.stringify(sandboxBodyFactory({ owner: 'a', blueprint: 'k8s' })),
      headers: {},
      status: 400,
    },
    {
      description: 'no token',
      body: JSON.stringify(sandboxBodyFactory()),
      headers: { authorization: '' },
      status: 401,
    },
    {
      description: 'a user naming another owner',
      body: JSON.stringify(sandboxBodyFactory({ owner: 'bob@contoso.com' })),
      headers: signedIn('ana'),
      status: 403,
    },
    {
      description: 'a token with no role',
      body: JSON.stringify(sandboxBodyFactory()),
      headers: signedIn('nobody'),
      status: 403,
    },
    {
      description: 'a location policy forbids',
      body: JSON.stringify(sandboxBodyFactory({ owner: 'a', location: 'mars' })),
      headers: {},
      status: 422,
    },
    {
      description: 'a malformed token',
      body: JSON.stringify(sandboxBodyFactory()),
      headers: { authorization: 'Bearer abc.def.ghi' },
      status: 401,
    },
    {
      description: 'a forged x-ms-client-principal, which the app does not trust by default',
      body: JSON.stringify(sandboxBodyFactory()),
      headers: { authorization: '', 'x-ms-client-principal': principalHeader(callerFactory()) },
      status: 401,
    },
    {
      description: 'a bad Idempotency-Key',
      body: JSON.stringify(sandboxBodyFactory({ owner: 'a' })),
      headers: { 'idempotency-key': 'ü' },
      status: 400,
    },
  ];
  it.each(rejected)(
    'answers $description with $status problem+json and no side effect',
    async ({ body, headers, status }) => {
      // Prepare
      const t = provisioningDepsFactory();
      const handler = httpHandler(createSandbox, async () => t.platform);

      // Act
      const response = await call(handler, post(body, headers));

      // Assess
      expect(response.status).toBe(status);
      expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
      expect(response.jsonBody).toMatchObject({
        status,
        title: expect.any(String),
        detail: expect.any(String),
      });
      expect(t.records.keys()).toEqual([]);
      expect(t.queue.sent).toEqual([]);
    },
  );

  it('names the failed rules in the problem errors', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const handler = httpHandler(createSandbox, async () => t.platform);

    // Act
    const response = await call(
      handler,
      post(JSON.stringify(sandboxBodyFactory({ owner: 'a', ttlHours: 999, location: 'mars' }))),
    );

    // Assess
    expect(response.jsonBody).toMatchObject({
      type: 'urn:sandbox-automation:problem:policy-violation',
      errors: [
        { rule: 'location-allowed', pointer: '/' },
        { rule: 'ttl-max', pointer: '/' },
      ],
    });
  });

  it('answers 409 for an existing name and 422 for a reused key', async () => {
    // Prepare
    const t = provisioningDepsFactory();
    const handler = httpHandler(createSandbox, async () => t.platform);
    t.groups.seed({ name: 'taken' });
    await call(
      handler,
      post(JSON.stringify(sandboxBodyFactory({ owner: 'a' })), { 'idempotency-key': 'k' }),
    );

    // Act
    const conflict = await call(
      handler,
      post(JSON.stringify(sandboxBodyFactory({ owner: 'a', name: 'taken' }))),
    );
    const reuse = await call(
      handler,
      post(JSON.stringify(sandboxBodyFactory({ owner: 'a', ttlHours: 3 })), {
        'idempotency-key': 'k',
      }),
    );

    // Assess
    expect(conflict.status).toBe(409);
    expect(reuse.status).toBe(422);
  });

  it('answers random bytes and malformed bodies with a 4xx problem, never a 500, never a side effect (property)', async () => {
    // Prepare
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/merge-patch+json',
      '',
    );
    const json = fc.oneof(
      fc.json(),
      fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
      fc
        .record(
          {
            name: fc.string(),
            owner: fc.string(),
            location: fc.string(),
            blueprint: fc.string(),
            ttlHours: fc.double(),
            tags: fc.object(),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    const raw = fc.oneof(
      json,
      fc.string(),
      fc.string({ unit: 'binary' }),
      json.map((s) => s.slice(0, Math.max(0, s.length - 1))),
    );
    const authorization = fc.option(
      fc.oneof(
        fc.string(),
        fc.base64String().map((t) => `Bearer ${t}`),
        fc.constant(signedIn('ops').authorization),
        fc.constant(signedIn('nobody').authorization),
      ),
      { nil: undefined },
    );
    const key = fc.option(fc.string({ maxLength: 300 }), { nil: undefined });

    // Act + Assess
    await fc.assert(
      fc.asyncProperty(
        raw,
        contentType,
        authorization,
        key,
        async (body, type, header, idempotencyKey) => {
          const t = provisioningDepsFactory();
          const handler = httpHandler(createSandbox, async () => t.platform);
          const headers: Record<string, string> = { 'content-type': type };
          headers.authorization = header ?? '';
          if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
          const response = await call(handler, post(body, headers));
          if (response.status === 202) {
            expect(t.queue.sent).toHaveLength(1);
            return;
          }
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json' });
          expect(t.records.keys()).toEqual([]);
          expect(t.queue.sent).toEqual([]);
          expect(t.groups.names()).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
