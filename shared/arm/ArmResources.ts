import { AzureRequestError, classifyError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { type LroPoller, runLro } from '../lro/runLro.js';
import { toLroPoller } from '../lro/toLroPoller.js';
import type { ArmClients } from './armClients.js';
import type { LroCheckpoint } from './ResourceGroups.js';
import type { ResourceDefinition, ResourceSummary, Resources } from './Resources.js';

export interface ArmResourcesOptions {
  /** Fixed poll interval; without it the SDK follows ARM's `Retry-After`. */
  pollIntervalMs?: number;
  /** Budget of one resource's long-running operation. */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * The real `Resources`: generic resources through `resources.beginCreateOrUpdateById` with
 * each type's api-version, VMs through `@azure/arm-compute`, every create through `runLro` (resume
 * token, timeout, cancellation, transient/permanent classification).
 *
 * @example
 * const resources = new ArmResources(await createArmClients(config, credential), { timeoutMs });
 */
export class ArmResources implements Resources {
  constructor(
    private readonly clients: ArmClients,
    private readonly options: ArmResourcesOptions = {},
  ) {}

  async createOrUpdate(
    resourceId: string,
    spec: ResourceDefinition,
    checkpoint: LroCheckpoint,
  ): Promise<void> {
    await runLro<unknown>({
      operation: `create ${spec.type} ${resourceId.split('/').at(-1)}`,
      begin: (o) =>
        spec.kind === 'virtualMachine'
          ? this.beginVirtualMachine(resourceId, spec, o)
          : this.beginGeneric(resourceId, spec, o),
      ...(checkpoint.resumeToken === undefined ? {} : { resumeToken: checkpoint.resumeToken }),
      ...(checkpoint.saveResumeToken ? { saveResumeToken: checkpoint.saveResumeToken } : {}),
      ...(checkpoint.signal ? { signal: checkpoint.signal } : {}),
      ...(this.options.timeoutMs === undefined ? {} : { timeoutMs: this.options.timeoutMs }),
      ...(this.options.pollIntervalMs === undefined
        ? {}
        : { pollIntervalMs: this.options.pollIntervalMs }),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
  }

  async listInGroup(resourceGroupId: string): Promise<ResourceSummary[]> {
    const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)$/i.exec(resourceGroupId);
    if (!match?.[1] || !match[2]) throw new Error(`Not a resource group id: ${resourceGroupId}`);
    if (match[1].toLowerCase() !== this.clients.subscriptionId.toLowerCase()) {
      throw new Error(`The ARM clients act on another subscription than ${match[1]}.`);
    }
    const found: ResourceSummary[] = [];
    try {
      for await (const resource of this.clients.resources.resources.listByResourceGroup(match[2], {
        expand: 'provisioningState,createdTime',
      })) {
        if (!resource.id || !resource.name || !resource.type) continue;
        found.push({
          id: resource.id,
          name: resource.name,
          type: resource.type,
          ...(resource.location ? { location: resource.location } : {}),
          ...(resource.provisioningState ? { provisioningState: resource.provisioningState } : {}),
          ...(resource.createdTime ? { createdTime: resource.createdTime.toISOString() } : {}),
        });
      }
    } catch (error) {
      if (classifyError(error).status === 404) return [];
      throw AzureRequestError.from(error);
    }
    return found.sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  }

  private async beginGeneric(
    resourceId: string,
    spec: ResourceDefinition,
    o: { resumeFrom?: string; updateIntervalInMs?: number; abortSignal: AbortSignal },
  ): Promise<LroPoller<unknown>> {
    return this.clients.resources.resources.beginCreateOrUpdateById(
      resourceId,
      spec.apiVersion,
      spec.body,
      o,
    );
  }

  private async beginVirtualMachine(
    resourceId: string,
    spec: ResourceDefinition,
    o: { resumeFrom?: string; updateIntervalInMs?: number; abortSignal: AbortSignal },
  ): Promise<LroPoller<unknown>> {
    const { compute } = this.clients;
    const options = {
      ...(o.updateIntervalInMs === undefined ? {} : { updateIntervalInMs: o.updateIntervalInMs }),
      abortSignal: o.abortSignal,
    };
    let poller: PromiseLikePoller;
    if (o.resumeFrom !== undefined) {
      const { restorePoller } = await import('@azure/arm-compute');
      poller = restorePoller(
        compute,
        o.resumeFrom,
        compute.virtualMachines.createOrUpdate,
        options,
      );
    } else {
      const { group, name } = locate(resourceId);
      const { properties, ...rest } = spec.body as { properties?: Record<string, unknown> };
      poller = compute.virtualMachines.createOrUpdate(
        group,
        name,
        { ...rest, ...properties } as never,
        options,
      );
    }
    return toLroPoller(poller);
  }
}

type PromiseLikePoller = ReturnType<ArmClients['compute']['virtualMachines']['createOrUpdate']>;

function locate(resourceId: string): { group: string; name: string } {
  const match = /\/resourceGroups\/([^/]+)\/providers\/.+\/([^/]+)$/i.exec(resourceId);
  if (!match?.[1] || !match[2]) throw new Error(`Not a resource id inside a group: ${resourceId}`);
  return { group: match[1], name: match[2] };
}
