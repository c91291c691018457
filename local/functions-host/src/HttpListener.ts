import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorizeRequest, type HostKeys, presentedKey } from './authorizeRequest.js';
import type { BindingIO } from './BindingIO.js';
import {
  type CompiledRoute,
  compareRoutePrecedence,
  compileRouteTemplate,
} from './compileRouteTemplate.js';
import type { RpcInvocationResponse, RpcTypedData } from './coreContract.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import type { RegisteredFunction } from './FunctionRegistry.js';
import type { FunctionMetadataResponse } from './functionMetadataResponse.js';
import type { HostLogger } from './HostLogger.js';
import { readRequestBody } from './readRequestBody.js';
import {
  fromRpcHttpResponse,
  headersOf,
  httpTriggerMetadata,
  queryOf,
  toRpcHttpData,
} from './rpcHttp.js';
import type { WorkerHttpProxy } from './WorkerHttpProxy.js';

export interface HttpRoute {
  fn: RegisteredFunction;
  triggerName: string;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
  /** Whether the function has bindings that read or write storage (and so need binding data). */
  hasStorageBindings: boolean;
}

/** Builds the route table for a function's `httpTrigger` binding. */
export function httpRouteFor(fn: RegisteredFunction, triggerName: string): HttpRoute {
  const binding = fn.metadata.bindings[triggerName]!;
  const methods = Array.isArray(binding.methods)
    ? binding.methods.map((m) => String(m).toUpperCase())
    : [];
  return {
    fn,
    triggerName,
    route: compileRouteTemplate(
      typeof binding.route === 'string' && binding.route !== '' ? binding.route : fn.metadata.name,
    ),
    methods: new Set(methods),
    authLevel: typeof binding.authLevel === 'string' ? binding.authLevel : 'function',
    hasStorageBindings: Object.values(fn.metadata.bindings).some(
      (b) => b.type !== 'http' && b.type !== 'httpTrigger',
    ),
  };
}

export interface HttpListenerOptions {
  routes: HttpRoute[];
  routePrefix: string;
  keys: HostKeys;
  invoker: FunctionInvoker;
  bindings: BindingIO;
  logger: HostLogger;
  /** Runs a non-HTTP function on demand (admin API); false when no such function exists. */
  invokeByName(name: string, input: string | undefined): boolean;
  /** Extra admin status fields. */
  status(): Record<string, unknown>;
  /** Every function of the app, disabled ones too, for `GET /admin/functions[/{name}]`. */
  describeFunctions(baseUrl: string): FunctionMetadataResponse[];
  /**
   * The worker's HTTP proxy, when the app turned HTTP streams on (the `HttpUri` capability):
   * HTTP triggers are then forwarded to it and streamed both ways, as the real host does.
   */
  workerProxy?: WorkerHttpProxy;
}

/** Answers with a whole body and its length (the real host does not chunk a buffered body). */
function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]> = {},
  body?: Buffer | string,
) {
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  res.setHeader('content-length', body === undefined ? 0 : Buffer.byteLength(body));
  res.end(body);
}

const invocationReason = 'This function was programmatically called via the host APIs.';

/**
 * The host's HTTP front door: `/<routePrefix>/<route>` for HTTP triggers (route templates,
 * methods, key authorization) and `/admin/...` for the admin API. Anything else is 404 with
 * an empty body.
 */
export class HttpListener {
  readonly #o: HttpListenerOptions;
  readonly #routes: HttpRoute[];
  readonly #server: Server;
  readonly #active = new Set<Promise<void>>();
  #draining = false;

