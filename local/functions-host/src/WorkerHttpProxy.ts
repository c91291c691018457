import { randomUUID } from 'node:crypto';
import {
  Agent,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from 'node:http';
import type { BindingIO } from './BindingIO.js';
import type { RpcInvocationResponse, RpcParameterBinding } from './coreContract.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import type { HostLogger } from './HostLogger.js';
import type { HttpRoute } from './HttpListener.js';
import { headersOf, httpTriggerMetadata, queryOf, toRpcHttpData } from './rpcHttp.js';

/** The header that ties a forwarded request to its invocation, as the real host names it. */
export const invocationIdHeader = 'x-ms-invocation-id';

/** Hop-by-hop headers (RFC 9110 §7.6.1), which a proxy does not pass on in either direction. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The request headers passed to the worker's proxy, as the real host's forwarder (YARP) passes
 * them: the client's headers less hop-by-hop ones and `Host`, plus `X-Forwarded-For/Host/Proto`
 * (from which `@azure/functions` rebuilds the request URL) and the invocation id.
 */
export function forwardedRequestHeaders(req: IncomingMessage, invocationId: string) {
  const headers: OutgoingHttpHeaders = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (hopByHop.has(name) || name === 'host' || name === invocationIdHeader) continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = raw[i + 1]!;
    else if (Array.isArray(existing)) existing.push(raw[i + 1]!);
    else headers[name] = [String(existing), raw[i + 1]!];
  }
  const client = req.socket.remoteAddress ?? '';
  const forwardedFor = req.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${forwardedFor}, ${client}` : client;
  headers['x-forwarded-host'] =
    req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
  headers['x-forwarded-proto'] = 'http';
  headers[invocationIdHeader] = invocationId;
  return headers;
}

/** The worker's response headers as the client gets them: all but hop-by-hop ones. */
export function forwardedResponseHeaders(proxyRes: IncomingMessage): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const raw = proxyRes.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (hopByHop.has(name)) continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = name === 'set-cookie' ? [raw[i + 1]!] : raw[i + 1]!;
    else if (Array.isArray(existing)) existing.push(raw[i + 1]!);
    else headers[name] = [String(existing), raw[i + 1]!];
  }
  return headers;
}

export interface WorkerHttpProxyOptions {
  /** The worker's `HttpUri` capability, e.g. `http://localhost:55001/`. */
  httpUri: string;
  invoker: FunctionInvoker;
  bindings: BindingIO;
  logger: HostLogger;
}

interface Forward {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  route: HttpRoute;
  params: Record<string, string>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * HTTP streams as the real host runs them for a worker that reports `HttpUri`: each HTTP
 * request is forwarded to the worker's own HTTP server, tagged with `x-ms-invocation-id`, while
 * the invocation is sent without a body; the worker answers on that forwarded request. Bodies
 * stream both ways with backpressure and are never held whole.
 */
export class WorkerHttpProxy {
  readonly #o: WorkerHttpProxyOptions;
  readonly #target: URL;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(options: WorkerHttpProxyOptions) {
    this.#o = options;
    this.#target = new URL(options.httpUri);
  }

  /** Closes the pooled connections to the worker. */
  close(): void {
    this.#agent.destroy();
  }

  async forward({ req, res, url, method, route, params }: Forward): Promise<void> {
    const { invoker, bindings, logger } = this.#o;
    const { fn, triggerName } = route;
    const invocationId = randomUUID();
    const headers = headersOf(req);
    const query = queryOf(url.searchParams);
    const http = toRpcHttpData({
      method,
      url: url.toString(),
      headers,
      query,
      params,
      body: Buffer.alloc(0),
    });
    // The body is the worker's to read: binding data comes from the route, query and headers.
    const bindingData: Record<string, unknown> = { ...params, Query: query, Headers: headers };
    let extraInputs: RpcParameterBinding[] = [];
    if (route.hasStorageBindings) {
      try {
        extraInputs = await bindings.readInputs(fn, bindingData);
      } catch (error) {
        logger.error(`Function.${fn.metadata.name}`, `Binding failed: ${(error as Error).message}`);
        res.writeHead(500, { 'content-length': 0 }).end();
        return;
      }
    }
    const exchange = new ProxiedExchange(req, res, logger, fn.metadata.name);
    exchange.start(
      new URL(`${url.pathname}${url.search}`, this.#target),
      invocationId,
      this.#agent,
    );
    const outcome = await invoker.invoke({
      fn,
      invocationId,
      reason: 'This function was programmatically called via the host APIs.',
      inputData: [{ name: triggerName, data: { http } }, ...extraInputs],
      triggerMetadata: httpTriggerMetadata(http, new Date()),
      traceParent: headers.traceparent,
      ...(route.hasStorageBindings
        ? {
            writeOutputs: (response: RpcInvocationResponse) =>
              bindings.writeOutputs(fn, response, bindingData),
          }
        : {}),
    });
    await exchange.settle(outcome.error);
  }
}

/** One client request and the request forwarded for it to the worker. */
class ProxiedExchange {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #logger: HostLogger;
  readonly #functionName: string;
  #upstream?: ClientRequest;
  /** Resolves once the forwarded request's head has reached the worker's socket. */
  #delivered: Promise<void> = Promise.resolve();
  #responseStarted = false;
  #clientGone = false;
  #aborting = false;
  readonly #finished: Promise<void>;

