/**
 * The one HTTP adapter. Every HTTP function is declared as an `HttpFunction` (route, methods,
 * how its body is read, who may call, its ports and a handler) and this module does the rest the
 * same way for all of them: the invocation's correlation and logger, the caller, the body
 * (content type, size, JSON), an admin check where asked, and any failure as problem+json. A
 * handler only maps a parsed request to a service call and the result to a response.
 */
import {
  app,
  type HttpHandler,
  type HttpMethod,
  type HttpRequest,
  type HttpResponseInit,
} from '@azure/functions';
import { type Caller, requireAdmin } from '../auth/Caller.js';
import { runWithCorrelation } from '../correlation.js';
import { callerFromRequest } from '../http/callerFromRequest.js';
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
  /** Who is calling (see `callerFromRequest`); always an admin when the function asks for one. */
  caller: Caller | undefined;
  ports: P;
  logger: Logger;
  /** The request's path, the `instance` of any problem it ends in. */
  path: string;
}

export interface HttpFunction<P> {
  name: string;
  route: string;
  methods: HttpMethod[];
  /** The host's key check: `function` (the default), `admin` (the master key) or `anonymous`. */
  authLevel?: 'anonymous' | 'function' | 'admin';
  /** How the body is read: not at all (the default), JSON, or JSON that may be absent. */
  body?: 'json' | 'optional-json';
  /** Only admins may call; the value says what needs an admin, for the 401/403 message. */
  adminOnly?: string;
  /** The feature's ports, from the platform and the invocation's logger; none, none built. */
  ports?: (platform: Platform, logger: Logger) => P;
  handle(call: HttpCall<P>): Promise<HttpResponseInit>;
}

/**
 * Declares an HTTP function; returns it unchanged, typed, for `registerHttpFunction` and tests.
 *
 * @example
 * export const getSandbox = httpFunction('getSandbox', { route: 'sandboxes/{name}',
 *   methods: ['GET'], ports: provisioningPorts,
 *   handle: async ({ params, ports }) => ({ jsonBody: await getSandboxView(ports, params.name!) }) });
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
  const authLevel = fn.authLevel ?? 'function';
  return (request, context) =>
    runWithCorrelation({ invocationId: context.invocationId }, async () => {
      const logger = createLogger(context);
      const path = new URL(request.url).pathname;
      try {
        const caller = callerFromRequest(request, authLevel);
        const body =
          fn.body === undefined
            ? undefined
            : await readJsonBody(request, { optional: fn.body === 'optional-json' });
        const platform = fn.ports || fn.adminOnly ? await getPlatform() : undefined;
        if (fn.adminOnly !== undefined) {
          requireAdmin(caller, platform!.config.adminPrincipals, fn.adminOnly);
        }
        return await fn.handle({
          request,
          params: request.params,
          query: request.query,
          body,
          caller,
          ports: (fn.ports ? fn.ports(platform!, logger) : undefined) as P,
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
  app.http(fn.name, {
    route: fn.route,
    methods: fn.methods,
    authLevel: fn.authLevel ?? 'function',
    handler: httpHandler(fn),
  });
}
