import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { format } from 'node:util';
import { BindingIO } from './BindingIO.js';
import type { RpcLogCategory, RpcLogLevel } from './coreContract.js';
import { createListeners, type Listeners } from './createListeners.js';
import { FunctionInvoker } from './FunctionInvoker.js';
import { FunctionRegistry, type RegisteredFunction } from './FunctionRegistry.js';
import { functionMetadataResponse } from './functionMetadataResponse.js';
import { HostLogger, type LogFormat } from './HostLogger.js';
import { HttpListener } from './HttpListener.js';
import { createCoreApi, hostVersion, installCoreModule } from './installCoreModule.js';
import { loadEntryPoints, resolveEntryPoints } from './loadEntryPoints.js';
import { PrimaryHostLock } from './PrimaryHostLock.js';
import { HostStartupError, planTriggers, triggerOf } from './planTriggers.js';
import type { QueueListener } from './QueueListener.js';
import { type HostConfig, readHostConfig } from './readHostConfig.js';
import { mergeSettings, readLocalSettings } from './readLocalSettings.js';
import { formatReadyLine, type HostReadyInfo } from './readyLine.js';
import { runHooks } from './runHooks.js';
import { BlobScheduleStatusStore } from './ScheduleStatusStore.js';
import { StorageConnections } from './StorageConnections.js';
import { timerInput } from './TimerListener.js';
import { WorkerHttpProxy } from './WorkerHttpProxy.js';

/** The instance id the real host logs locally: 24 zeros and 8 hex digits of the machine. */
export function localInstanceId(appDir: string): string {
  const digest = createHash('sha256')
    .update(`${hostname()}\n${resolve(appDir)}`)
    .digest('hex');
  return `000000000000000000000000${digest.slice(0, 8).toUpperCase()}`;
}

export interface HostOptions {
  /** The function app directory (package.json, host.json, local.settings.json). */
  appDir: string;
  /** HTTP port; 0 picks a free one. Default: local.settings.json `Host.LocalHttpPort`, else 7071. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  bind?: string;
  /** Keys; default the `FUNCTIONS_MASTER_KEY` / `FUNCTIONS_FUNCTION_KEY` settings, else generated. */
  masterKey?: string;
  functionKey?: string;
  logFormat?: LogFormat;
  /** How long a graceful stop waits for running invocations. Default 10 s. */
  drainTimeoutMs?: number;
  /** How long a dequeued message stays invisible before it is renewed. Default 10 min, as in Azure. */
  queueLeaseMs?: number;
  /** How often blob triggers scan their containers. Default 2 s. */
  blobPollIntervalMs?: number;
  /** The environment the app runs in; local settings are merged into it. Default `process.env`. */
  env?: Record<string, string | undefined>;
  write?: (line: string) => void;
}

export interface RunningHost {
  url: string;
  port: number;
  masterKey: string;
  functionKey: string;
  ready: HostReadyInfo;
  /** Stops triggers, lets running invocations finish (bounded), runs appTerminate hooks. */
  stop(): Promise<void>;
}

function newKey(): string {
  return randomBytes(30).toString('base64url');
}

/** Keeps stdout valid JSON lines: the app's console output becomes log entries too. */
function routeConsoleThrough(logger: HostLogger): void {
  const levels: [keyof Console, RpcLogLevel][] = [
    ['log', 'information'],
    ['info', 'information'],
    ['debug', 'debug'],
    ['warn', 'warning'],
    ['error', 'error'],
  ];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      logger.log({ level, category: 'Host.Function.Console', message: format(...args) });
  }
}

/** Whether the app has host storage (`AzureWebJobsStorage`, as a string or identity-based). */
function hasStorage(env: Record<string, string | undefined>): boolean {
  return Object.entries(env).some(([name, value]) => {
    const lower = name.toLowerCase();
    return (
      (lower === 'azurewebjobsstorage' || lower.startsWith('azurewebjobsstorage__')) &&
      value !== undefined &&
      value !== ''
    );
  });
}

