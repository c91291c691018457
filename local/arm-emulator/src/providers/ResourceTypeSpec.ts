import type { ArmState, ResourceRecord } from '../ArmState.js';
import type { OperationDurations } from '../EmulatorOptions.js';

/**
 * How a provider answers a PUT:
 * - `sync`: done at once, the body in the answer (`createdStatus` for a new resource, 200 after);
 * - `asyncOperation`: 201/200 with a non-terminal `provisioningState` and `Azure-AsyncOperation`
 *   (network, compute);
 * - `accepted`: 202 with an empty body and the polling headers; the final GET carries what the
 *   provider computed (storage accounts: `Location`; MySQL: both headers). `updateInPlace`: a PUT
 *   on an existing resource answers 200 at once, as storage does.
 */
export type PutBehaviour =
  | { kind: 'sync'; createdStatus: 200 | 201 }
  | {
      kind: 'asyncOperation';
      duration: keyof OperationDurations;
      /** What `provisioningState` reads while the create runs. */
      pendingState: 'Creating' | 'Updating';
      /** The provider's own `Azure-AsyncOperation` path segment: Event Grid says `operationsStatus`. */
      statusSegment?: 'operationsStatus';
    }
  | {
      kind: 'accepted';
      duration: keyof OperationDurations;
      headers: 'location' | 'both';
      updateInPlace: boolean;
      /** The provider's own polling path segment: storage says `asyncoperations`. */
      pollSegment?: 'asyncoperations';
    };

/** How a provider answers a DELETE: 200 at once, or 202 with `Location` (and maybe both headers). */
export type DeleteBehaviour =
  | { kind: 'sync' }
  | {
      kind: 'accepted';
      duration: keyof OperationDurations;
      headers: 'location' | 'both';
      statusSegment?: 'operationsStatus';
    };

/** An error a provider reports by failing the long-running operation rather than the request. */
export interface OperationFailure {
  status: number;
  code: string;
  message: string;
}

/** One resource type as its provider registers it: versions, operation shapes, computed fields. */
export interface ResourceTypeSpec {
  /** Full type: `Microsoft.Storage/storageAccounts/blobServices/containers`. */
  type: string;
  /** Every api-version the provider publishes for the type, newest first. */
  apiVersions: readonly string[];
  put: PutBehaviour;
  delete: DeleteBehaviour;
  /** False for types whose provider reports no `provisioningState` (blob containers). */
  provisioningState: boolean;
  /** The provider's limit on tag names, when it is below ARM's 512 (storage accounts: 128). */
  tagNameMaxLength?: number;
  /** Request properties the provider never returns (passwords). */
  writeOnlyProperties?: readonly string[];
  /** Properties the provider sets when it accepts the PUT; throws an ArmError to refuse it. */
  onPut?(resource: ResourceRecord, state: ArmState, now: number): void;
  /**
   * Checks the provider makes once it has accepted the PUT: their failure ends the operation
   * `Failed` (Event Grid's endpoint validation), not the request.
   */
  asyncFailure?(
    resource: ResourceRecord,
    state: ArmState,
    now: number,
  ): OperationFailure | undefined;
  /** Properties (and default children) the provider sets when the resource reaches Succeeded. */
  onSucceeded?(resource: ResourceRecord, state: ArmState, now: number): void;
  /** Properties computed at read time from other records (a vnet's subnets). */
  readProperties?(resource: ResourceRecord, state: ArmState): Record<string, unknown>;
}
