/**
 * The limits a sandbox request is checked against, from app settings (`config.policy`).
 * Plain data: the checks in `evaluateSandboxPolicy` are pure functions of it.
 */
export interface ProvisioningPolicy {
  /** ARM location names, lowercase without spaces (`westeurope`). */
  allowedLocations: readonly string[];
  /** VM sizes, for example `Standard_B2s`; compared case-insensitively. */
  allowedVmSizes: readonly string[];
  /** Image URNs `publisher:offer:sku:version`; compared case-insensitively. */
  allowedVmImages: readonly string[];
  defaultTtlHours: number;
  maxTtlHours: number;
  /** Active (existing, managed) sandboxes one owner may hold at once. */
  maxSandboxesPerOwner: number;
}
