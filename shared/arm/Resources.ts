import type { LroCheckpoint } from './ResourceGroups.js';

/**
 * A resource to create inside a group, as ARM takes it: its type, the api-version to use and the
 * body. `generic` resources go through ARM's generic resource API; a `virtualMachine` goes
 * through `@azure/arm-compute`, whose body is a `VirtualMachine` model.
 */
export interface ResourceDefinition {
  kind: 'generic' | 'virtualMachine';
  /** Full type, child types included: `Microsoft.Storage/storageAccounts/blobServices/containers`. */
  type: string;
  apiVersion: string;
  body: Record<string, unknown>;
}

/** A resource found in a group, as ARM lists it. */
export interface ResourceSummary {
  id: string;
  name: string;
  type: string;
  location?: string;
  /** ARM's `provisioningState`, where the provider reports one. */
  provisioningState?: string;
  /** When ARM created it, where ARM reports it. */
  createdTime?: string;
}

/**
 * The port through which services create resources inside a group, and list what is there. The real implementation
 * (`ArmResources`) uses `resources.beginCreateOrUpdateById` for generic resources and
 * `@azure/arm-compute` for VMs, both through the shared `runLro`.
 */
export interface Resources {
  /**
   * Creates (or re-applies) the resource and waits for its long-running operation, resuming from
   * `checkpoint.resumeToken` when one was saved. Throws `LroFailedError` and friends.
   */
  createOrUpdate(
    resourceId: string,
    resource: ResourceDefinition,
    checkpoint: LroCheckpoint,
  ): Promise<void>;
  /**
   * The top-level resources in the group (`/subscriptions/{s}/resourceGroups/{g}`), as ARM's
   * `GET …/resources` lists them, sorted by type and name; empty when the group is gone.
   */
  listInGroup(resourceGroupId: string): Promise<ResourceSummary[]>;
}
