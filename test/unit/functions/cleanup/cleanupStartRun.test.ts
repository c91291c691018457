import { HttpRequest, type HttpResponseInit, InvocationContext } from '@azure/functions';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminProof } from '../../../../functions/cleanup/adminRoutes.js';
import { startCleanupRun } from '../../../../functions/cleanup/cleanupStartRun.js';
import { httpHandler } from '../../../../shared/functions/httpFunction.js';
import { cleanupHarness } from '../../../support/cleanup/cleanupHarness.js';

const state: { h: ReturnType<typeof cleanupHarness> } = { h: cleanupHarness() };
const startCleanupRunHandler = (proof: AdminProof) =>
  httpHandler(startCleanupRun(proof), async () => state.h.platform);

const principal = (name: string) =>
  Buffer.from(
    JSON.stringify({
      identityProvider: 'aad',
      userId: `id-${name}`,
      userDetails: name,
      userRoles: [],
    }),
  ).toString('base64');
const post = (body: string, headers: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/cleanup/runs',
    body: { string: body },
    headers: body === '' ? headers : { 'content-type': 'application/json', ...headers },
  });

describe('startCleanupRunHandler', () => {
  beforeEach(() => {
    state.h = cleanupHarness();
    state.h.platform.config.adminPrincipals = ['ana@contoso.com'];
    state.h.platform.config.cleanup.subscriptions = ['sub-1'];
  });

  it.each([
    {
      description: 'a dry run by default',
      proof: 'admin-key' as const,
      body: '',
      mode: 'dry-run',
      by: 'admin-key',
    },
    {
      description: 'an apply run',
      proof: 'admin-key' as const,
      body: '{"dryRun":false}',
      mode: 'apply',
      by: 'admin-key',
    },
    {
      description: 'a run for an admin principal',
      proof: 'principal' as const,
      body: '{"dryRun":true}',
      headers: { 'x-ms-client-principal': principal('ana@contoso.com') },
      mode: 'dry-run',
      by: 'ana@contoso.com',
    },
  ])('answers 202 with the run id for $description', async ({ proof, body, headers, mode, by }) => {
    // Act
    const response = (await startCleanupRunHandler(proof)(
      post(body, headers),
      new InvocationContext(),
    )) as HttpResponseInit;

    // Assess
    const runId = (response.jsonBody as { runId: string }).runId;
    expect(response).toMatchObject({
      status: 202,
      headers: { Location: `/api/cleanup/runs/${runId}` },
      jsonBody: { mode, status: 'queued' },
    });
    expect(state.h.requests.peek()).toEqual([{ kind: 'plan', runId }]);
    expect(await state.h.read.run(runId)).toMatchObject({
      requestedBy: by,
      subscriptions: ['sub-1'],
    });
  });

  it.each([
    {
      description: 'a malformed body',
      proof: 'admin-key' as const,
      body: '{"dryRun":"no"}',
      status: 400,
    },
    {
      description: 'no principal on the principal route',
      proof: 'principal' as const,
      body: '{}',
      status: 401,
    },
    {
      description: 'a principal who is not an admin',
      proof: 'principal' as const,
      body: '{}',
      headers: { 'x-ms-client-principal': principal('eve@contoso.com') },
      status: 403,
    },
  ])(
    'answers $status problem+json for $description, and queues nothing',
    async ({ proof, body, headers, status }) => {
      // Act
      const response = (await startCleanupRunHandler(proof)(
        post(body, headers),
        new InvocationContext(),
      )) as HttpResponseInit;

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
