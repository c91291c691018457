import type { ResourceGroupInfo } from '../../shared/arm/ResourceGroups.js';
import { readSandboxTags, type SandboxTagView } from './sandboxTags.js';

/** A sandbox as the API shows it, read from its group's tags in ARM. */
export interface SandboxView extends SandboxTagView {
  name: string;
  resourceGroupId: string;
  location: string;
  /** ARM's provisioning state of the group: `Succeeded`, `Deleting`, … */
  state: string;
  /** Every tag on the group, the contract tags included. */
  tags: Record<string, string>;
}

/**
 * The sandbox behind a resource group, or `undefined` when the group is not a sandbox of
 * `appName` (see `readSandboxTags`).
 *
 * @example
 * toSandboxView(group, 'sandbox-automation')?.expiresAt; // '2026-01-01T08:00:00.000Z'
 */
export function toSandboxView(group: ResourceGroupInfo, appName: string): SandboxView | undefined {
  const tags = readSandboxTags(group.tags, appName);
  if (!tags) return undefined;
  return {
    name: group.name,
    resourceGroupId: group.id,
    location: group.location,
    state: group.provisioningState,
    ...tags,
    tags: { ...group.tags },
  };
}
