/**
 * HTTP fuzzing of every route of the app on the real local stack. The target is prepared with
 * some real state (sandboxes of several owners, a locked one, an expired one, a finished
 * operation, a finished dry run and a finished power run), then the host is restarted with its queue and timer
 * functions off, so that everything a request changes, it changes before it answers: the probe
 * reads ARM, the record blobs and every queue after each request, and whatever moved while the
 * app said no is a side effect of a rejected request.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { blueprints } from '../../../services/provisioning/blueprints/index.js';
import {
  extendRequestSchema,
  sandboxRequestSchema,
  updateSandboxRequestSchema,
} from '../../../services/provisioning/sandboxRequestSchema.js';
import { leaseTags, seedGroups, startRun, waitForRun } from '../cleanup/cleanupE2e.js';
import { ApiConformance } from '../openapi/ApiConformance.js';
import { runPowerTimer } from '../power/powerE2e.js';
import { callApi, waitForOperation } from '../provision/e2eClient.js';
import { TEST_SSH_KEY } from '../provision/fixtures.js';
import { type Stack, stackDirectory } from '../stack.js';
import { type AppRoute, listAppRoutes, routeMatches } from './appRoutes.js';
import { assessResponse } from './assessResponse.js';
import { bodyBytes, type FuzzModel, type FuzzRequest, fuzzRequests } from './fuzzRequests.js';
import { fitting, type JsonSchema, nearlyFitting } from './jsonSchemaArbitrary.js';
import { fuzzPrincipals, type Principal } from './principals.js';
import { type SideEffect, StateProbe } from './StateProbe.js';

export interface FuzzTarget {
  /** The app's own OpenAPI document, which every answer it documents must match. */
  conformance: ApiConformance;
  routes: AppRoute[];
  principals: Principal[];
  model: FuzzModel;
  /** Routes that answer a GET without any credential. */
  publicRoutes: Set<string>;
}

export interface FuzzFailure {
  index: number;
  request: FuzzRequest & { principalLabel: string };
  status: number;
  problems: string[];
  sideEffects: SideEffect[];
  body: string;
}

export interface FuzzFigures {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, number>;
  /** Requests the app answered itself (the rest were the host's 404 for no route). */
  reachedApp: number;
  /** Answers to an operation the OpenAPI document describes, each checked against it. */
  documented: number;
  fiveXx: number;
  rejected: number;
  /** Side effects of rejected requests. */
  sideEffects: number;
  /** Rejected requests that sent again an operation left queued for two minutes (by design). */
  strandedResends: number;
  failures: FuzzFailure[];
  durationMs: number;
}

const SCHEMA_OPTIONS = { io: 'input', unrepresentable: 'any' } as const;
const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, SCHEMA_OPTIONS) as JsonSchema;

/**
 * Seeds the stack, lists its routes and principals, and restarts the host with its queue and
 * timer functions off.
 */
