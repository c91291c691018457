/**
 * The real `ResourceGroups`: ARM through `@azure/arm-resources` and `@azure/arm-locks`, with the
 * clients from `createArmClients`; deletes start and end through `ResourceGroupDeletes` (resume
 * token checkpointing, looks shared by every delete of a subscription).
 */
import type { ResourceGroup } from '@azure/arm-resources';
import { type Clock, systemClock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { createCredential } from '../credentials.js';
import {
  AzureRequestError,
  classifyError,
  LroCancelledError,
  LroFailedError,
  LroTimeoutError,
} from '../errors.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { type ArmClientOptions, type ArmClients, createArmClients } from './armClients.js';
import {
  type DeleteOperation,
  deleteResumeToken,
  ResourceGroupDeletes,
  readDeleteResumeToken,
} from './ResourceGroupDeletes.js';
import {
  type LockInfo,
  type LroCheckpoint,
  locksOfGroup,
  type ResourceGroupInfo,
  type ResourceGroups,
  type SubscriptionLock,
} from './ResourceGroups.js';
import { SharedListings } from './SharedListings.js';

export interface ArmResourceGroupsOptions {
  /** The whole delete's budget. Default 60 minutes. */
  lroTimeoutMs?: number;
  /** Fixed poll interval; default: ARM's `Retry-After`. */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Whose time to wait and measure listings' age with. Default: real time. */
  clock?: Clock;
}

export class ArmResourceGroups implements ResourceGroups {
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly deletes: ResourceGroupDeletes;
  /** The subscriptions' lock listings, shared by the groups that ask within their `maxAgeMs`. */
  private readonly lockListings: SharedListings<SubscriptionLock[]>;

  /**
   * @param clientsFor the ARM clients of a subscription (see `createArmClients`).
   */
  constructor(
    private readonly clientsFor: (subscriptionId: string) => Promise<ArmClients>,
    private readonly options: ArmResourceGroupsOptions = {},
  ) {
    this.log = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.deletes = new ResourceGroupDeletes({
      clientsFor,
      list: (subscriptionId) => this.list(subscriptionId),
      get: (subscriptionId, name) => this.get(subscriptionId, name),
      clock: this.clock,
    });
    this.lockListings = new SharedListings(
      (subscriptionId) => this.listLocksInSubscription(subscriptionId),
      this.clock,
    );
  }

  /**
   * The port over the configured ARM endpoint and the app's managed identity.
   *
   * @example
   * const groups = await ArmResourceGroups.fromConfig(getConfig(), { logger });
   * for await (const g of groups.list(subscriptionId)) console.log(g.name, g.createdTime);
   */
  static async fromConfig(
    config: Pick<
      AppConfig,
      'armEndpoint' | 'subscriptionId' | 'clientId' | 'lroTimeoutMinutes' | 'lroPollIntervalMs'
    >,
    options: Omit<ArmResourceGroupsOptions, 'lroTimeoutMs' | 'pollIntervalMs'> &
      Pick<ArmClientOptions, 'retryOptions'> = {},
  ): Promise<ArmResourceGroups> {
    const credential = await createCredential(config);
    return new ArmResourceGroups(
      (subscriptionId) =>
        createArmClients(config, credential, {
          subscriptionId,
          retryOptions: options.retryOptions,
        }),
      {
        ...options,
        lroTimeoutMs: config.lroTimeoutMinutes * 60_000,
        ...(config.lroPollIntervalMs === undefined
          ? {}
          : { pollIntervalMs: config.lroPollIntervalMs }),
      },
    );
  }

  async *list(subscriptionId: string): AsyncIterable<ResourceGroupInfo> {
    const { resources } = await this.clientsFor(subscriptionId);
    try {
      // `createdTime` arrives because armClients' policy adds `$expand=createdTime`; the SDK keeps
      // properties its model does not know, so it is on the deserialized group.
      for await (const page of resources.resourceGroups.list().byPage()) {
        for (const group of page) yield toInfo(subscriptionId, group);
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async get(subscriptionId: string, name: string): Promise<ResourceGroupInfo | undefined> {
    const { resources } = await this.clientsFor(subscriptionId);
    try {
      return toInfo(subscriptionId, await resources.resourceGroups.get(name));
    } catch (error) {
      if (classifyError(error).status === 404) return undefined;
      throw AzureRequestError.from(error);
    }
  }

  async createOrUpdate(
    subscriptionId: string,
    name: string,
    group: { location: string; tags: Record<string, string> },
  ): Promise<ResourceGroupInfo> {
    const { resources } = await this.clientsFor(subscriptionId);
    try {
      const result = await resources.resourceGroups.createOrUpdate(name, {
        location: group.location,
        tags: group.tags,
      });
      return toInfo(subscriptionId, result);
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async mergeTags(
    subscriptionId: string,
    name: string,
    tags: Record<string, string>,
  ): Promise<ResourceGroupInfo> {
    const { resources } = await this.clientsFor(subscriptionId);
    try {
      // The SDK's path is `/{scope}/providers/…` with the scope unencoded: a scope that began with
      // `/` would make the URL's path begin with `//`.
      await resources.tagsOperations.beginUpdateAtScopeAndWait(
        `subscriptions/${subscriptionId}/resourceGroups/${name}`,
        { operation: 'Merge', properties: { tags } },
        this.options.pollIntervalMs === undefined
          ? {}
          : { updateIntervalInMs: this.options.pollIntervalMs },
      );
      return toInfo(subscriptionId, await resources.resourceGroups.get(name));
    } catch (error) {
      throw AzureRequestError.from(error);
    }
  }

  async listLocks(
    subscriptionId: string,
    name: string,
    options: { maxAgeMs?: number } = {},
  ): Promise<LockInfo[]> {
    if (options.maxAgeMs !== undefined) {
      const notBefore = this.clock.now().getTime() - options.maxAgeMs;
      const { value } = await this.lockListings.startedSince(subscriptionId, notBefore);
      return locksOfGroup(value, name);
    }
    const { locks } = await this.clientsFor(subscriptionId);
    const found: LockInfo[] = [];
    try {
      // At resource-group level ARM returns the group's locks and those of the resources in it.
      for await (const lock of locks.managementLocks.listAtResourceGroupLevel(name)) {
        found.push(toLock(lock));
      }
    } catch (error) {
      if (classifyError(error).status === 404) return [];
      throw AzureRequestError.from(error);
    }
    return found;
  }

  async listLocksInSubscription(subscriptionId: string): Promise<SubscriptionLock[]> {
    const { locks } = await this.clientsFor(subscriptionId);
    const found: SubscriptionLock[] = [];
    try {
      for await (const lock of locks.managementLocks.listAtSubscriptionLevel()) {
        const group = /\/resourcegroups\/([^/]+)/i.exec(lock.id ?? '')?.[1];
        found.push({ ...toLock(lock), ...(group ? { resourceGroup: group } : {}) });
      }
    } catch (error) {
      throw AzureRequestError.from(error);
    }
    return found;
  }

  /**
   * Sends the DELETE (unless resuming), saves the resume token, then waits for the delete to end:
   * looks spaced by ARM's `Retry-After` (or `pollIntervalMs`), each one shared with the other
   * deletes of the subscription (see `ResourceGroupDeletes`), within `checkpoint.waitMs` and the
   * LRO budget.
   */
  async delete(
    subscriptionId: string,
    name: string,
    checkpoint: LroCheckpoint = {},
  ): Promise<'deleted' | 'not-found'> {
    const operation = `delete resource group ${name}`;
    const log = this.log.child({ resourceGroup: name, subscriptionId });
    const began = this.clock.now().getTime();
    const timeoutMs = this.options.lroTimeoutMs ?? 60 * 60_000;
    let token = checkpoint.resumeToken;
    let running = token === undefined ? undefined : readDeleteResumeToken(token);
    if (token !== undefined && running === undefined) {
      // A token we cannot read is as good as none: ARM treats a second DELETE idempotently.
      log.warn('saved resume token is unreadable; sending the delete again');
      token = undefined;
    }
    for (;;) {
      if (running === undefined) {
        const started = await this.deletes.start(subscriptionId, name, checkpoint.signal);
        if (started.kind === 'not-found') return checkpoint.resumeToken ? 'deleted' : 'not-found';
        if (started.kind === 'deleted') return 'deleted';
        running = started.operation;
        log.debug('resource group delete accepted', { retryAfterMs: running.retryAfterMs });
        if (running.location) {
          token = deleteResumeToken(running);
          await this.saveToken(checkpoint, token, log);
        }
      }
      const ended = await this.waitForDelete(subscriptionId, name, running, {
        operation,
        token,
        began,
        timeoutMs,
        checkpoint,
      });
      if (ended === 'deleted') return 'deleted';
      // ARM forgot the operation and the group is still there: the delete never took; send it again.
      log.info('saved delete operation is gone and the group remains; deleting again');
      running = undefined;
    }
  }

  private async waitForDelete(
    subscriptionId: string,
    name: string,
    running: DeleteOperation,
    context: {
      operation: string;
      token: string | undefined;
      began: number;
      timeoutMs: number;
      checkpoint: LroCheckpoint;
    },
  ): Promise<'deleted' | 'lost'> {
    const { operation, token, began, timeoutMs, checkpoint } = context;
    const interval = (retryAfterMs: number) => this.options.pollIntervalMs ?? retryAfterMs;
    let retryAfterMs = running.retryAfterMs;
    let dueAt = Math.max(running.acceptedAt + interval(retryAfterMs), began);
    for (;;) {
      const now = this.clock.now().getTime();
      const wait = Math.max(0, dueAt - now);
      if (checkpoint.waitMs !== undefined && now + wait > began + checkpoint.waitMs) {
        throw new LroTimeoutError(
          operation,
          checkpoint.waitMs,
          token,
          Math.max(wait, retryAfterMs),
        );
      }
      if (now + wait > began + timeoutMs) throw new LroTimeoutError(operation, timeoutMs, token);
      try {
        if (wait > 0) await this.clock.delay(wait, checkpoint.signal);
        checkpoint.signal?.throwIfAborted();
      } catch (error) {
        throw new LroCancelledError(operation, token, checkpoint.signal?.reason ?? error);
      }
      let look: Awaited<ReturnType<ResourceGroupDeletes['look']>>;
      try {
        look = await this.deletes.look(subscriptionId, name, running, checkpoint.signal);
      } catch (error) {
        if (checkpoint.signal?.aborted) {
          throw new LroCancelledError(operation, token, checkpoint.signal.reason);
        }
        const failure = classifyError(error);
        if (failure.kind !== 'transient' || error instanceof LroFailedError) {
          throw error instanceof LroFailedError
            ? error
            : new LroFailedError(operation, failure, { resumeToken: token, cause: error });
        }
        // A look that failed on the way (throttled, a 5xx) says nothing about the delete.
        look = { kind: 'running', retryAfterMs: failure.retryAfterMs ?? 1_000 };
      }
      if (look.kind !== 'running') return look.kind;
      retryAfterMs = look.retryAfterMs;
      dueAt = this.clock.now().getTime() + interval(retryAfterMs);
    }
  }

  private async saveToken(checkpoint: LroCheckpoint, token: string, log: Logger): Promise<void> {
    if (!checkpoint.saveResumeToken) return;
    try {
      await checkpoint.saveResumeToken(token);
    } catch (error) {
      // The delete is already running in Azure; failing here would only send it twice.
      log.warn('could not save the resume token; a crash now would send the delete again', {
        error,
      });
    }
  }
}

function toLock(lock: { id?: string; name?: string; level?: string; notes?: string }): LockInfo {
  return {
    id: lock.id ?? '',
    name: lock.name ?? '',
    // `NotSpecified` is not a level anyone sets on purpose; treat it as the safer one.
    level: lock.level === 'ReadOnly' ? 'ReadOnly' : 'CanNotDelete',
    ...(lock.notes ? { notes: lock.notes } : {}),
  };
}

/** ARM's group as the port's plain data. */
export function toInfo(subscriptionId: string, group: ResourceGroup): ResourceGroupInfo {
  const extra = group as ResourceGroup & {
    createdTime?: unknown;
    properties?: { createdTime?: unknown };
  };
  const created = extra.createdTime ?? extra.properties?.createdTime;
  const name = group.name ?? '';
  return {
    subscriptionId,
    name,
    id: group.id ?? `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
    location: group.location,
    tags: { ...(group.tags ?? {}) },
    provisioningState: group.properties?.provisioningState ?? 'Succeeded',
    ...(created === undefined || created === null
      ? {}
      : { createdTime: created instanceof Date ? created.toISOString() : String(created) }),
  };
}