/** A host id as the real host derives one: lowercase letters, digits and dashes, ≤ 32 chars. */
export function hostIdFor(appDir: string, env: Record<string, string | undefined>): string {
  const configured = env.AzureFunctionsWebHost__hostid ?? env.AzureFunctionsWebHost__hostId;
  const raw = configured ?? basename(resolve(appDir));
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 32)
      .replace(/-+$/, '') || 'localhost'
  );
}

/**
 * Starts a Functions host for a v4 Node.js app directory, as `func start` does: loads
 * `local.settings.json` into the environment, provides `@azure/functions-core`, imports the
 * app's `main`, and serves its HTTP, timer, storage queue and blob triggers.
 *
 * In phases: load the app; run its appStart hooks; plan its triggers (`planTriggers`, from
 * metadata alone); create their listeners (`createListeners`); serve HTTP; announce and start
 * listening. Each phase is a function of its own below.
 *
 * @example
 * const host = await startHost({ appDir: '.', port: 0 });
 * await fetch(`${host.url}/api/health`);
 * await host.stop();
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const started = performance.now();
  const app = await loadApp(options);
  await runAppStart(app);
  logStartup(app.logger, `Generating ${app.selected.length} job function(s)`);
  const plans = planTriggers(app.selected, app.env);
  const services = hostServices(app);
  const listeners = await createListeners(plans, {
    config: app.config,
    connections: services.connections,
    invoker: services.invoker,
    bindings: services.bindings,
    logger: app.logger,
    hostId: app.hostId,
    queueLeaseMs: options.queueLeaseMs ?? 600_000,
    blobPollIntervalMs: options.blobPollIntervalMs ?? 2_000,
  });
  services.queueListeners.push(...listeners.queues.values());
  const http = await serveHttp(app, services, listeners, options);
  announceFunctions(app, listeners, http.url, started);
  for (const timer of listeners.timers.values()) await timer.start();
  for (const listener of listeners.queues.values()) listener.start();
  for (const listener of listeners.blobs) await listener.start();
  const ready = readyInfo(app, listeners, http);
  app.logger.banner(functionsBanner(listeners), { functions: listeners.listing });
  logStartup(
    app.logger,
    `Host started (${Math.round(performance.now() - started)}ms; ${Math.round(process.uptime() * 1000)}ms since process start)`,
  );
  logStartup(app.logger, 'Job host started');
  const hostLock = await holdHostLock(app, services.connections);
  app.logger.raw(formatReadyLine(ready, app.logger.format));

  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    masterKey: app.keys.masterKey,
    functionKey: app.keys.functionKeys.default,
    ready,
    stop() {
      stopping ??= stopHost(app, services, listeners, http, hostLock, options.drainTimeoutMs);
      return stopping;
    },
  };
}

/** The app as loaded: its settings, host.json, registered functions, keys and logger. */
interface LoadedApp {
  appDir: string;
  env: Record<string, string | undefined>;
  logger: HostLogger;
  config: HostConfig;
  registry: FunctionRegistry;
  /** The functions host.json's `functions` list selects (every one when it has none). */
  selected: RegisteredFunction[];
  capabilities: Record<string, string>;
  hostId: string;
  instanceId: string;
  keys: { masterKey: string; functionKeys: { default: string } };
  /** Keys that came from settings, which are never printed. */
  givenKeys: { master: boolean; function: boolean };
  localHttpPort: number | undefined;
  uninstall: () => void;
}

function logStartup(logger: HostLogger, message: string): void {
  logger.info('Host.Startup', message);
}

