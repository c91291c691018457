/**
 * The real `ResourceGroups`: ARM through `@azure/arm-resources` and `@azure/arm-locks`, with the
 * clients from `createArmClients` and deletes through `runLro` (resume token checkpointing).
 */
import type { ResourceGroup } from '@azure/arm-resources';
import { type Clock, systemClock } from '../clock.js';
import type { AppConfig } from '../config.js';
import { createCredential } from '../credentials.js';
import { AzureRequestError, classifyError, LroFailedError, LroTimeoutError } from '../errors.js';
import { type Logger, silentLogger } from '../logging/logger.js';
import { runLro } from '../lro/runLro.js';
import { type ArmClientOptions, type ArmClients, createArmClients } from './armClients.js';
import type {
  LockInfo,
  LroCheckpoint,
  ResourceGroupInfo,
  ResourceGroups,
} from './ResourceGroups.js';

export interface ArmResourceGroupsOptions {
  /** The whole delete's budget. Default 60 minutes. */
  lroTimeoutMs?: number;
  /** Fixed poll interval; default: ARM's `Retry-After`. */
  pollIntervalMs?: number;
  logger?: Logger;
  /** Whose time to wait with while someone else's delete finishes. Default: real time. */
  clock?: Clock;
}

export class ArmResourceGroups implements ResourceGroups {
  private readonly log: Logger;

  /**
   * @param clientsFor the ARM clients of a subscription (see `createArmClients`).
   */
  constructor(
    private readonly clientsFor: (subscriptionId: string) => Promise<ArmClients>,
    private readonly options: ArmResourceGroupsOptions = {},
  ) {
    this.log = options.logger ?? silentLogger;
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
      await resources.tagsOperations.beginUpdateAtScopeAndWait(
        `/subscriptions/${subscriptionId}/resourceGroups/${name}`,
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

  async listLocks(subscriptionId: string, name: string): Promise<LockInfo[]> {
    const { locks } = await this.clientsFor(subscriptionId);
    const found: LockInfo[] = [];
    try {
      // At resource-group level ARM returns the group's locks and those of the resources in it.
      for await (const lock of locks.managementLocks.listAtResourceGroupLevel(name)) {
        found.push({
          id: lock.id ?? '',
          name: lock.name ?? '',
          // `NotSpecified` is not a level anyone sets on purpose; treat it as the safer one.
          level: lock.level === 'ReadOnly' ? 'ReadOnly' : 'CanNotDelete',
          ...(lock.notes ? { notes: lock.notes } : {}),
        });
      }
    } catch (error) {
      if (classifyError(error).status === 404) return [];
      throw AzureRequestError.from(error);
    }
    return found;
  }

  async delete(
    subscriptionId: string,
    name: string,
    checkpoint: LroCheckpoint = {},
  ): Promise<'deleted' | 'not-found'> {
    const { resources } = await this.clientsFor(subscriptionId);
    const log = this.log.child({ resourceGroup: name, subscriptionId });
    const run = (resumeToken: string | undefined) =>
      runLro<void>({
        operation: `delete resource group ${name}`,
        begin: (o) => resources.resourceGroups.beginDelete(name, o),
        ...(resumeToken === undefined ? {} : { resumeToken }),
        ...(checkpoint.saveResumeToken ? { saveResumeToken: checkpoint.saveResumeToken } : {}),
        ...(this.options.lroTimeoutMs === undefined
          ? {}
          : { timeoutMs: this.options.lroTimeoutMs }),
        ...(this.options.pollIntervalMs === undefined
          ? {}
          : { pollIntervalMs: this.options.pollIntervalMs }),
        ...(checkpoint.signal ? { signal: checkpoint.signal } : {}),
        ...(this.options.clock ? { clock: this.options.clock } : {}),
        logger: log,
      });

    try {
      await run(checkpoint.resumeToken);
      return 'deleted';
    } catch (error) {
      if (!(error instanceof LroFailedError)) throw error;
      if (error.status === 404 && checkpoint.resumeToken === undefined) return 'not-found';
      if (error.status === 404) {
        // Resumed, and ARM no longer knows the operation: the group itself says how it ended.
        log.info('saved delete operation is gone; checking the group');
        if (!(await this.get(subscriptionId, name))) return 'deleted';
        await run(undefined);
        return 'deleted';
      }
      if (error.code === 'ResourceGroupBeingDeleted') {
        // Someone else's delete (or ours, started before a crash that lost the token) is running.
        log.info('resource group is already being deleted; waiting for it to go');
        await this.waitUntilGone(subscriptionId, name, checkpoint.signal);
        return 'deleted';
      }
      throw error;
    }
  }

  private async waitUntilGone(subscriptionId: string, name: string, signal?: AbortSignal) {
    const clock = this.options.clock ?? systemClock;
    const interval = this.options.pollIntervalMs ?? 5_000;
    const deadline = clock.now().getTime() + (this.options.lroTimeoutMs ?? 60 * 60_000);
    while (clock.now().getTime() < deadline) {
      const group = await this.get(subscriptionId, name);
      if (!group) return;
      if (group.provisioningState !== 'Deleting') {
        throw new LroFailedError(`delete resource group ${name}`, {
          kind: 'transient',
          code: 'ResourceGroupDeleteAbandoned',
          message: `the group is ${group.provisioningState} again; the other delete did not finish`,
        });
      }
      await clock.delay(interval, signal);
    }
    throw new LroTimeoutError(
      `delete resource group ${name}`,
      this.options.lroTimeoutMs ?? 60 * 60_000,
    );
  }
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
