/**
 * The one HTTP adapter. Every HTTP function is declared as an `HttpFunction` (route, methods,
 * how its body is read, which app roles may call, its ports and a handler) and this module does
 * the rest the same way for all of them: the invocation's correlation and logger, the caller
 * (proven by a verified token, before any handler runs), the role check, pacing each caller's
 * writes, the body (content type, size, JSON), and any failure as problem+json. A handler only
 * maps a parsed request to a service call and the result to a response.
 *
 * The host lets every request through (`authLevel: 'anonymous'`): the app authenticates each one
 * itself, as Microsoft recommends for Entra-protected functions. Function keys are no credential.
 */
import {
  app,
  type HttpHandler,
  type HttpMethod,
  type HttpRequest,
  type HttpResponseInit,
} from '@azure/functions';
import { TooManyRequestsError, UnauthorizedError } from '../apiErrors.js';
import { APP_ROLES, type Caller, requireRole } from '../auth/Caller.js';
import { runWithCorrelation } from '../correlation.js';
import { problemResponse } from '../http/problem.js';
import { readJsonBody } from '../http/readJsonBody.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { Platform, PlatformProvider } from '../platform/Platform.js';
import { processPlatform } from '../platform/processPlatform.js';

/** What a handler receives: the request, already read and checked. */
export interface HttpCall<P> {
  request: HttpRequest;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** The parsed JSON body (`undefined` when the function reads none, or an optional one is absent). */
  body: unknown;
  /** Who is calling, proven; holds one of the function's roles. */
  caller: Caller;
  ports: P;
  logger: Logger;
  /** The request's path, the `instance` of any problem it ends in. */
  path: string;
}

export interface HttpFunction<P> {
  name: string;
  route: string;
  methods: HttpMethod[];
  /** How the body is read: not at all (the default), JSON, or JSON that may be absent. */
  body?: 'json' | 'optional-json';
  /** The app roles that may call, any one of them. Default: `Sandbox.User` and `Sandbox.Admin`. */
  roles?: readonly string[];
  /** What the roles guard, in the plural, for the 403's message. Default: `Sandbox requests`. */
  purpose?: string;
  /** The feature's ports, from the platform and the invocation's logger. */
  ports: (platform: Platform, logger: Logger) => P;
  handle(call: HttpCall<P>): Promise<HttpResponseInit>;
}

/** The roles that act on sandboxes: their owners, and admins. */
export const SANDBOX_ROLES = [APP_ROLES.user, APP_ROLES.admin] as const;

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An HTTP function as it was registered: what the API's description is built from. */
export interface RegisteredHttpRoute {
  name: string;
  route: string;
  methods: readonly HttpMethod[];
  /** The app roles that may call, any one of them; absent for a function anyone may call. */
  roles?: readonly string[];
  /** How the body is read. */
  body?: 'json' | 'optional-json';
}

const registeredRoutes: RegisteredHttpRoute[] = [];

/**
 * Every HTTP function registered so far, in registration order.
 *
 * @example
 * registeredHttpRoutes().map((r) => r.name); // ['createSandbox', …, 'health']
 */
export function registeredHttpRoutes(): readonly RegisteredHttpRoute[] {
  return registeredRoutes;
}

/**
 * Declares an HTTP function; returns it, typed, for `registerHttpFunction` and tests.
 *
 * @example
 * export const getSandbox = httpFunction('getSandbox', { route: 'api/sandboxes/{name}',
 *   methods: ['GET'], ports: provisioningPorts,
 *   handle: async ({ params, caller, ports }) => ({ jsonBody: await readSandbox(ports, caller, params.name!) }) });
 */
export function httpFunction<P>(
  name: string,
  spec: Omit<HttpFunction<P>, 'name'>,
): HttpFunction<P> {
  return { name, ...spec };
}

/**
 * The handler the host calls for `fn`, over the given platform (the process's by default).
 *
 * @example
 * const response = await httpHandler(getSandbox, async () => fakePlatform)(request, context);
 */
export function httpHandler<P>(
  fn: HttpFunction<P>,
  getPlatform: PlatformProvider = processPlatform,
): HttpHandler {
  return (request, context) =>
    runWithCorrelation({ invocationId: context.invocationId }, async () => {
      const logger = createLogger(context);
      const path = new URL(request.url).pathname;
      try {
        const platform = await getPlatform();
        const caller = await platform.authenticator.authenticate(request);
        if (!caller) {
          throw new UnauthorizedError(
            'Sign in: send "Authorization: Bearer <token>" with a token Entra ID issued for this API.',
          );
        }
        requireRole(caller, fn.roles ?? SANDBOX_ROLES, fn.purpose ?? 'Sandbox requests');
        if (WRITES.has(request.method.toUpperCase())) {
          const { allowed, retryAfterMs } = platform.rateLimiter.take(caller.id);
          if (!allowed) {
            throw new TooManyRequestsError(
              `'${caller.name}' sent more writes than its share; slow down.`,
              retryAfterMs,
            );
          }
        }
        const body =
          fn.body === undefined
            ? undefined
            : await readJsonBody(request, { optional: fn.body === 'optional-json' });
        return await fn.handle({
          request,
          params: request.params,
          query: request.query,
          body,
          caller,
          ports: fn.ports(platform, logger.child({ caller: caller.id })),
          logger,
          path,
        });
      } catch (error) {
        return problemResponse(error, path, logger);
      }
    });
}

/**
 * Registers `fn` with the Functions host.
 *
 * @example
 * registerHttpFunction(getSandbox);
 */
export function registerHttpFunction<P>(fn: HttpFunction<P>): void {
  registeredRoutes.push({
    name: fn.name,
    route: fn.route,
    methods: fn.methods,
    roles: fn.roles ?? SANDBOX_ROLES,
    ...(fn.body ? { body: fn.body } : {}),
  });
  app.http(fn.name, {
    route: fn.route,
    methods: fn.methods,
    authLevel: 'anonymous',
    handler: httpHandler(fn),
  });
}

/** A function anyone may call, without a token: liveness, the API's description, the page. */
export interface PublicHttpFunction {
  name: string;
  route: string;
  methods: HttpMethod[];
  handle(request: HttpRequest): Promise<HttpResponseInit>;
}

/**
 * Registers a function anyone may call; failures still answer problem+json.
 *
 * @example
 * registerPublicHttpFunction({ name: 'health', route: 'api/health', methods: ['GET'], handle: async () => ({ jsonBody: { status: 'ok' } }) });
 */
export function registerPublicHttpFunction(fn: PublicHttpFunction): void {
  registeredRoutes.push({ name: fn.name, route: fn.route, methods: fn.methods });
  app.http(fn.name, {
    route: fn.route,
    methods: fn.methods,
    authLevel: 'anonymous',
    handler: publicHttpHandler(fn),
  });
}

/** The handler the host calls for a public function. */
export function publicHttpHandler(fn: PublicHttpFunction): HttpHandler {
  return (request, context) =>
    runWithCorrelation({ invocationId: context.invocationId }, async () => {
      try {
        return await fn.handle(request);
      } catch (error) {
        return problemResponse(error, new URL(request.url).pathname, createLogger(context));
      }
    });
}
