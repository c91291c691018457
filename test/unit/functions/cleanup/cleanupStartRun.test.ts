import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CleanupRoute } from '../../../../functions/cleanup/adminRoutes.js';
import { approveCleanupRun } from '../../../../functions/cleanup/cleanupApproveRun.js';
import { startCleanupRun } from '../../../../functions/cleanup/cleanupStartRun.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { signedIn } from '../../../support/auth/testTokens.js';
import { SUB, sandboxTags } from '../../../support/cleanup/cleanupFixtures.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

const state: { h: ReturnType<typeof cleanupHarness> } = { h: cleanupHarness() };
const start = (route: CleanupRoute) =>
  httpHandler(startCleanupRun(route), async () => state.h.platform);
const approve = (route: CleanupRoute) =>
  httpHandler(approveCleanupRun(route), async () => state.h.platform);

const post = (path: string, body: string, headers: Record<string, string> = {}, params = {}) =>
  new HttpRequest({
    method: 'POST',
    url: `http://localhost${path}`,
    body: { string: body },
    params,
    headers: body === '' ? headers : { 'content-type': 'application/json', ...headers },
  });
const call = async (
  handler: ReturnType<typeof start>,
  request: HttpRequest,
): Promise<HttpResponseInit> =>
  (await handler(request, new InvocationContext())) as HttpResponseInit;

describe('startCleanupRun', () => {
  beforeEach(() => {
    state.h = cleanupHarness();
    state.h.platform.config.cleanup.subscriptions = ['sub-1'];
  });

  it.each([
    { description: 'a dry run by default', route: 'plain' as const, body: '', mode: 'dry-run' },
    {
      description: 'an apply run',
      route: 'plain' as const,
      body: '{"dryRun":false}',
      mode: 'apply',
    },
    {
      description: 'a run on the principal route',
      route: 'principal' as const,
      body: '{"dryRun":true}',
      mode: 'dry-run',
    },
  ])('answers 202 with the run id for $description', async ({ route, body, mode }) => {
    // Act
    const response = await call(start(route), post('/api/cleanup/runs', body, signedIn('ops')));

    // Assess
    const runId = (response.jsonBody as { runId: string }).runId;
    expect(response).toMatchObject({
      status: 202,
      headers: { Location: `/api/cleanup/runs/${runId}` },
      jsonBody: { mode, status: 'queued' },
    });
    expect(state.h.requests.peek()).toEqual([{ kind: 'plan', runId }]);
    expect(await state.h.read.run(runId)).toMatchObject({
      requestedBy: 'ops@contoso.com',
      requestedById: 'oid-ops',
      subscriptions: ['sub-1'],
    });
  });

  it.each([
    {
      description: 'a malformed body',
      body: '{"dryRun":"no"}',
      headers: signedIn('ops'),
      status: 400,
    },
    { description: 'no token', body: '{}', headers: {}, status: 401 },
    { description: 'a plain user', body: '{}', headers: signedIn('ana'), status: 403 },
    { description: 'an approver', body: '{}', headers: signedIn('approver'), status: 403 },
    {
      description: 'an admin named in ADMIN_PRINCIPALS by a header the app does not trust',
      body: '{}',
      headers: {
        'x-ms-client-principal': Buffer.from(
          JSON.stringify({ identityProvider: 'aad', userId: 'x', userDetails: 'ops@contoso.com' }),
        ).toString('base64'),
      },
      status: 401,
    },
  ])(
    'answers $status problem+json for $description, and queues nothing',
    async ({ body, headers, status }) => {
      // Prepare
      state.h.platform.config.adminPrincipals = ['ops@contoso.com'];

      // Act
      const response = await call(
        start('plain'),
        post('/api/cleanup/runs', body, headers as Record<string, string>),
      );

      // Assess
      expect(response).toMatchObject({
        status,
        headers: { 'content-type': 'application/problem+json' },
        jsonBody: { status, instance: '/api/cleanup/runs' },
      });
      expect(state.h.requests.peek()).toEqual([]);
    },
  );
});

describe('approveCleanupRun', () => {
  /** A run the breaker blocked, started by `ops`. */
  async function blockedRun(): Promise<string> {
    state.h = cleanupHarness({ policy: { maxDeletes: 1 } });
    state.h.platform.config.cleanup.maxDeletes = 1;
    state.h.platform.config.cleanup.subscriptions = [SUB];
    state.h.groups.seed(
      { name: 'sbx-1', tags: sandboxTags(-1) },
      { name: 'sbx-2', tags: sandboxTags(-1) },
    );
    const started = await call(
      start('plain'),
      post('/api/cleanup/runs', '{"dryRun":false}', signedIn('ops')),
    );
    await state.h.drain();
    return (started.jsonBody as { runId: string }).runId;
  }
  const approveAs = (runId: string, who: Parameters<typeof signedIn>[0]) =>
    call(
      approve('plain'),
      post(`/api/cleanup/runs/${runId}/approve`, '', signedIn(who), { id: runId }),
    );

  it('lets an approver approve a plan someone else started', async () => {
    // Prepare
    const runId = await blockedRun();

    // Act
    const response = await approveAs(runId, 'approver');

    // Assess
    expect(response).toMatchObject({
      status: 202,
      jsonBody: { runId, status: 'applying', approvedBy: 'approver@contoso.com' },
    });
  });

  it.each([
    { description: 'the admin who started it', who: 'ops' as const, status: 403 },
    { description: 'a plain user', who: 'ana' as const, status: 403 },
  ])('refuses $description with $status', async ({ who, status }) => {
    // Prepare
    const runId = await blockedRun();

    // Act
    const response = await approveAs(runId, who);

    // Assess
    expect(response.status).toBe(status);
    expect(await state.h.read.run(runId)).toMatchObject({ status: 'blocked' });
  });
});
