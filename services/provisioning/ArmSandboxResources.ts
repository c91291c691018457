import type { ArmClients } from '../../shared/arm/armClients.js';
import type { LroCheckpoint } from '../../shared/arm/ResourceGroups.js';
import { AzureRequestError, classifyError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logging/logger.js';
import { type LroPoller, runLro } from '../../shared/lro/runLro.js';
import { toLroPoller } from '../../shared/lro/toLroPoller.js';
import type { ResourceSpec } from './blueprints/ResourceSpec.js';
import type { SandboxResources } from './SandboxResources.js';

export interface ArmSandboxResourcesOptions {
  /** Fixed poll interval; without it the SDK follows ARM's `Retry-After`. */
  pollIntervalMs?: number;
  /** Budget of one resource's long-running operation. */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * The real `SandboxResources`: generic resources through `resources.beginCreateOrUpdateById` with
 * each type's api-version, VMs through `@azure/arm-compute`, every create through `runLro` (resume
 * token, timeout, cancellation, transient/permanent classification).
 *
 * @example
 * const resources = new ArmSandboxResources(await createArmClients(config, credential), { timeoutMs });
 */
export class ArmSandboxResources implements SandboxResources {
  constructor(
    private readonly clients: ArmClients,
    private readonly options: ArmSandboxResourcesOptions = {},
  ) {}

  async getProvisioningState(resourceId: string, spec: ResourceSpec): Promise<string | undefined> {
    try {
      if (spec.kind === 'virtualMachine') {
        const { group, name } = locate(resourceId);
        const vm = await this.clients.compute.virtualMachines.get(group, name);
        return vm.provisioningState ?? 'Succeeded';
      }
      const resource = await this.clients.resources.resources.getById(resourceId, spec.apiVersion);
      const properties = resource.properties as { provisioningState?: string } | undefined;
      return properties?.provisioningState ?? 'Succeeded';
    } catch (error) {
      if (classifyError(error).status === 404) return undefined;
      throw AzureRequestError.from(error);
    }
  }

  async createOrUpdate(
    resourceId: string,
    spec: ResourceSpec,
    checkpoint: LroCheckpoint,
  ): Promise<void> {
    await runLro<unknown>({
      operation: `create ${spec.type} ${spec.name}`,
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

  private async beginGeneric(
    resourceId: string,
    spec: ResourceSpec,
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
    spec: ResourceSpec,
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
