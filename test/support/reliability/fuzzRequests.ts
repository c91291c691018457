/**
 * Arbitrary HTTP requests against an app's routes: a route (or a path near one), a method,
 * path parameters from the names the test knows and from awkward strings, a query string,
 * headers, a principal, and a body that fits the route's schema, nearly fits it, or is junk,
 * empty, huge, deeply nested or not JSON at all.
 */
import fc from 'fast-check';
import type { AppRoute } from './appRoutes.js';
import {
  anyJson,
  awkwardString,
  fitting,
  type JsonSchema,
  nearlyFitting,
} from './jsonSchemaArbitrary.js';

export type FuzzBody =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; hex: string }
  | { kind: 'huge'; bytes: number }
  | { kind: 'deep'; depth: number };

/** One request, as plain data: printable, and replayable from a failure report. */
export interface FuzzRequest {
  route: string | undefined;
  method: string;
  /** Path and query, percent-encoded, as sent. */
  url: string;
  principal: number;
  headers: Record<string, string>;
  body: FuzzBody;
}

export interface FuzzModel {
  routes: readonly AppRoute[];
  /** A body schema per function name; other routes get arbitrary JSON. */
  bodySchemas: Readonly<Record<string, JsonSchema>>;
  /** Per function name, arbitraries for top-level body properties the schema cannot know. */
  bodyOverrides?: Readonly<Record<string, Record<string, fc.Arbitrary<unknown>>>>;
  /** Values the test knows exist (sandbox names, operation and run ids): path parameters and query values. */
  knownValues: readonly string[];
  /** How many principals there are; the first `validPrincipals` of them hold real tokens. */
  principals: number;
  validPrincipals: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Header values fetch can send: visible ASCII and spaces. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim()),
  fc.constantFrom('x'.repeat(2_000), '0', '-1', 'null', '{}', 'true'),
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/JSON',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  'json',
  '',
);

function segment(known: readonly string[]): fc.Arbitrary<string> {
  const value = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(known.length > 0 ? known : ['x'])) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 1,
      arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    },
    { weight: 2, arbitrary: awkwardString.map((s) => s.slice(0, 400)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(known[0] ? known[0].toUpperCase() : 'X', '.', '..', '%2e%2e'),
    },
  );
  return value.map((s) => {
    // Percent-encode what a path segment cannot hold, keep a few encodings as given.
    if (/^%[0-9a-f]{2}/i.test(s)) return s;
    try {
      return encodeURIComponent(s);
    } catch {
      return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '?'));
    }
  });
}

function pathFor(route: AppRoute, known: readonly string[]): fc.Arbitrary<string> {
  const parts = route.template.split('/').filter(Boolean);
  const exact = fc
    .tuple(
      ...parts.map((part) =>
        /^\{.*\?\}$/.test(part)
          ? fc.option(segment(known), { nil: '' })
          : /^\{.*\}$/.test(part)
            ? segment(known)
            : fc.constant(part),
      ),
    )
    .map((values) => `/${values.filter((v) => v !== '').join('/')}`);
  return fc.oneof(
    { weight: 20, arbitrary: exact },
    { weight: 1, arbitrary: exact.map((p) => `${p}/`) },
    { weight: 1, arbitrary: exact.map((p) => p.toUpperCase()) },
    { weight: 1, arbitrary: fc.tuple(exact, segment(known)).map(([p, s]) => `${p}/${s}`) },
    { weight: 1, arbitrary: exact.map((p) => p.replace(/\/([^/]*)$/, '//$1')) },
  );
}

const query = (known: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 2,
      arbitrary: fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('owner', 'format', 'code', 'dryRun', 'api-version', 'top', '$filter'),
              fc.string({ maxLength: 10 }),
            ),
            fc.oneof(
              fc.constantFrom('markdown', 'json', 'true', '', ...known),
              awkwardString.map((s) => s.slice(0, 200)),
            ),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((pairs) => {
          const params = new URLSearchParams();
          for (const [k, v] of pairs) params.append(k, v.replace(/[\ud800-\udfff]/g, '?'));
          return `?${params}`;
        }),
    },
  );