/** Reads the settings and host.json, provides `@azure/functions-core` and imports the app. */
async function loadApp(options: HostOptions): Promise<LoadedApp> {
  const appDir = resolve(options.appDir);
  const env = options.env ?? process.env;
  const logger = new HostLogger({ format: options.logFormat ?? 'text', write: options.write });
  const instanceId = localInstanceId(appDir);
  const local = await readLocalSettings(appDir);
  for (const name of mergeSettings(env, local.values)) {
    logger.log({
      level: 'debug',
      category: 'Host.Startup',
      message: `Skipping '${name}' from local settings as it's already defined in current environment variables.`,
    });
  }
  const config = await readHostConfig(appDir, env, availableParallelism());
  logger.setLevels(config.logLevels);
  const hostId = hostIdFor(appDir, env);
  // The real host's lifecycle lines, which scripts wait for.
  logStartup(
    logger,
    `Starting Host (HostId=${hostId}, InstanceId=${instanceId}, Version=${hostVersion}, ProcessId=${process.pid}, AppDomainId=${randomUUID()}, InDebugMode=False, InDiagnosticMode=False, FunctionsExtensionVersion=(null))`,
  );
  logStartup(logger, 'Loading functions metadata');
  // The app's console output goes through the host's log, in order with it (and as JSON lines
  // in JSON mode, so that stdout stays parseable).
  routeConsoleThrough(logger);
  const registry = new FunctionRegistry();
  const coreLog = (level: RpcLogLevel, category: RpcLogCategory, message: string) =>
    logger.log({
      level,
      category: category === 'user' ? 'Host.Function.Console' : 'Worker',
      message,
      source: category,
    });
  const uninstall = installCoreModule(createCoreApi({ registry, log: coreLog }));
  try {
    await loadEntryPoints(await resolveEntryPoints(appDir));
  } catch (error) {
    uninstall();
    throw error;
  }
  registry.lock();
  logStartup(logger, `${registry.functions.size} functions loaded`);
  const model = registry.programmingModel;
  // The worker reports what it can do once its app is loaded; `HttpUri` means HTTP streams.
  const capabilities = model?.getCapabilities ? await model.getCapabilities({}) : {};
  logStartup(
    logger,
    `Worker process started and initialized. Programming model: ${model?.name ?? 'none'} ${model?.version ?? ''}`.trim(),
  );
  const givenMasterKey = options.masterKey ?? env.FUNCTIONS_MASTER_KEY;
  const givenFunctionKey = options.functionKey ?? env.FUNCTIONS_FUNCTION_KEY;
  return {
    appDir,
    env,
    logger,
    config,
    registry,
    selected: [...registry.functions.values()].filter(
      (fn) =>
        !config.functions ||
        config.functions.some((n) => n.toLowerCase() === fn.metadata.name.toLowerCase()),
    ),
    capabilities,
    hostId,
    instanceId,
    keys: {
      masterKey: givenMasterKey ?? newKey(),
      functionKeys: { default: givenFunctionKey ?? newKey() },
    },
    givenKeys: { master: Boolean(givenMasterKey), function: Boolean(givenFunctionKey) },
    localHttpPort: local.localHttpPort,
    uninstall,
  };
}

/**
 * As in the Node.js worker, appStart hooks run when the entry point has loaded, before the host
 * starts any trigger's listener: an app that cannot start never takes a message.
 */
async function runAppStart(app: LoadedApp): Promise<void> {
  try {
    await runHooks(app.registry.hooks('appStart'), {
      hookData: app.registry.appLevelHookData,
      appHookData: app.registry.appHookData,
      functionAppDirectory: app.appDir,
    });
  } catch (error) {
    throw new HostStartupError(`The app failed to start: ${(error as Error).message}`, error);
  }
}

/** What every listener shares: the invoker, storage connections and bindings. */
interface HostServices {
  invoker: FunctionInvoker;
  connections: StorageConnections;
  bindings: BindingIO;
  /** Told when a binding writes to their queue, so they look at once. */
  queueListeners: QueueListener[];
}

function hostServices(app: LoadedApp): HostServices {
  const connections = new StorageConnections(app.env);
  const queueListeners: QueueListener[] = [];
  return {
    invoker: new FunctionInvoker(app.registry, app.logger, app.config.functionTimeout),
    connections,
    queueListeners,
    bindings: new BindingIO({
      connections,
      settings: app.env,
      encoding: app.config.queues.messageEncoding,
      onQueueWrite: (name) => {
        for (const listener of queueListeners) if (listener.queueName === name) listener.notify();
      },
    }),
  };
}

