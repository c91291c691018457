import type { LroCheckpoint } from '../../shared/arm/ResourceGroups.js';
import type { ResourceSpec } from './blueprints/ResourceSpec.js';

/**
 * The port through which the worker creates a blueprint's resources inside a sandbox group.
 * The real implementation (`ArmSandboxResources`) uses `resources.beginCreateOrUpdateById` for
 * generic resources and `@azure/arm-compute` for VMs, both through the shared `runLro`.
 */
export interface SandboxResources {
  /** ARM's `provisioningState` of the resource, or `undefined` when it does not exist (404). */
  getProvisioningState(resourceId: string, spec: ResourceSpec): Promise<string | undefined>;
  /**
   * Creates (or re-applies) the resource and waits for its long-running operation, resuming from
   * `checkpoint.resumeToken` when one was saved. Throws `LroFailedError` and friends.
   */
  createOrUpdate(resourceId: string, spec: ResourceSpec, checkpoint: LroCheckpoint): Promise<void>;
}