function bodyFor(model: FuzzModel, route: AppRoute | undefined): fc.Arbitrary<FuzzBody> {
  const schema = route ? model.bodySchemas[route.name] : undefined;
  const overrides = (route && model.bodyOverrides?.[route.name]) || {};
  const json = schema
    ? fc.oneof(
        { weight: 2, arbitrary: fitting(schema, overrides) },
        { weight: 3, arbitrary: nearlyFitting(schema, overrides) },
      )
    : anyJson();
  return fc.oneof(
    { weight: 14, arbitrary: json.map((value) => ({ kind: 'json' as const, value })) },
    { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom(
            '{',
            '{"a":',
            '[1,]',
            'null',
            '""',
            '{"name":"x"}}',
            '\ufeff{}',
            'NaN',
            '1e999',
          ),
        )
        .map((text) => ({ kind: 'text' as const, text })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 64 })
        .map((b) => ({ kind: 'bytes' as const, hex: Buffer.from(b).toString('hex') })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(65_537, 70_000, 1_048_576, 8_388_608)
        .map((bytes) => ({ kind: 'huge' as const, bytes })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(64, 5_000, 20_000)
        .map((depth) => ({ kind: 'deep' as const, depth })),
    },
  );
}

/**
 * Requests against `model.routes`, mostly on a route with one of its methods.
 *
 * @example
 * const requests = fc.sample(fuzzRequests(model), { numRuns: 300, seed: 42 });
 */
export function fuzzRequests(model: FuzzModel): fc.Arbitrary<FuzzRequest> {
  const known = model.knownValues;
  const onRoute = fc.constantFrom(...model.routes).chain((route) =>
    fc.record({
      route: fc.constant(route.name),
      method: fc.oneof(
        {
          weight: 12,
          arbitrary: fc.constantFrom(...(route.methods.length ? route.methods : METHODS)),
        },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      path: pathFor(route, known),
      body: bodyFor(model, route),
    }),
  );
  const offRoute = fc.record({
    route: fc.constant(undefined),
    method: fc.constantFrom(...METHODS),
    path: fc
      .array(segment(known), { minLength: 0, maxLength: 4 })
      .map((parts) => `/api/${parts.join('/')}`),
    body: bodyFor(model, undefined),
  });
  return fc
    .record({
      target: fc.oneof({ weight: 15, arbitrary: onRoute }, { weight: 1, arbitrary: offRoute }),
      query: query(known),
      principal: fc.oneof(
        { weight: 4, arbitrary: fc.nat({ max: model.validPrincipals - 1 }) },
        {
          weight: 1,
          arbitrary: fc.integer({ min: model.validPrincipals, max: model.principals - 1 }),
        },
      ),
      contentType: fc.option(contentTypes, { freq: 4 }),
      idempotencyKey: fc.option(
        fc.oneof(fc.constantFrom('fuzz-1', 'fuzz-2', '', ' ', 'k'.repeat(300)), headerValue),
        { freq: 3 },
      ),
      extra: fc.dictionary(
        fc.constantFrom(
          'accept',
          'x-ms-client-request-id',
          'if-match',
          'traceparent',
          'x-forwarded-for',
          'prefer',
          'x-custom',
        ),
        headerValue,
        { maxKeys: 2 },
      ),
    })
    .map(({ target, query, principal, contentType, idempotencyKey, extra }) => {
      const headers: Record<string, string> = { ...extra };
      const sendsBody = target.method !== 'GET' && target.method !== 'HEAD';
      if (contentType !== null && contentType !== '') headers['content-type'] = contentType;
      else if (contentType === null && sendsBody && target.body.kind !== 'none')
        headers['content-type'] = 'application/json';
      if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
      return {
        route: target.route,
        method: target.method,
        url: `${target.path}${query}`,
        principal,
        headers,
        body: sendsBody ? target.body : { kind: 'none' as const },
      };
    });
}

/** The bytes a body spec stands for; undefined for none. */
export function bodyBytes(body: FuzzBody): Buffer | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return Buffer.from(JSON.stringify(body.value) ?? 'null');
    case 'text':
      return Buffer.from(body.text);
    case 'bytes':
      return Buffer.from(body.hex, 'hex');
    case 'huge':
      return Buffer.from(JSON.stringify({ name: 'huge', padding: 'x'.repeat(body.bytes) }));
    case 'deep':
      return Buffer.from(`${'['.repeat(body.depth)}${']'.repeat(body.depth)}`);
  }
}