  constructor(options: HttpListenerOptions) {
    this.#o = options;
    this.#routes = [...options.routes].sort((a, b) => compareRoutePrecedence(a.route, b.route));
    this.#server = createServer((req, res) => {
      const handling = this.#handle(req, res).catch((error: Error) => {
        options.logger.error(
          'Host.Http',
          `Unhandled error serving ${req.method} ${req.url}: ${error.stack}`,
        );
        if (!res.headersSent) send(res, 500);
        else res.destroy();
      });
      this.#active.add(handling);
      void handling.finally(() => this.#active.delete(handling));
    });
    this.#server.keepAliveTimeout = 5_000;
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** Stops accepting connections; requests in progress may finish. */
  async close(): Promise<void> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    await closed;
  }

  /** Resolves once no request is being served (a stream may outlast its invocation), or false after `timeoutMs`. */
  async idle(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = (async () => {
      while (this.#active.size > 0) await Promise.allSettled([...this.#active]);
      return true as const;
    })();
    try {
      return await Promise.race([idle, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes connections that are still open after draining. */
  destroy(): void {
    this.#server.closeAllConnections();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.#draining) res.setHeader('connection', 'close');
    const url = requestUrl(req.url ?? '/', req.headers.host ?? '127.0.0.1');
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments[0]?.toLowerCase() === 'admin') {
      await this.#handleAdmin(req, res, url, segments.slice(1));
      return;
    }
    const prefix = this.#o.routePrefix;
    let path = url.pathname.replace(/^\/+/, '');
    if (prefix !== '') {
      const lower = path.toLowerCase();
      const p = prefix.toLowerCase();
      if (lower !== p && !lower.startsWith(`${p}/`)) return send(res, 404);
      path = path.slice(prefix.length);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let matched: { route: HttpRoute; params: Record<string, string> } | undefined;
    for (const route of this.#routes) {
      if (route.methods.size > 0 && !route.methods.has(method)) continue;
      const params = route.route.match(path);
      if (params) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) return send(res, 404);
    const { route, params } = matched;
    if (route.authLevel.toLowerCase() !== 'anonymous') {
      // As presentedKey, without building a Headers object: Node joins repeated values alike.
      const header = req.headers['x-functions-key'];
      const key = typeof header === 'string' ? header : (url.searchParams.get('code') ?? undefined);
      if (!authorizeRequest(route.authLevel, key, this.#o.keys)) return send(res, 401);
    }
    if (this.#o.workerProxy) {
      await this.#o.workerProxy.forward({ req, res, url, method, route, params });
      return;
    }
    const body = await readRequestBody(req);
    const headers = headersOf(req);
    const query = queryOf(url.searchParams);
    const http = toRpcHttpData({ method, url: url.toString(), headers, query, params, body });
    const { fn, triggerName } = route;
    let bindingData: Record<string, unknown> = params;
    let extraInputs: Awaited<ReturnType<BindingIO['readInputs']>> = [];
    if (route.hasStorageBindings) {
      bindingData = { ...jsonObject(body), ...params, Query: query, Headers: headers };
      try {
        extraInputs = await this.#o.bindings.readInputs(fn, bindingData);
      } catch (error) {
        this.#o.logger.error(
          `Function.${fn.metadata.name}`,
          `Binding failed: ${(error as Error).message}`,
        );
        return send(res, 500);
      }
    }
    const outcome = await this.#o.invoker.invoke({
      fn,
      reason: invocationReason,
      inputData: [{ name: triggerName, data: { http } }, ...extraInputs],
      triggerMetadata: httpTriggerMetadata(http, new Date()),
      traceParent: headers.traceparent,
      ...(route.hasStorageBindings
        ? {
            writeOutputs: (response: RpcInvocationResponse) =>
              this.#o.bindings.writeOutputs(fn, response, bindingData),
          }
        : {}),
    });
    // The invocation's log lines go out before its answer: whoever got the answer finds them.
    this.#o.logger.flush();
    if (outcome.error) return send(res, 500);
    const data = httpOutputOf(fn, outcome.response);
    let response: ReturnType<typeof fromRpcHttpResponse>;
    try {
      response = fromRpcHttpResponse(data);
    } catch (error) {
      this.#o.logger.error(
        `Function.${fn.metadata.name}`,
        `The function's HTTP response could not be written: ${(error as Error).message}`,
      );
      return send(res, 500);
    }
    send(res, response.status, response.headers, response.body);
  }

  async #handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    segments: string[],
  ): Promise<void> {
    if (
      !authorizeRequest(
        'admin',
        presentedKey(new Headers(headersOf(req)), url.searchParams),
        this.#o.keys,
      )
    ) {
      return send(res, 401);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (segments[0] === 'host' && segments[1] === 'status' && method === 'GET') {
      return send(
        res,
        200,
        { 'content-type': 'application/json; charset=utf-8' },
        JSON.stringify({ state: 'Running', ...this.#o.status() }),
      );
    }
    if (segments[0] === 'functions' && segments.length <= 2 && method === 'GET') {
      const all = this.#o.describeFunctions(`http://${req.headers.host ?? '127.0.0.1'}`);
      const wanted = segments[1] === undefined ? undefined : decodeURIComponent(segments[1]);
      const answer =
        wanted === undefined ? all : all.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
      if (!answer) return send(res, 404);
      return send(
        res,
        200,
        { 'content-type': 'application/json; charset=utf-8' },
        JSON.stringify(answer),
      );
    }
    if (segments[0] === 'functions' && segments.length === 2 && method === 'POST') {
      const body = await readRequestBody(req);
      let input: string | undefined;
      if (body.length > 0) {
        const parsed = jsonObject(body);
        if (!parsed) return send(res, 400);
        input =
          typeof parsed.input === 'string'
            ? parsed.input
            : parsed.input === undefined
              ? undefined
              : JSON.stringify(parsed.input);
      }
      const accepted = this.#o.invokeByName(decodeURIComponent(segments[1]!), input);
      return send(res, accepted ? 202 : 404);
    }
    send(res, 404);
  }
}

/** The function's `http` output: its return value or the named output binding. */
export function httpOutputOf(
  fn: RegisteredFunction,
  response: RpcInvocationResponse | undefined,
): RpcTypedData | null | undefined {
  for (const name in fn.metadata.bindings) {
    const binding = fn.metadata.bindings[name]!;
    if (binding.direction !== 'out' || binding.type !== 'http') continue;
    if (name === '$return') return response?.returnValue;
    return response?.outputData?.find((o) => o.name === name)?.data;
  }
  return undefined;
}

export function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL of a request from its target. An origin-form target is a path even when it starts with
 * `//` (`GET //x` asks for the path `//x`, not for the host `x`), so it is put after the host
 * rather than resolved as a reference; an absolute-form target (`GET http://h/x`) is taken as it is.
 */
function requestUrl(target: string, host: string): URL {
  return target.startsWith('/')
    ? new URL(`http://${host}${target}`)
    : new URL(target, `http://${host}`);
}
