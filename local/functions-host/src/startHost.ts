import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { availableParallelism, hostname } from 'node:os';
import { basename, resolve } from 'node:path';
import { format } from 'node:util';
import { BindingIO } from './BindingIO.js';
import { BlobTriggerListener, parseBlobPathPattern } from './BlobTriggerListener.js';
import type { RpcLogCategory, RpcLogLevel } from './coreContract.js';
import { FunctionInvoker } from './FunctionInvoker.js';
import { FunctionRegistry, type RegisteredFunction } from './FunctionRegistry.js';
import { HostLogger, type LogFormat } from './HostLogger.js';
import { HttpListener, type HttpRoute, httpRouteFor } from './HttpListener.js';
import { createCoreApi, hostVersion, installCoreModule } from './installCoreModule.js';
import { loadEntryPoints, resolveEntryPoints } from './loadEntryPoints.js';
import { PrimaryHostLock } from './PrimaryHostLock.js';
import { parseSchedule } from './parseSchedule.js';
import { QueueListener } from './QueueListener.js';
import { readHostConfig } from './readHostConfig.js';
import { isFunctionDisabled, mergeSettings, readLocalSettings } from './readLocalSettings.js';
import { formatReadyLine, type HostReadyInfo } from './readyLine.js';
import { resolveAppSettings } from './resolveBindingExpression.js';
import { runHooks } from './runHooks.js';
import { BlobScheduleStatusStore, InMemoryScheduleStatusStore } from './ScheduleStatusStore.js';
import { StorageConnections } from './StorageConnections.js';
import { TimerListener, timerInput } from './TimerListener.js';
import { WorkerHttpProxy } from './WorkerHttpProxy.js';

/** Thrown when an app uses a feature this host does not run; names the function and the feature. */
export class UnsupportedFeatureError extends Error {
  constructor(functionName: string, feature: string) {
    super(
      `Function 'Functions.${functionName}' uses ${feature}, which this local host does not support. See local/functions-host/README.md for what it runs.`,
    );
    this.name = 'UnsupportedFeatureError';
  }
}

/** The instance id the real host logs locally: 24 zeros and 8 hex digits of the machine. */
export function localInstanceId(appDir: string): string {
  const digest = createHash('sha256')
    .update(`${hostname()}\n${resolve(appDir)}`)
    .digest('hex');
  return `000000000000000000000000${digest.slice(0, 8).toUpperCase()}`;
}

/** Thrown when the host cannot start one of the app's functions; names the function. */
export class HostStartupError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'HostStartupError';
  }
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