  constructor(req: IncomingMessage, res: ServerResponse, logger: HostLogger, functionName: string) {
    this.#req = req;
    this.#res = res;
    this.#logger = logger;
    this.#functionName = functionName;
    this.#finished = new Promise((resolve) => res.once('close', () => resolve()));
    res.once('close', () => {
      if (res.writableFinished) return;
      this.#clientGone = true;
      logger.info(
        `Function.${functionName}`,
        'The client disconnected while the function was processing the request.',
      );
      void this.#abortUpstream();
    });
  }

  start(target: URL, invocationId: string, agent: Agent): void {
    const upstream = request(target, {
      method: this.#req.method,
      headers: forwardedRequestHeaders(this.#req, invocationId),
      agent,
    });
    this.#upstream = upstream;
    upstream.flushHeaders();
    this.#delivered = new Promise((resolve) => {
      upstream.once('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => setImmediate(resolve));
        else setImmediate(resolve);
      });
    });
    upstream.on('response', (proxyRes) => this.#relay(proxyRes));
    upstream.on('error', (error) => {
      if (this.#aborting || this.#clientGone) return;
      this.#logger.error(
        `Function.${this.#functionName}`,
        `Failed to proxy the request to the worker: ${error.message}`,
      );
      if (!this.#responseStarted) this.#answer(502);
      else this.#res.destroy(error);
    });
    // pipe, not pipeline: a client that goes away must not tear the forwarded request down
    // before the worker has it, or its invocation would wait for that request forever.
    this.#req.pipe(upstream);
    this.#req.once('error', () => void this.#abortUpstream());
  }

  #relay(proxyRes: IncomingMessage): void {
    if (this.#clientGone) {
      proxyRes.resume();
      return;
    }
    this.#responseStarted = true;
    this.#logger.flush();
    this.#res.writeHead(proxyRes.statusCode ?? 502, forwardedResponseHeaders(proxyRes));
    proxyRes.pipe(this.#res);
    proxyRes.once('error', (error) => this.#res.destroy(error));
    proxyRes.once('aborted', () => this.#res.destroy());
  }

  /** Ends the forwarded request once the worker has its head, so that its invocation starts. */
  async #abortUpstream(): Promise<void> {
    if (this.#aborting || !this.#upstream) return;
    this.#aborting = true;
    await this.#delivered;
    this.#upstream.destroy();
  }

  #answer(status: number): void {
    if (this.#clientGone || this.#res.headersSent) return;
    this.#logger.flush();
    this.#res.writeHead(status, { 'content-length': 0 }).end();
  }

  /**
   * Completes the client's response once the invocation is over. The worker writes its answer
   * before the invocation ends, so one turn of the loop is enough to see its head. Without one,
   * a failed invocation (an error, a timeout) answers 500. With one, the answer stands, as on
   * Azure, where it has reached the client before output bindings run; only a timeout cuts a
   * response still streaming short.
   */
  async settle(error: Error | undefined): Promise<void> {
    for (let turn = 0; turn < 2 && !this.#responseStarted && !this.#clientGone; turn++) {
      await nextTurn();
    }
    if (error) {
      if (!this.#responseStarted) {
        void this.#abortUpstream();
        this.#answer(500);
      } else if (error.name === 'FunctionTimeoutError' && !this.#res.writableFinished) {
        this.#res.destroy(error);
      }
    } else if (!this.#responseStarted && !this.#clientGone) {
      this.#logger.error(
        `Function.${this.#functionName}`,
        'The function completed without an HTTP response. With HTTP streams on, the real host waits for one until its proxy times out (240 s), then answers 504; this host answers 504 at once.',
      );
      void this.#abortUpstream();
      this.#answer(504);
    }
    await this.#finished;
  }
}
