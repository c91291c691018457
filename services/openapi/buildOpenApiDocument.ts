/**
 * The API's OpenAPI 3.1 document, built from what is registered (every HTTP function's route,
 * methods and roles), what each operation is (`apiOperations`) and the zod schemas the API parses
 * and answers with (`apiSchemas`), turned into JSON Schema 2020-12 by `z.toJSONSchema`.
 */
import { z } from 'zod';
import type { RegisteredHttpRoute } from '../../shared/functions/httpFunction.js';
import type { BlueprintDescription } from '../provisioning/describeBlueprints.js';
import type { OperationDescription } from './apiOperations.js';
import { requestSchemas, responseSchemas } from './apiSchemas.js';

type Json = Record<string, unknown>;

export interface OpenApiOptions {
  /** The app's version, for `info.version`. */
  version: string;
  /** The Entra ID authority tokens come from. */
  authority: string;
  /** The delegated scope people sign in with, `api://…/access_as_user`. */
  scope: string;
  /** The API's application ID URI, for applications' `…/.default`. */
  audience: string;
  blueprints: readonly BlueprintDescription[];
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request is malformed: wrong shape, unknown field, bad parameter.',
  401: 'No token, or one that does not verify. Carries `WWW-Authenticate: Bearer`.',
  403: 'The token lacks the app role this needs, or the caller may not act on this.',
  404: 'No such thing, or not the caller’s to see.',
  409: 'The request contradicts the current state.',
  413: 'The body is larger than 64 KiB.',
  415: 'The body is not `application/json`.',
  422: 'A policy forbids it; each `errors[].rule` names the rule.',
  429: 'The caller sent more writes than its share. Carries `Retry-After`.',
  500: 'Unexpected; logged.',
  503: 'A dependency is busy or unavailable. Carries `Retry-After`.',
};

/**
 * The OpenAPI path of a route template: `/` plus its segments, with constraints dropped and
 * optional or catch-all segments left out (they may be absent).
 *
 * @example
 * openApiPath('api/sandboxes/{name}'); // '/api/sandboxes/{name}'
 * openApiPath('{page:regex(^index.html$)?}'); // '/'
 */
export function openApiPath(route: string): string {
  const segments = route
    .split('/')
    .filter((segment) => segment !== '')
    .flatMap((segment) => {
      const match = /^\{(\*?)(\w+)[^}]*?(\?)?\}$/.exec(segment);
      if (!match) return [segment];
      const [, catchAll, name, optional] = match;
      return catchAll || optional || segment.endsWith('?}') ? [] : [`{${name}}`];
    });
  return `/${segments.join('/')}`;
}

/** The JSON Schemas of a set of named zod schemas, referring to each other by component. */
function componentSchemas(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(
    Object.entries(generated).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [
      id,
      schema,
    ]),
  );
}

const componentName = (blueprint: string) =>
  `${blueprint.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Parameters`;

/** `SandboxRequest`, with each blueprint's `parameters` tied to its name (if/then). */
function sandboxRequestWithBlueprints(
  schema: Json,
  blueprints: readonly BlueprintDescription[],
): Json {
  const properties = { ...(schema.properties as Json) };
  properties.blueprint = {
    ...(properties.blueprint as Json),
    enum: blueprints.map((b) => b.name),
  };
  return {
    ...schema,
    properties,
    allOf: blueprints.map((b) => ({
      if: { properties: { blueprint: { const: b.name } }, required: ['blueprint'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords
      then: {
        properties: { parameters: { $ref: `#/components/schemas/${componentName(b.name)}` } },
      },
    })),
  };
}

function queryParameters(description: OperationDescription): Json[] {
  const fromSchema = description.query
    ? Object.entries(
        (
          z.toJSONSchema(description.query, { io: 'input', unrepresentable: 'any' }) as {
            properties?: Record<string, Json>;
            required?: string[];
          }
        ).properties ?? {},
      ).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      }))
    : [];
  const described = Object.entries(description.queryParameters ?? {}).map(([name, text]) => ({
    name,
    in: 'query',
    required: false,
    description: text,
    schema: { type: 'string' },
  }));
  return [...fromSchema, ...described];
}

function problemResponses(statuses: readonly number[]): Json {
  return Object.fromEntries(
    [...new Set(statuses)]
      .sort((a, b) => a - b)
      .map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]),
  );
}

function successResponses(description: OperationDescription): Json {
  return Object.fromEntries(
    Object.entries(description.responses).map(([status, response]) => {
      const content: Json = {};
      if (response.schema) {
        content['application/json'] = {
          schema: { $ref: `#/components/schemas/${response.schema}` },
        };
      }
      for (const [type, schema] of Object.entries(response.content ?? {})) {
        content[type] = { schema };
      }
      return [
        status,
        {
          description: response.description,
          ...(response.headers ? { headers: response.headers } : {}),
          ...(Object.keys(content).length > 0 ? { content } : {}),
        },
      ];
    }),
  );
}