export async function prepareFuzzTarget(stack: Stack): Promise<FuzzTarget> {
  const entra = await stack.arm.control.entra();
  const oid = (username: string) => entra.users.find((u) => u.username === username)!.objectId;
  const ana = oid('ana@contoso.com');
  const bob = oid('bob@contoso.com');
  await seedGroups(stack, [
    { name: 'fz-ana-1', tags: leaseTags(8, { 'sandbox-owner': ana }) },
    { name: 'fz-bob-1', tags: leaseTags(8, { 'sandbox-owner': bob }) },
    { name: 'fz-expired', tags: leaseTags(-2, { 'sandbox-owner': ana }) },
    { name: 'fz-locked', tags: leaseTags(8, { 'sandbox-owner': bob }), lock: 'CanNotDelete' },
    { name: 'team-shared', tags: { team: 'data' } },
  ]);
  const made = await callApi(stack, '/api/sandboxes', {
    as: 'ana@contoso.com',
    body: { name: 'fz-made', location: 'westeurope', blueprint: 'empty', ttlHours: 4 },
  });
  if (made.status !== 202) throw new Error(`seeding a sandbox answered ${made.status}`);
  await waitForOperation(stack, made.json.operationId);
  const runId = await startRun(stack, { dryRun: true });
  await waitForRun(stack, runId);
  const powerRunId = (await runPowerTimer(stack)).runId as string;

  const listed = (await (
    await stack.fetch('/admin/functions', { key: 'master', as: 'nobody' })
  ).json()) as Array<{ name: string; config: { bindings: Array<{ type?: string }> } }>;
  const background = listed.filter((f) =>
    f.config.bindings.some((b) => /^(queue|timer|blob)Trigger$/i.test(b.type ?? '')),
  );
  await stack.stopHost();
  await stack.startHost(
    Object.fromEntries(background.map((f) => [`AzureWebJobs.${f.name}.Disabled`, 'true'])),
  );

  const routes = await listAppRoutes(stack);
  const principals = await fuzzPrincipals(stack);
  const publicRoutes = new Set<string>();
  for (const route of routes) {
    if (route.parameters.some((p) => !p.endsWith('?')) || !route.methods.includes('GET')) continue;
    const path = route.template.replace(/\/\{[^}]*\?\}$/, '');
    const answer = await stack.fetch(path, { as: 'nobody', key: 'none' });
    if (answer.status < 300) publicRoutes.add(route.name);
  }
  const names = ['fz-ana-1', 'fz-bob-1', 'fz-expired', 'fz-locked', 'team-shared', 'fz-made'];
  const knownValues = [...names, made.json.operationId, runId, powerRunId, 'latest', ana, bob];
  const createSchema = toSchema(sandboxRequestSchema);
  const parameterSchemas = [...blueprints.values()].map((b) => toSchema(b.parameters));
  const createOverrides = {
    name: fc.oneof(
      fc.constantFrom(...names),
      fc.stringMatching(/^fz-[a-z0-9]{1,8}$/),
      fc.string({ maxLength: 100 }),
    ),
    location: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('westeurope', 'eastus', 'West Europe') },
      { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
    ),
    blueprint: fc.constantFrom(...blueprints.keys(), 'nope', 'VM'),
    owner: fc.constantFrom(ana, bob, 'bob@contoso.com', 'someone-else'),
    parameters: fc.oneof(
      ...parameterSchemas.map((schema) =>
        fc.oneof(
          // The vm blueprint's key pattern is hard to hit at random: a real key most of the time.
          fitting(schema).map((v) =>
            schema.properties?.sshPublicKey ? { ...(v as object), sshPublicKey: TEST_SSH_KEY } : v,
          ),
          nearlyFitting(schema),
        ),
      ),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
    ),
  };
  const cleanupRunSchema = toSchema(z.strictObject({ dryRun: z.boolean().optional() }));
  const model: FuzzModel = {
    routes,
    bodySchemas: {
      createSandbox: createSchema,
      extendSandbox: toSchema(extendRequestSchema),
      updateSandbox: toSchema(updateSandboxRequestSchema),
      cleanupStartRun: cleanupRunSchema,
      cleanupStartRunAsPrincipal: cleanupRunSchema,
    },
    bodyOverrides: { createSandbox: createOverrides },
    knownValues,
    principals: principals.length,
    // fuzzPrincipals lists everyone in the directory first, then the broken credentials.
    validPrincipals: stackDirectory.users.length + stackDirectory.servicePrincipals.length,
  };
  const document = await fetch(`${stack.hostUrl}/api/openapi.json`);
  if (!document.ok) throw new Error(`GET /api/openapi.json answered ${document.status}`);
  const conformance = new ApiConformance((await document.json()) as Record<string, unknown>);
  return { conformance, routes, principals, model, publicRoutes };
}

function isProvisionResend(
  effects: SideEffect[],
  messages: { queue: string; text: string }[],
  accepted: Set<string>,
): boolean {
  if (messages.length === 0) return false;
  const ids = new Set<string>();
  for (const m of messages) {
    const id = (JSON.parse(m.text) as { operationId?: string }).operationId;
    if (m.queue !== 'provision-requests' || !id || !accepted.has(id)) return false;
    ids.add(id);
  }
  return effects.every(
    (e) =>
      e.kind === 'queue-message' ||
      (e.kind === 'record' && [...ids].some((id) => e.detail === `changed operations/${id}.json`)),
  );
}

/**
 * Sends `runs` requests drawn with `seed`, one at a time, and checks each answer and what it
 * changed.
 *
 * @example
 * const figures = await runHttpFuzz(stack, await prepareFuzzTarget(stack), { runs: 300, seed: 1 });
 */
