/**
 * Carries out a trigger plan: the listener of each planned trigger, over the app's storage
 * connections. HTTP triggers become routes for the host's HTTP listener; the others listen once
 * `start`ed.
 */
import type { BindingIO } from './BindingIO.js';
import { BlobTriggerListener } from './BlobTriggerListener.js';
import type { FunctionInvoker } from './FunctionInvoker.js';
import type { HostLogger } from './HostLogger.js';
import { type HttpRoute, httpRouteFor } from './HttpListener.js';
import { HostStartupError, type TriggerPlan, UnsupportedFeatureError } from './planTriggers.js';
import { QueueListener } from './QueueListener.js';
import type { HostConfig } from './readHostConfig.js';
import type { HostReadyInfo } from './readyLine.js';
import {
  BlobScheduleStatusStore,
  InMemoryScheduleStatusStore,
  type ScheduleStatusStore,
} from './ScheduleStatusStore.js';
import type { StorageConnections } from './StorageConnections.js';
import { TimerListener } from './TimerListener.js';

export interface ListenerDeps {
  config: HostConfig;
  connections: StorageConnections;
  invoker: FunctionInvoker;
  bindings: BindingIO;
  logger: HostLogger;
  hostId: string;
  /** How long a dequeued message stays invisible before it is renewed. */
  queueLeaseMs: number;
  blobPollIntervalMs: number;
}

/** Every listener of an app, by kind, and the functions as the host lists them. */
export interface Listeners {
  httpRoutes: HttpRoute[];
  /** By lower-case function name, for the admin API. */
  timers: Map<string, TimerListener>;
  queues: Map<string, QueueListener>;
  blobs: BlobTriggerListener[];
  listing: HostReadyInfo['functions'];
}

/**
 * @example
 * const listeners = await createListeners(planTriggers(functions, env), deps);
 */
export async function createListeners(
  plans: readonly TriggerPlan[],
  deps: ListenerDeps,
): Promise<Listeners> {
  const listeners: Listeners = {
    httpRoutes: [],
    timers: new Map(),
    queues: new Map(),
    blobs: [],
    listing: [],
  };
  const statusStore = memo(async (): Promise<ScheduleStatusStore> => {
    const blobs = await deps.connections.blobService('AzureWebJobsStorage');
    return new BlobScheduleStatusStore(
      blobs.getContainerClient(BlobScheduleStatusStore.containerName),
      deps.hostId,
    );
  });
  for (const plan of plans) {
    const name = plan.fn.metadata.name;
    try {
      await addListener(plan, listeners, deps, statusStore);
    } catch (error) {
      if (error instanceof UnsupportedFeatureError) throw error;
      throw new HostStartupError(
        `The listener for function 'Functions.${name}' was unable to start: ${(error as Error).message}`,
        error,
      );
    }
    listeners.listing.push({
      name,
      trigger: plan.type,
      ...(plan.kind === 'disabled' ? { disabled: true } : {}),
    });
  }
  return listeners;
}

async function addListener(
  plan: TriggerPlan,
  listeners: Listeners,
  deps: ListenerDeps,
  statusStore: () => Promise<ScheduleStatusStore>,
): Promise<void> {
  const { fn, triggerName } = plan;
  const key = fn.metadata.name.toLowerCase();
  const { invoker, bindings, logger, config } = deps;
  switch (plan.kind) {
    case 'disabled':
      return;
    case 'http':
      listeners.httpRoutes.push(httpRouteFor(fn, triggerName));
      return;
    case 'timer':
      listeners.timers.set(
        key,
        new TimerListener({
          fn,
          triggerName,
          schedule: plan.schedule,
          runOnStartup: plan.runOnStartup,
          useMonitor: plan.useMonitor,
          store: plan.useMonitor ? await statusStore() : new InMemoryScheduleStatusStore(),
          invoker,
          writeOutputs: (response) => bindings.writeOutputs(fn, response, {}),
          logger,
        }),
      );
      return;
    case 'queue': {
      const service = await deps.connections.queueService(plan.connection);
      const queue = service.getQueueClient(plan.queueName);
      await queue.createIfNotExists();
      listeners.queues.set(
        key,
        new QueueListener({
          fn,
          triggerName,
          queue,
          poisonQueue: service.getQueueClient(`${plan.queueName}-poison`),
          options: config.queues,
          invoker,
          bindings,
          logger,
          leaseMs: deps.queueLeaseMs,
        }),
      );
      return;
    }
    case 'blob': {
      const blobs = await deps.connections.blobService(plan.connection);
      const hostStorage = await deps.connections.blobService('AzureWebJobsStorage');
      const queues = await deps.connections.queueService('AzureWebJobsStorage');
      listeners.blobs.push(
        new BlobTriggerListener({
          fn,
          triggerName,
          pattern: plan.pattern,
          container: blobs.getContainerClient(plan.pattern.container),
          receipts: hostStorage.getContainerClient(BlobScheduleStatusStore.containerName),
          poisonQueue: queues.getQueueClient('webjobs-blobtrigger-poison'),
          hostId: deps.hostId,
          invoker,
          bindings,
          logger,
          maxAttempts: config.queues.maxDequeueCount,
          retryDelayMs: config.queues.visibilityTimeout,
          encoding: config.queues.messageEncoding,
          pollIntervalMs: deps.blobPollIntervalMs,
        }),
      );
      return;
    }
  }
}

/** The first call's promise, shared by later ones. */
function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