function triggerOf(fn: RegisteredFunction): [string, Record<string, unknown>] | undefined {
  return Object.entries(fn.metadata.bindings).find(
    ([, b]) => b.direction === 'in' && String(b.type).endsWith('Trigger'),
  );
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
 * app's `main`, and serves its HTTP, timer and storage queue triggers.
 *
 * @example
 * const host = await startHost({ appDir: '.', port: 0 });
 * await fetch(`${host.url}/api/health`);
 * await host.stop();
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const started = performance.now();
  const appDir = resolve(options.appDir);
  const env = options.env ?? process.env;
  const logger = new HostLogger({ format: options.logFormat ?? 'text', write: options.write });
  const instanceId = localInstanceId(appDir);

  const local = await readLocalSettings(appDir);
  const skipped = mergeSettings(env, local.values);
  for (const name of skipped) {
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
  logger.info(
    'Host.Startup',
    `Starting Host (HostId=${hostId}, InstanceId=${instanceId}, Version=${hostVersion}, ProcessId=${process.pid}, AppDomainId=${randomUUID()}, InDebugMode=False, InDiagnosticMode=False, FunctionsExtensionVersion=(null))`,
  );
  logger.info('Host.Startup', 'Loading functions metadata');

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
  logger.info('Host.Startup', `${registry.functions.size} functions loaded`);
  const model = registry.programmingModel;
  // The worker reports what it can do once its app is loaded; `HttpUri` means HTTP streams.
  const capabilities = model?.getCapabilities ? await model.getCapabilities({}) : {};
  logger.info(
    'Host.Startup',
    `Worker process started and initialized. Programming model: ${model?.name ?? 'none'} ${model?.version ?? ''}`.trim(),
  );

  const givenMasterKey = options.masterKey ?? env.FUNCTIONS_MASTER_KEY;
  const givenFunctionKey = options.functionKey ?? env.FUNCTIONS_FUNCTION_KEY;
  const keys = {
    masterKey: givenMasterKey ?? newKey(),
    functionKeys: { default: givenFunctionKey ?? newKey() },
  };
  const invoker = new FunctionInvoker(registry, logger, config.functionTimeout);
  const connections = new StorageConnections(env);
  const queueListeners: QueueListener[] = [];
  const bindings = new BindingIO({
    connections,
    settings: env,
    encoding: config.queues.messageEncoding,
    onQueueWrite: (name) => {
      for (const listener of queueListeners) if (listener.queueName === name) listener.notify();
    },
  });

  const selected = [...registry.functions.values()].filter(
    (fn) =>
      !config.functions ||
      config.functions.some((n) => n.toLowerCase() === fn.metadata.name.toLowerCase()),
  );
  const httpRoutes: HttpRoute[] = [];
  const timers = new Map<string, TimerListener>();
  const queueFunctions = new Map<string, QueueListener>();
  const blobListeners: BlobTriggerListener[] = [];
  const listing: HostReadyInfo['functions'] = [];
  let statusStore: BlobScheduleStatusStore | undefined;

  const setUpTrigger = async (fn: RegisteredFunction) => {
    const name = fn.metadata.name;
    const trigger = triggerOf(fn);
    if (!trigger) return;
    const [triggerName, binding] = trigger;
    const type = String(binding.type);
    if (isFunctionDisabled(name, env)) {
      listing.push({ name, trigger: type, disabled: true });
      return;
    }
    for (const unsupported of BindingIO.unsupportedBindings(fn)) {
      throw new UnsupportedFeatureError(name, `a '${unsupported}' binding`);
    }
    if (type === 'httpTrigger') {
      httpRoutes.push(httpRouteFor(fn, triggerName));
      listing.push({ name, trigger: type });
    } else if (type === 'timerTrigger') {
      const schedule = parseSchedule(resolveAppSettings(String(binding.schedule), env));
      const useMonitor = binding.useMonitor !== false;
      if (useMonitor && !statusStore) {
        const blobs = await connections.blobService('AzureWebJobsStorage');
        statusStore = new BlobScheduleStatusStore(
          blobs.getContainerClient(BlobScheduleStatusStore.containerName),
          hostIdFor(appDir, env),
        );
      }
      timers.set(
        name.toLowerCase(),
        new TimerListener({
          fn,
          triggerName,
          schedule,
          runOnStartup: binding.runOnStartup === true,
          useMonitor,
          store: statusStore ?? new InMemoryScheduleStatusStore(),
          invoker,
          writeOutputs: (response) => bindings.writeOutputs(fn, response, {}),
          logger,
        }),
      );
      listing.push({ name, trigger: type });
    } else if (type === 'queueTrigger') {
      const queueName = resolveAppSettings(String(binding.queueName), env).toLowerCase();
      const service = await connections.queueService(StorageConnections.connectionName(binding));
      const queue = service.getQueueClient(queueName);
      await queue.createIfNotExists();
      const listener = new QueueListener({
        fn,
        triggerName,
        queue,
        poisonQueue: service.getQueueClient(`${queueName}-poison`),
        options: config.queues,
        invoker,
        bindings,
        logger,
        leaseMs: options.queueLeaseMs ?? 600_000,
      });
      queueListeners.push(listener);
      queueFunctions.set(name.toLowerCase(), listener);
      listing.push({ name, trigger: type });
    } else if (type === 'blobTrigger') {
      if (String(binding.source ?? 'LogsAndContainerScan').toLowerCase() === 'eventgrid') {
        throw new UnsupportedFeatureError(
          name,
          "a blob trigger with source 'EventGrid' (Azurite publishes no Event Grid events, so it would never fire; use the default source, LogsAndContainerScan)",
        );
      }
      const pattern = parseBlobPathPattern(resolveAppSettings(String(binding.path), env));
      const connection = StorageConnections.connectionName(binding);
      const blobs = await connections.blobService(connection);
      const hostStorage = await connections.blobService('AzureWebJobsStorage');
      const queues = await connections.queueService('AzureWebJobsStorage');
      blobListeners.push(
        new BlobTriggerListener({
          fn,
          triggerName,
          pattern,
          container: blobs.getContainerClient(pattern.container),
          receipts: hostStorage.getContainerClient(BlobScheduleStatusStore.containerName),
          poisonQueue: queues.getQueueClient('webjobs-blobtrigger-poison'),
          hostId,
          invoker,
          bindings,
          logger,
          maxAttempts: config.queues.maxDequeueCount,
          retryDelayMs: config.queues.visibilityTimeout,
          encoding: config.queues.messageEncoding,
          pollIntervalMs: options.blobPollIntervalMs ?? 2_000,
        }),
      );
      listing.push({ name, trigger: type });
    } else {
      throw new UnsupportedFeatureError(name, `a '${type}' trigger`);
    }
  };
  // As in the Node.js worker, appStart hooks run when the entry point has loaded, before the
  // host starts any trigger's listener: an app that cannot start never takes a message.
  try {
    await runHooks(registry.hooks('appStart'), {
      hookData: registry.appLevelHookData,
      appHookData: registry.appHookData,
      functionAppDirectory: appDir,
    });
  } catch (error) {
    throw new HostStartupError(`The app failed to start: ${(error as Error).message}`, error);
  }

  logger.info('Host.Startup', `Generating ${selected.length} job function(s)`);
  for (const fn of selected) {
    try {
      await setUpTrigger(fn);
    } catch (error) {
      if (error instanceof UnsupportedFeatureError) throw error;
      throw new HostStartupError(
        `The listener for function 'Functions.${fn.metadata.name}' was unable to start: ${(error as Error).message}`,
        error,
      );
    }
  }

  const workerProxy = capabilities.HttpUri
    ? new WorkerHttpProxy({ httpUri: capabilities.HttpUri, invoker, bindings, logger })
    : undefined;
  if (workerProxy) {
    logger.log({
      level: 'debug',
      category: 'Host.Startup',
      message: `HTTP streams are on: HTTP requests are forwarded to the worker at ${capabilities.HttpUri}.`,
    });
  }
  const http = new HttpListener({
    workerProxy,
    routes: httpRoutes,
    routePrefix: config.routePrefix,
    keys,
    invoker,
    bindings,
    logger,
    invokeByName(name, input) {
      const key = name.toLowerCase();
      const timer = timers.get(key);
      const reason = 'This function was programmatically called via the host APIs.';
      if (timer) {
        void timer.invokeWithRetry(timerInput(false, null), reason);
        return true;
      }
      const fn = registry.functions.get(key);
      if (!fn || !queueFunctions.has(key)) return false;
      const [triggerName] = triggerOf(fn)!;
      const body = input ?? '';
      void invoker.invoke({
        fn,
        reason,
        inputData: [{ name: triggerName, data: { string: body } }],
        triggerMetadata: { QueueTrigger: { string: body } },
        writeOutputs: (response) => bindings.writeOutputs(fn, response, { QueueTrigger: body }),
      });
      return true;
    },
    status: () => ({
      id: hostIdFor(appDir, env),
      processUptime: Math.round(process.uptime() * 1000),
    }),
  });
  const port = await http.listen(
    options.port ?? local.localHttpPort ?? 7071,
    options.bind ?? '127.0.0.1',
  );
  const url = `http://127.0.0.1:${port}`;
  const prefix = config.routePrefix === '' ? '' : `/${config.routePrefix}`;
  for (const entry of listing) {
    const route = httpRoutes.find((r) => r.fn.metadata.name === entry.name);
    if (route) entry.url = `${url}${prefix}/${route.route.template}`;
  }

  logger.info(
    'Host.Startup',
    `Found the following functions:\n${selected.map((fn) => `Host.Functions.${fn.metadata.name}`).join('\n')}\n`,
  );
  if (httpRoutes.length > 0) {
    const mapped = httpRoutes.map(
      (r) =>
        `Mapped function route '${prefix === '' ? '' : `${config.routePrefix}/`}${r.route.template}' [${[...r.methods].map((m) => m.toLowerCase()).join(',')}] to '${r.fn.metadata.name}'`,
    );
    logger.info('Host.Startup', `Initializing function HTTP routes\n${mapped.join('\n')}\n`);
  }
  logger.info('Host.Startup', `Host initialized (${Math.round(performance.now() - started)}ms)`);
  for (const timer of timers.values()) await timer.start();
  for (const listener of queueListeners) listener.start();
  for (const listener of blobListeners) await listener.start();

  const lines = listing.map((entry) => {
    const route = httpRoutes.find((r) => r.fn.metadata.name === entry.name);
    if (entry.disabled) return `\t${entry.name}: ${entry.trigger} (disabled)`;
    if (route) return `\t${entry.name}: [${[...route.methods].join(',')}] ${entry.url}`;
    return `\t${entry.name}: ${entry.trigger}`;
  });
  logger.banner(`\nFunctions:\n\n${lines.join('\n\n')}\n`, { functions: listing });
  // Keys the host generated are printed, since nobody else knows them; keys from settings are
  // the operator's secrets and are never echoed.
  const ready: HostReadyInfo = {
    url,
    port,
    routePrefix: config.routePrefix,
    ...(givenMasterKey ? {} : { masterKey: keys.masterKey }),
    ...(givenFunctionKey ? {} : { functionKey: keys.functionKeys.default }),
    functions: listing,
  };
  logger.info(
    'Host.Startup',
    `Host started (${Math.round(performance.now() - started)}ms; ${Math.round(process.uptime() * 1000)}ms since process start)`,
  );
  logger.info('Host.Startup', 'Job host started');
  // With storage, the host holds the primary host lock, as the real one does.
  let hostLock: PrimaryHostLock | undefined;
  if (hasStorage(env)) {
    const blobs = await connections.blobService('AzureWebJobsStorage');
    hostLock = new PrimaryHostLock(
      blobs.getContainerClient(BlobScheduleStatusStore.containerName),
      hostId,
      instanceId,
      logger,
    );
    hostLock.start();
  }
  logger.raw(formatReadyLine(ready, logger.format));

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    masterKey: keys.masterKey,
    functionKey: keys.functionKeys.default,
    ready,
    stop() {
      stopping ??= (async () => {
        const drainMs = options.drainTimeoutMs ?? 10_000;
        logger.info('Host.General', 'Stopping JobHost');
        logger.info('Host.General', 'Stopping the listener.');
        const closing = http.close();
        await Promise.all([...timers.values()].map((t) => t.stop()));
        await Promise.all(blobListeners.map((b) => b.stop()));
        const [drained, served, ...results] = await Promise.all([
          invoker.drain(drainMs),
          http.idle(drainMs),
          ...queueListeners.map((q) => q.stop(drainMs)),
        ]);
        const released = results.reduce((sum, r) => sum + (r as { released: number }).released, 0);
        if (released > 0)
          logger.warn(
            'Host.General',
            `${released} unfinished queue message(s) released to reappear.`,
          );
        if (!drained || !served)
          logger.warn(
            'Host.General',
            `Invocations still running after ${drainMs}ms were abandoned.`,
          );
        await runHooks(registry.hooks('appTerminate'), {
          hookData: registry.appLevelHookData,
          appHookData: registry.appHookData,
        }).catch((error: Error) =>
          logger.error('Host.General', `appTerminate hook failed: ${error.message}`),
        );
        await hostLock?.stop();
        logger.info('Host.General', 'Job host stopped');
        http.destroy();
        workerProxy?.close();
        await closing;
        uninstall();
        logger.info('Host.General', 'Host stopped.');
        logger.flush();
      })();
      return stopping;
    },
  };
}
