/**
 * The API's description, served by the running app: a valid OpenAPI 3.1 document, public, that
 * covers every HTTP function the host mapped (read from the host's own startup lines, not from
 * the app's registry) with its errors and its sign-in. Every other end-to-end test holds the
 * answers it gets to this document (`stack.fetch`); this file also walks the routes the page and
 * the CLI use.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOperations } from '../../services/openapi/apiOperations.js';
import { openApiPath } from '../../services/openapi/buildOpenApiDocument.js';
import { leaseTags, seedGroups, startRun, waitForRun } from '../support/cleanup/cleanupE2e.js';
import { callApi, waitForOperation } from '../support/provision/e2eClient.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
// biome-ignore lint/suspicious/noExplicitAny: the document is read field by field
let document: any;

/** What the host mapped, from its `Mapped function route '…' [method] to '…'` lines. */
function mappedRoutes(logs: string): Array<{ route: string; method: string; name: string }> {
  return [...logs.matchAll(/Mapped function route '([^']*)' \[(\w+)\] to '(\w+)'/g)].map(
    ([, route, method, name]) => ({ route: route!, method: method!, name: name! }),
  );
}

beforeAll(async () => {
  stack = await startStack({ settings: { CLEANUP_MAX_DELETE_FRACTION: '1' } });
  document = await (await fetch(`${stack.hostUrl}/api/openapi.json`)).json();
});

afterAll(async () => {
  await stack?.stop();
});

describe('GET /api/openapi.json', () => {
  it('is served to anyone, without a key or a token', async () => {
    // Act
    const response = await stack.fetch('/api/openapi.json', { as: 'nobody', key: 'none' });

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    expect(await new Validator().validate(document)).toEqual({ valid: true });
  });

  it('describes every HTTP function the host mapped, by name, path and method', () => {
    // Prepare
    const mapped = mappedRoutes(stack.logs());

    // Act
    const missing = mapped.filter(
      ({ route, method, name }) =>
        document.paths[openApiPath(route)]?.[method.toLowerCase()]?.operationId !== name,
    );

    // Assess
    expect(mapped.map((r) => r.name)).toEqual(
      expect.arrayContaining(['createSandbox', 'cleanupGetRun', 'webPage', 'openApiDocument']),
    );
    expect(missing).toEqual([]);
  });

  it('describes each of them in its own words, and nothing the app does not serve', () => {
    const mapped = new Set(mappedRoutes(stack.logs()).map((r) => r.name));
    expect([...mapped].filter((name) => !(name in apiOperations))).toEqual([]);
    expect(Object.keys(apiOperations).filter((name) => !mapped.has(name))).toEqual([]);
  });

  it('asks for an Entra ID token on every route but the public ones', () => {
    const operations = Object.values(document.paths).flatMap((path) =>
      Object.values(path as Record<string, { operationId: string; security: unknown[] }>),
    );
    const open = operations.filter((o) => o.security.length === 0).map((o) => o.operationId);
    expect(open.sort()).toEqual([
      'clientConfig',
      'health',
      'openApiDocument',
      'webAsset',
      'webPage',
    ]);
    expect(document.components.securitySchemes.entra.flows.authorizationCode).toEqual({
      authorizationUrl: `${stack.settings.ENTRA_AUTHORITY}/oauth2/v2.0/authorize`,
      tokenUrl: `${stack.settings.ENTRA_AUTHORITY}/oauth2/v2.0/token`,
      scopes: {
        [`api://${stack.settings.ENTRA_API_CLIENT_ID}/access_as_user`]:
          'Act as the signed-in person.',
      },
    });
  });
});

describe('the routes the page and the CLI read, as documented', () => {
  it('tells who is calling', async () => {
    const { status, json } = await callApi(stack, '/api/me', { as: 'carol@contoso.com' });
    expect([status, json.name, json.roles]).toEqual([
      200,
      'carol@contoso.com',
      ['Sandbox.Approver'],
    ]);
  });

  it('lists the blueprints with their parameters, and the policy', async () => {
    const blueprints = await callApi(stack, '/api/blueprints', { as: 'ana@contoso.com' });
    const policy = await callApi(stack, '/api/policy', { as: 'ana@contoso.com' });
    expect(blueprints.json.value.map((b: { name: string }) => b.name)).toEqual([
      'empty',
      'mysql',
      'storage',
      'vm',
      'webapp',
    ]);
    expect(policy.json.maxTtlHours).toBe(168);
  });

  it('shows a sandbox’s resources and history to its owner', async () => {
    // Prepare
    const accepted = await callApi(stack, '/api/sandboxes', {
      as: 'ana@contoso.com',
      body: { name: 'ana-doc-1', location: 'westeurope', blueprint: 'storage' },
    });
    await waitForOperation(stack, accepted.json.operationId);
    await callApi(stack, '/api/sandboxes/ana-doc-1/extend', {
      as: 'ana@contoso.com',
      body: { ttlHours: 48 },
    });

    // Act
    const resources = await callApi(stack, '/api/sandboxes/ana-doc-1/resources', {
      as: 'ana@contoso.com',
    });
    const history = await callApi(stack, '/api/sandboxes/ana-doc-1/history', {
      as: 'ana@contoso.com',
    });

    // Assess
    expect(resources.json.value.map((r: { type: string }) => r.type)).toEqual([
      'Microsoft.Storage/storageAccounts',
    ]);
    expect(history.json.value.map((e: { action: string }) => e.action)).toEqual([
      'sandbox.extended',
      'operation.succeeded',
      'sandbox.requested',
    ]);
  });

  it('lists cleanup runs newest first, and reads the audit trail by day', async () => {
    // Prepare
    await seedGroups(stack, [{ name: 'sbx-doc-old', tags: leaseTags(-2) }]);
    const first = await startRun(stack, { dryRun: true });
    await waitForRun(stack, first);
    const second = await startRun(stack, { dryRun: false });
    await waitForRun(stack, second);

    // Act
    const runs = await callApi(stack, '/api/cleanup/runs?top=2', { as: 'carol@contoso.com' });
    const today = new Date().toISOString().slice(0, 10);
    const audit = await callApi(stack, `/api/audit?day=${today}&top=1`, {
      as: 'carol@contoso.com',
    });

    // Assess
    expect(runs.json.value.map((r: { runId: string }) => r.runId)).toEqual([second, first]);
    expect(audit.json).toMatchObject({ day: today, value: [expect.any(Object)] });
    expect(audit.json.total).toBeGreaterThan(1);
    expect(audit.json.nextLink).toBe(`/api/audit?day=${today}&top=1&skip=1`);
  });

  it('refuses a malformed query with the rule that failed', async () => {
    const { status, json } = await callApi(stack, '/api/audit?day=2026-13-45', {
      as: 'carol@contoso.com',
    });
    expect([status, json.errors]).toEqual([
      400,
      [{ pointer: '/day', detail: 'must be a real day', rule: 'day' }],
    ]);
  });
});