function operationOf(
  route: RegisteredHttpRoute,
  method: string,
  description: OperationDescription | undefined,
  security: Json[],
): Json {
  const isPublic = route.roles === undefined;
  const d: OperationDescription = description ?? {
    summary: route.name,
    description: 'Not described yet.',
    tag: 'Service',
    responses: { 200: { description: 'Success.' } },
    problems: [],
  };
  const pathNames = [...openApiPath(route.route).matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...pathNames.map((name) => ({
      name,
      in: 'path',
      required: true,
      ...(d.path?.[name] ? { description: d.path[name] } : {}),
      schema: { type: 'string' },
    })),
    ...queryParameters(d),
    ...Object.entries(d.headers ?? {}).map(([name, header]) => ({
      name,
      in: 'header',
      required: false,
      ...header,
    })),
  ];
  const problems = isPublic
    ? [...d.problems, 500]
    : [...d.problems, 401, 403, 500, 503, ...(WRITES.has(method) ? [429] : [])];
  const roles = isPublic
    ? 'Anyone may call this; no token.'
    : `Needs a token with one of the app roles ${route.roles!.map((r) => `\`${r}\``).join(', ')}.`;
  return {
    operationId: route.name,
    summary: d.summary,
    description: [d.description, roles].filter(Boolean).join('\n\n'),
    tags: [d.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(d.requestBody
      ? {
          requestBody: {
            required: d.requestBody.required,
            content: {
              'application/json': {
                schema: { $ref: `#/components/schemas/${d.requestBody.schema}` },
              },
            },
          },
        }
      : {}),
    responses: { ...successResponses(d), ...problemResponses(problems) },
    security: isPublic ? [] : security,
    ...(isPublic ? {} : { 'x-app-roles': route.roles }),
    ...(d.deprecated ? { deprecated: true } : {}),
  };
}

/**
 * The document for the registered routes.
 *
 * @example
 * const document = buildOpenApiDocument(registeredHttpRoutes(), apiOperations, { version, authority, scope, audience, blueprints });
 * document.paths['/api/sandboxes'].post.operationId; // 'createSandbox'
 */
export function buildOpenApiDocument(
  routes: readonly RegisteredHttpRoute[],
  operations: Readonly<Record<string, OperationDescription>>,
  options: OpenApiOptions,
): Json {
  const security = [{ entra: [options.scope] }, { bearer: [] }];
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = openApiPath(route.route);
    for (const method of route.methods) {
      paths[path] = {
        ...paths[path],
        [method.toLowerCase()]: operationOf(route, method, operations[route.name], security),
      };
    }
  }
  const requests = componentSchemas(requestSchemas, 'input');
  const responses = componentSchemas(responseSchemas, 'output');
  const blueprintSchemas = Object.fromEntries(
    options.blueprints.map((b) => [
      componentName(b.name),
      { description: `The parameters of the \`${b.name}\` blueprint.`, ...b.parameters },
    ]),
  );
  const problemHeaders = (status: number) =>
    status === 401
      ? {
          'WWW-Authenticate': {
            description: 'How to authenticate (RFC 6750).',
            schema: { type: 'string' },
          },
        }
      : status === 429 || status === 503
        ? { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } }
        : undefined;
  const tokenUrl = `${options.authority}/oauth2/v2.0/token`;
  return {
    openapi: '3.1.0',
    info: {
      title: 'sandbox-automation',
      version: options.version,
      description:
        'Leased Azure sandboxes (resource groups) on request, and their safe cleanup. Every ' +
        'error is `application/problem+json` (RFC 9457). Every route but the public ones takes ' +
        'an Entra ID access token for the API; app roles decide what a caller may do.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Sandboxes', description: 'Request, read, extend and delete sandboxes.' },
      { name: 'Operations', description: 'Follow long-running work.' },
      { name: 'Cleanup', description: 'Plan, approve and follow cleanup runs.' },
      { name: 'Power', description: 'What the VM power schedules stopped and started.' },
      { name: 'Audit', description: 'The audit trail.' },
      { name: 'Service', description: 'Liveness and how to sign in.' },
      { name: 'Page', description: 'The web page and its files.' },
    ],
    paths,
    components: {
      schemas: {
        ...requests,
        SandboxRequest: sandboxRequestWithBlueprints(
          requests.SandboxRequest as Json,
          options.blueprints,
        ),
        ...blueprintSchemas,
        ...responses,
      },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_TITLES).map(([status, description]) => {
          const headers = problemHeaders(Number(status));
          return [
            `Problem${status}`,
            {
              description,
              ...(headers ? { headers } : {}),
              content: {
                'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
              },
            },
          ];
        }),
      ),
      securitySchemes: {
        entra: {
          type: 'oauth2',
          description:
            'Entra ID: people sign in (authorization code with PKCE) for the delegated scope; ' +
            'applications (service principals, managed identities) use client credentials and ' +
            'hold app roles.',
          flows: {
            authorizationCode: {
              authorizationUrl: `${options.authority}/oauth2/v2.0/authorize`,
              tokenUrl,
              scopes: { [options.scope]: 'Act as the signed-in person.' },
            },
            clientCredentials: {
              tokenUrl,
              scopes: { [`${options.audience}/.default`]: 'The app roles granted to the caller.' },
            },
          },
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An Entra ID access token whose audience is the API.',
        },
      },
    },
  };
}
