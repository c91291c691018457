import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ArmError } from './ArmError.js';
import type { StateSnapshot } from './ArmState.js';
import { verifyAuthorization } from './accessTokens.js';
import { armErrors } from './armErrors.js';
import { type ArmRequest, type ArmResponse, splitPath } from './armRequest.js';
import { ensureCertificates } from './certificates.js';
import { EmulatorCore } from './EmulatorCore.js';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { TENANT_ID } from './EmulatorOptions.js';
import { AuthorizationCodes } from './entra/AuthorizationCodes.js';
import { DeviceCodes } from './entra/DeviceCodes.js';
import { describeLocalEntra, type LocalEntra } from './entra/describeLocalEntra.js';
import { handleEntraRequest } from './entra/handleEntraRequest.js';
import type { TokenService } from './entra/issueToken.js';
import { type SigningKeyMaterial, SigningKeys } from './entra/SigningKeys.js';
import { armOperationContextOf } from './events/armOperationContextOf.js';
import type { ArmOperationContext } from './events/resourceEvent.js';
import { handleControlRequest } from './handleControlRequest.js';
import { handleIdentityRequest } from './handleIdentityRequest.js';
import { authorizeArmRequest } from './rbac/authorizeArmRequest.js';
import type { RbacSnapshot } from './rbac/RbacState.js';
import { readRequestBody } from './readRequestBody.js';
import { routeArmRequest } from './routeArmRequest.js';
import { StateFile } from './StateFile.js';
import { requestKindOf } from './SubscriptionThrottle.js';

export interface RunningEmulator {
  /** `https://127.0.0.1:{port}`: ARM and the control API (`/_emulator/…`). */
  endpoint: string;
  /** `http://127.0.0.1:{identityPort}/msi/token`: set it as IDENTITY_ENDPOINT. */
  identityEndpoint: string;
  /** The secret for IDENTITY_HEADER. */
  identityHeader: string;
  caCertPath: string;
  /** The default subscription. */
  subscriptionId: string;
  subscriptions: string[];
  tenantId: string;
  /** The local Entra ID: its authority, the API's registration, test users and their passwords. */
  entra: LocalEntra;
  /** In-process access to state, clock and faults, for tests that need it. */
  core: EmulatorCore;
  close(): Promise<void>;
}

/** What the state file holds: ARM's records, role-based access control and the signing keys. */
type EmulatorSnapshot = StateSnapshot & {
  authorization?: RbacSnapshot;
  signingKeys?: SigningKeyMaterial[];
};

const MANAGEMENT_AUDIENCES = [
  'https://management.azure.com',
  'https://management.core.windows.net',
];

