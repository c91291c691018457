/**
 * What the app knows of one sandbox besides its tags: how it came to be, its owner, the lease as
 * the app last knew it, and its end. Provisioning writes it when it creates a sandbox's group;
 * the `azureEvents` function when it adopts a group, and when Azure's events say the lease or the
 * group changed outside the app. ARM's tags stay the source of truth for the lease; this record is
 * what a change is measured against.
 */

/** `sandbox-records/{subscriptionId}/{name}.json` (see `recordKeys.sandbox`). */
export interface SandboxRecord {
  subscriptionId: string;
  /** The group's name as ARM spells it. */
  name: string;
  /** Provisioned through the API, or adopted from a group a person created. */
  origin: 'provisioned' | 'adopted';
  /** The operation that provisioned (or adopted) it. */
  operationId: string;
  /** The owner's object id. */
  owner: string;
  ownerName?: string;
  /** The `created-by` tag the app wrote. */
  createdBy?: string;
  /** When the group was created, ISO 8601 UTC (ARM's `createdTime` where known). */
  createdAt: string;
  /** The lease (`sandbox-expires-at`) as the app last knew it; absent when the tag was removed. */
  expiresAt?: string;
  status: 'active' | 'deleted';
  /** Set when the group is gone. */
  deleted?: {
    at: string;
    /** Who deleted it, as `created-by` names principals. */
    by: string;
    /** `out-of-band`: outside the app (the portal, `az`, a script); `app`: a teardown or cleanup. */
    via: 'out-of-band' | 'app';
    /** The Azure event that said so. */
    eventId?: string;
  };
  updatedAt: string;
}