interface ServedHttp {
  listener: HttpListener;
  workerProxy: WorkerHttpProxy | undefined;
  url: string;
  port: number;
}

/** The HTTP front door: routes, keys, the admin API, and the worker's proxy in stream mode. */
async function serveHttp(
  app: LoadedApp,
  services: HostServices,
  listeners: Listeners,
  options: HostOptions,
): Promise<ServedHttp> {
  const { invoker, bindings } = services;
  const httpUri = app.capabilities.HttpUri;
  const workerProxy = httpUri
    ? new WorkerHttpProxy({ httpUri, invoker, bindings, logger: app.logger })
    : undefined;
  if (workerProxy) {
    app.logger.log({
      level: 'debug',
      category: 'Host.Startup',
      message: `HTTP streams are on: HTTP requests are forwarded to the worker at ${httpUri}.`,
    });
  }
  const listener = new HttpListener({
    workerProxy,
    routes: listeners.httpRoutes,
    routePrefix: app.config.routePrefix,
    keys: app.keys,
    invoker,
    bindings,
    logger: app.logger,
    invokeByName: (name, input) => invokeByName(app, services, listeners, name, input),
    status: () => ({
      id: app.hostId,
      processUptime: Math.round(process.uptime() * 1000),
    }),
    describeFunctions: (baseUrl) =>
      app.selected.map((fn) =>
        functionMetadataResponse(fn, {
          baseUrl,
          routePrefix: app.config.routePrefix,
          disabled: listeners.listing.some((l) => l.name === fn.metadata.name && l.disabled),
        }),
      ),
  });
  const port = await listener.listen(
    options.port ?? app.localHttpPort ?? 7071,
    options.bind ?? '127.0.0.1',
  );
  return { listener, workerProxy, url: `http://127.0.0.1:${port}`, port };
}

/** `POST /admin/functions/{name}`: runs a timer or queue function now, as the real host does. */
function invokeByName(
  app: LoadedApp,
  services: HostServices,
  listeners: Listeners,
  name: string,
  input: string | undefined,
): boolean {
  const key = name.toLowerCase();
  const reason = 'This function was programmatically called via the host APIs.';
  const timer = listeners.timers.get(key);
  if (timer) {
    void timer.invokeWithRetry(timerInput(false, null), reason);
    return true;
  }
  const fn = app.registry.functions.get(key);
  if (!fn || !listeners.queues.has(key)) return false;
  const [triggerName] = triggerOf(fn)!;
  const body = input ?? '';
  void services.invoker.invoke({
    fn,
    reason,
    inputData: [{ name: triggerName, data: { string: body } }],
    triggerMetadata: { QueueTrigger: { string: body } },
    writeOutputs: (response) =>
      services.bindings.writeOutputs(fn, response, { QueueTrigger: body }),
  });
  return true;
}

/** The startup lines that list the functions and their routes. */
function announceFunctions(
  app: LoadedApp,
  listeners: Listeners,
  url: string,
  started: number,
): void {
  const { config, logger } = app;
  const prefix = config.routePrefix === '' ? '' : `/${config.routePrefix}`;
  for (const entry of listeners.listing) {
    const route = listeners.httpRoutes.find((r) => r.fn.metadata.name === entry.name);
    if (route) entry.url = `${url}${prefix}/${route.route.template}`;
  }
  logStartup(
    logger,
    `Found the following functions:\n${app.selected.map((fn) => `Host.Functions.${fn.metadata.name}`).join('\n')}\n`,
  );
  if (listeners.httpRoutes.length > 0) {
    const mapped = listeners.httpRoutes.map(
      (r) =>
        `Mapped function route '${prefix === '' ? '' : `${config.routePrefix}/`}${r.route.template}' [${[...r.methods].map((m) => m.toLowerCase()).join(',')}] to '${r.fn.metadata.name}'`,
    );
    logStartup(logger, `Initializing function HTTP routes\n${mapped.join('\n')}\n`);
  }
  logStartup(logger, `Host initialized (${Math.round(performance.now() - started)}ms)`);
}