/**
 * Starts the ARM and managed-identity emulator: HTTPS for ARM, plain HTTP for the identity
 * endpoint (as App Service serves it), and HTTPS for the local Entra ID, all on 127.0.0.1.
 *
 * @example
 * const arm = await startEmulator({ port: 0, timeScale: 0.001 });
 * process.env.IDENTITY_ENDPOINT = arm.identityEndpoint;
 * process.env.IDENTITY_HEADER = arm.identityHeader;
 * new ResourceManagementClient(new DefaultAzureCredential(), arm.subscriptionId, { endpoint: arm.endpoint });
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const certDir = options.certDir ?? join(process.cwd(), '.local', 'certs');
  const certificates = await ensureCertificates(certDir);
  const core = new EmulatorCore(options, await SigningKeys.ensure(certDir));
  let identityHeader = options.identityHeader ?? randomBytes(16).toString('hex');
  let stateFile: StateFile | undefined;
  if (options.stateFile) {
    const snapshot = (await StateFile.load(options.stateFile)) as EmulatorSnapshot | undefined;
    if (snapshot) {
      core.state.restore(snapshot);
      core.rbac.restore(snapshot.authorization);
      core.signingKeys.restore(snapshot.signingKeys);
      core.clock.offset = snapshot.clockOffsetMs;
      if (!options.identityHeader && snapshot.identityHeader)
        identityHeader = snapshot.identityHeader;
    }
    const header = identityHeader;
    stateFile = new StateFile(
      options.stateFile,
      (): EmulatorSnapshot => ({
        ...core.state.snapshot(core.clock.offset, header),
        authorization: core.rbac.snapshot(),
        signingKeys: core.signingKeys.snapshot(),
      }),
    );
    await stateFile.persist();
  }
  const host = options.host ?? '127.0.0.1';
  const [key, cert] = await Promise.all([
    readFile(certificates.keyPath),
    readFile(certificates.certPath),
  ]);
  const audiences = new Set(MANAGEMENT_AUDIENCES);
  const completions = new OperationCompletions(core, stateFile);
  const arm = createHttpsServer({ key, cert }, (req, res) => {
    handleArm(core, audiences, stateFile, req, res)
      .catch((error: unknown) => {
        console.error('ARM emulator: unhandled error', error);
        if (!res.headersSent) res.writeHead(500).end();
      })
      .finally(() => completions.schedule());
  });
  completions.schedule();
  arm.keepAliveTimeout = 30_000;
  const identity = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = handleIdentityRequest(
      core,
      identityHeader,
      req.method ?? 'GET',
      url,
      req.headers,
    );
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  });
  const tokens: TokenService = {
    directory: core.directory,
    keys: core.signingKeys,
    nowMs: () => core.clock.now(),
    authority: '',
    armAudiences: audiences,
    refreshSecret: core.refreshSecret,
    codes: new AuthorizationCodes(),
    deviceCodes: new DeviceCodes(),
  };
  const entra = createHttpsServer({ key, cert }, (req, res) => {
    handleEntra(tokens, req, res).catch((error: unknown) => {
      console.error('Local Entra ID: unhandled error', error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const servers: Server[] = [];
  let armPort: number;
  let identityPort: number;
  let entraPort: number;
  try {
    armPort = await listen(arm, options.port ?? 0, host);
    servers.push(arm);
    identityPort = await listen(identity, options.identityPort ?? 0, host);
    servers.push(identity);
    entraPort = await listen(entra, options.entraPort ?? 0, host);
    servers.push(entra);
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  core.endpoint = `https://${urlHost}:${armPort}`;
  for (const name of [urlHost, 'localhost', '127.0.0.1'])
    audiences.add(`https://${name}:${armPort}`);
  core.entraAuthorityHost = `https://${urlHost}:${entraPort}`;
  tokens.authority = `${core.entraAuthorityHost}/${TENANT_ID}`;
  return {
    endpoint: core.endpoint,
    identityEndpoint: `http://${urlHost}:${identityPort}/msi/token`,
    identityHeader,
    caCertPath: certificates.caCertPath,
    subscriptionId: core.defaultSubscriptionId,
    subscriptions: [...core.subscriptions],
    tenantId: TENANT_ID,
    entra: describeLocalEntra(core),
    core,
    close: async () => {
      completions.stop();
      await Promise.all(servers.map(closeServer));
      await core.events.stop();
      await stateFile?.persist();
    },
  };
}

async function handleEntra(
  tokens: TokenService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readRequestBody(req);
  const url = new URL(`https://localhost${req.url ?? '/'}`);
  const answer = handleEntraRequest(
    tokens,
    (req.method ?? 'GET').toUpperCase(),
    url,
    req.headers,
    body,
  );
  if (answer.html === undefined && answer.body === undefined) {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': 0 });
    res.end();
    return;
  }
  const [text, type] =
    answer.html === undefined
      ? [JSON.stringify(answer.body), 'application/json; charset=utf-8']
      : [answer.html, 'text/html; charset=utf-8'];
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-type': type,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Ends each long-running operation when it is due, not only when a client next calls: an
 * operation's end raises its Azure event, which must not wait for a poll (a client may never poll).
 */
class OperationCompletions {
  private timer: NodeJS.Timeout | undefined;
  private dueAt: number | undefined;
  private stopped = false;

  constructor(
    private readonly core: EmulatorCore,
    private readonly stateFile: StateFile | undefined,
  ) {}

  schedule(): void {
    const next = this.core.state.nextDueAt();
    if (this.stopped || next === undefined || next === this.dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.dueAt = undefined;
        const before = this.core.state.version;
        this.core.state.settle(this.core.clock.now());
        if (this.stateFile && this.core.state.version !== before) {
          this.stateFile.persist().catch((error: unknown) => {
            console.error('ARM emulator: could not save the state file', error);
          });
        }
        this.schedule();
      },
      Math.max(0, next - this.core.clock.now()),
    ).unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw armErrors.invalidRequestContent((error as Error).message);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function handleArm(
  core: EmulatorCore,
  audiences: ReadonlySet<string>,
  stateFile: StateFile | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  // Concatenate, not resolve: *ById calls send `//subscriptions/…`, which URL would read as a host.
  const url = new URL(`https://localhost${req.url ?? '/'}`);
  const raw = await readRequestBody(req);
  core.state.settle(core.clock.now());

  // The control API: an exact prefix no ARM path can have, so ARM requests never reach it.
  if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) {
    let answer: { status: number; body?: unknown };
    try {
      const versionBefore = core.state.version;
      answer = handleControlRequest(
        core,
        method,
        url,
        raw.length ? JSON.parse(raw.toString('utf8')) : undefined,
      );
      if (stateFile && core.state.version !== versionBefore) await stateFile.persist();
    } catch (error) {
      answer = {
        status: 400,
        body: { error: { code: 'InvalidControlRequest', message: (error as Error).message } },
      };
    }
    send(res, method, { status: answer.status, body: answer.body }, {});
    return;
  }