export async function runHttpFuzz(
  stack: Stack,
  target: FuzzTarget,
  options: { runs: number; seed: number; onProgress?: (done: number) => void },
): Promise<FuzzFigures> {
  const started = performance.now();
  const requests = fc.sample(fuzzRequests(target.model), {
    numRuns: options.runs,
    seed: options.seed,
  });
  const probe = new StateProbe(stack);
  const accepted = new Set<string>();
  const figures: FuzzFigures = {
    seed: options.seed,
    requests: 0,
    byStatus: {},
    byRoute: {},
    reachedApp: 0,
    documented: 0,
    fiveXx: 0,
    rejected: 0,
    sideEffects: 0,
    strandedResends: 0,
    failures: [],
    durationMs: 0,
  };
  let before = (await probe.observe()).snapshot;
  for (const [index, request] of requests.entries()) {
    const principal = target.principals[request.principal]!;
    const url = new URL(`${stack.hostUrl}${request.url}`);
    const body = bodyBytes(request.body);
    let status = 0;
    let text = '';
    let headers = new Headers();
    const problems: string[] = [];
    try {
      // Straight to the host: the request carries exactly the fuzzed credential and headers.
      const response = await fetch(url, {
        method: request.method,
        headers: { ...principal.headers, ...request.headers },
        ...(body ? { body: new Uint8Array(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      problems.push(`no answer: ${(error as Error).message}`);
    }
    const undocumented =
      status === 0
        ? undefined
        : target.conformance.check({
            method: request.method,
            path: url.pathname,
            status,
            contentType: headers.get('content-type'),
            body: text,
          });
    if (undocumented !== undefined) {
      figures.documented += 1;
      problems.push(...undocumented.map((p) => `not as the OpenAPI document says: ${p}`));
    }
    const { snapshot: after, messages } = await probe.observe();
    const route = target.routes.find((r) => r.name === request.route);
    figures.requests += 1;
    figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
    const routeKey = `${request.method} ${route?.template ?? '(no route)'}`;
    figures.byRoute[routeKey] = (figures.byRoute[routeKey] ?? 0) + 1;
    if (headers.get('content-type')) figures.reachedApp += 1;
    if (status >= 500) figures.fiveXx += 1;
    if (status >= 200 && status < 300 && headers.get('content-type')?.includes('json')) {
      const json = JSON.parse(text) as { operationId?: string };
      if (json.operationId) accepted.add(json.operationId);
    }
    if (status > 0) {
      problems.push(
        ...assessResponse(
          { status, headers, text },
          {
            method: request.method,
            path: url.pathname,
            validPrincipal: principal.valid,
            // Whichever route the path reached once its dot segments were resolved.
            publicRoute: target.routes.some(
              (r) => target.publicRoutes.has(r.name) && routeMatches(r, url.pathname),
            ),
          },
        ),
      );
    }
    const effects = [
      ...StateProbe.diff(before, after),
      ...messages.map(
        (m): SideEffect => ({ kind: 'queue-message', detail: `${m.queue}: ${m.text}` }),
      ),
    ];
    const rejected = status === 0 || status >= 400;
    let sideEffects: SideEffect[] = [];
    if (rejected) {
      figures.rejected += 1;
      if (effects.length > 0 && isProvisionResend(effects, messages, accepted)) {
        figures.strandedResends += 1;
      } else if (effects.length > 0) {
        sideEffects = effects;
        figures.sideEffects += effects.length;
        problems.push(
          `side effects of a rejected request: ${effects.map((e) => e.detail).join('; ')}`,
        );
      }
    }
    if (problems.length > 0) {
      figures.failures.push({
        index,
        request: { ...request, principalLabel: principal.label },
        status,
        problems,
        sideEffects,
        body: text.slice(0, 300),
      });
    }
    before = after;
    options.onProgress?.(index + 1);
  }
  figures.durationMs = Math.round(performance.now() - started);
  return figures;
}

/** The figures as lines for a person. */
export function describeFuzzFigures(f: FuzzFigures): string {
  const statuses = Object.entries(f.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s === '0' ? 'no answer' : s} × ${n}`)
    .join(', ');
  const routes = Object.entries(f.byRoute)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([r, n]) => `    ${r}: ${n}`)
    .join('\n');
  return [
    `HTTP fuzz (seed ${f.seed}): ${f.requests} requests in ${(f.durationMs / 1000).toFixed(1)} s`,
    `  by status: ${statuses}`,
    `  reached the app: ${f.reachedApp} (${f.documented} checked against the OpenAPI document); rejected: ${f.rejected}; 5xx: ${f.fiveXx}`,
    `  side effects of rejected requests: ${f.sideEffects}; stranded operations re-sent: ${f.strandedResends}`,
    `  failing requests: ${f.failures.length}`,
    '  by route:',
    routes,
  ].join('\n');
}