function functionsBanner(listeners: Listeners): string {
  const lines = listeners.listing.map((entry) => {
    const route = listeners.httpRoutes.find((r) => r.fn.metadata.name === entry.name);
    if (entry.disabled) return `\t${entry.name}: ${entry.trigger} (disabled)`;
    if (route) return `\t${entry.name}: [${[...route.methods].join(',')}] ${entry.url}`;
    return `\t${entry.name}: ${entry.trigger}`;
  });
  return `\nFunctions:\n\n${lines.join('\n\n')}\n`;
}

/**
 * What the ready line says. Keys the host generated are printed, since nobody else knows them;
 * keys from settings are the operator's secrets and are never echoed.
 */
function readyInfo(app: LoadedApp, listeners: Listeners, http: ServedHttp): HostReadyInfo {
  return {
    url: http.url,
    port: http.port,
    routePrefix: app.config.routePrefix,
    ...(app.givenKeys.master ? {} : { masterKey: app.keys.masterKey }),
    ...(app.givenKeys.function ? {} : { functionKey: app.keys.functionKeys.default }),
    functions: listeners.listing,
  };
}

/** With storage, the host holds the primary host lock, as the real one does. */
async function holdHostLock(
  app: LoadedApp,
  connections: StorageConnections,
): Promise<PrimaryHostLock | undefined> {
  if (!hasStorage(app.env)) return undefined;
  const blobs = await connections.blobService('AzureWebJobsStorage');
  const lock = new PrimaryHostLock(
    blobs.getContainerClient(BlobScheduleStatusStore.containerName),
    app.hostId,
    app.instanceId,
    app.logger,
  );
  lock.start();
  return lock;
}

/**
 * Stops taking work, lets running invocations finish (bounded), releases unfinished queue
 * messages, runs appTerminate hooks and closes everything.
 */
async function stopHost(
  app: LoadedApp,
  services: HostServices,
  listeners: Listeners,
  http: ServedHttp,
  hostLock: PrimaryHostLock | undefined,
  drainTimeoutMs = 10_000,
): Promise<void> {
  const { logger } = app;
  logger.info('Host.General', 'Stopping JobHost');
  logger.info('Host.General', 'Stopping the listener.');
  const closing = http.listener.close();
  await Promise.all([...listeners.timers.values()].map((t) => t.stop()));
  await Promise.all(listeners.blobs.map((b) => b.stop()));
  const [drained, served, ...results] = await Promise.all([
    services.invoker.drain(drainTimeoutMs),
    http.listener.idle(drainTimeoutMs),
    ...[...listeners.queues.values()].map((q) => q.stop(drainTimeoutMs)),
  ]);
  const released = results.reduce((sum, r) => sum + (r as { released: number }).released, 0);
  if (released > 0) {
    logger.warn('Host.General', `${released} unfinished queue message(s) released to reappear.`);
  }
  if (!drained || !served) {
    logger.warn(
      'Host.General',
      `Invocations still running after ${drainTimeoutMs}ms were abandoned.`,
    );
  }
  await runHooks(app.registry.hooks('appTerminate'), {
    hookData: app.registry.appLevelHookData,
    appHookData: app.registry.appHookData,
  }).catch((error: Error) =>
    logger.error('Host.General', `appTerminate hook failed: ${error.message}`),
  );
  await hostLock?.stop();
  logger.info('Host.General', 'Job host stopped');
  http.listener.destroy();
  http.workerProxy?.close();
  await closing;
  app.uninstall();
  logger.info('Host.General', 'Host stopped.');
  logger.flush();
}

export { HostStartupError, UnsupportedFeatureError } from './planTriggers.js';