  const requestId = randomUUID();
  const clientRequestId = header(req, 'x-ms-client-request-id');
  const baseHeaders: Record<string, string> = {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': header(req, 'x-ms-correlation-request-id') ?? requestId,
    'x-ms-routing-request-id': `LOCAL:${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z:${requestId}`,
    ...(clientRequestId ? { 'x-ms-client-request-id': clientRequestId } : {}),
    'cache-control': 'no-cache',
    pragma: 'no-cache',
    expires: '-1',
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
  };
  const log = (status: number, fault?: string, error?: { code: string; message: string }) =>
    core.log.record({
      time: new Date().toISOString(),
      method,
      url: `${url.pathname}${url.search}`,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      requestId,
      ...(clientRequestId ? { clientRequestId } : {}),
      ...(fault ? { fault } : {}),
      ...(error ? { error } : {}),
    });

  const latency = core.faults.latency(method, url.pathname);
  if (latency > 0) await delay(latency);
  const fault = core.faults.decide(method, url.pathname);
  if (fault.kind === 'drop') {
    log(0, 'drop');
    req.socket.destroy();
    return;
  }

  const segments = splitPath(url.pathname);
  const lower = segments.map((s) => s.toLowerCase());
  const versionBefore = core.state.version;
  let response: ArmResponse;
  let event: ArmOperationContext | undefined;
  try {
    if (fault.kind === 'status') {
      throw fault.status === 429
        ? armErrors.throttled('read', lower[1] ?? 'unknown', 'emulator', 1)
        : armErrors.injectedServerError(fault.status);
    }
    const now = core.clock.now();
    const claims = verifyAuthorization(
      header(req, 'authorization'),
      core.signingKeys,
      now,
      audiences,
      TENANT_ID,
    );
    if (core.throttle && lower[0] === 'subscriptions' && lower[1]) {
      const kind = requestKindOf(method);
      const take = core.throttle.take(lower[1], kind, Date.now());
      const name = `x-ms-ratelimit-remaining-subscription-${kind}`;
      baseHeaders[`x-ms-ratelimit-remaining-subscription-global-${kind}`] = String(
        take.globalRemaining,
      );
      if (!take.allowed) {
        const error = armErrors.throttled(
          kind.slice(0, -1),
          lower[1],
          claims.oid,
          take.retryAfterSeconds,
        );
        throw new ArmError(error.status, error.code, error.message, {
          ...error.headers,
          [name]: '0',
        });
      }
      baseHeaders[name] = String(take.remaining);
    }
    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion) throw armErrors.missingApiVersion();
    const request: ArmRequest = {
      method,
      path: `/${segments.join('/')}`,
      segments,
      lower,
      query: url.searchParams,
      apiVersion,
      body: parseJson(raw),
      now,
      claims,
    };
    response = authorizeArmRequest(core, request, () => {
      // Past the gateway (authentication, throttling, RBAC): from here on, the write, delete or
      // action raises an Azure event, whether it succeeds or fails.
      event = armOperationContextOf(core, request, {
        correlationId: baseHeaders['x-ms-correlation-request-id'] as string,
        ...(clientRequestId ? { clientRequestId } : {}),
        clientIpAddress: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
        url: `${core.endpoint}${url.pathname}${url.search}`,
      });
      core.requestEvent = event;
      core.requestEventDeferred = false;
      core.requestTarget = { method, path: url.pathname };
      try {
        return routeArmRequest(core, request);
      } finally {
        core.requestEvent = undefined;
        core.requestTarget = undefined;
      }
    });
  } catch (error) {
    if (error instanceof ArmError) {
      response = { status: error.status, body: error.toBody(), headers: error.headers };
    } else {
      console.error('ARM emulator: request failed', error);
      response = {
        status: 500,
        body: { error: { code: 'InternalServerError', message: String((error as Error).message) } },
      };
    }
  }
  // An operation the request started raises the event when it ends; otherwise the request does,
  // unless it only joined an operation already running (a second DELETE of a deleting group).
  if (event && !core.requestEventDeferred && response.status !== 202) {
    core.events.publish(event, response.status < 400 ? 'Success' : 'Failure', core.clock.now());
  }
  core.requestEventDeferred = false;
  if (stateFile && core.state.version !== versionBefore) await stateFile.persist();
  if (fault.kind === 'dropAfterProcessing') {
    log(0, 'dropAfterProcessing');
    req.socket.destroy();
    return;
  }
  log(
    response.status,
    fault.kind === 'status' ? `status${fault.status}` : undefined,
    errorOf(response),
  );
  send(res, method, response, baseHeaders);
}

/** ARM's `{ error: { code, message } }` of a refused request, for the request log. */
function errorOf(response: { status: number; body?: unknown }) {
  if (response.status < 400) return undefined;
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)
    ?.error;
  if (typeof error?.code !== 'string') return undefined;
  return { code: error.code, message: typeof error.message === 'string' ? error.message : '' };
}

function send(
  res: ServerResponse,
  method: string,
  response: { status: number; body?: unknown; headers?: Record<string, string> },
  baseHeaders: Record<string, string>,
): void {
  const headers: Record<string, string | number> = { ...baseHeaders, ...response.headers };
  if (response.body === undefined || method === 'HEAD') {
    headers['content-length'] = 0;
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(response.status, headers);
  res.end(text);
}
