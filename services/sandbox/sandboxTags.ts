/**
 * The tag contract on every sandbox resource group, and the one way to read it. It is public:
 * users, their tools and this product's features read these names, so they never change without
 * a major version. ARM matches tag names without regard to case (`az` or the portal may write
 * `Managed-By`), so every read here does too; values are compared as they are.
 */

/** The app that manages the group (`APP_NAME`). Only groups carrying it are sandboxes. */
export const TAG_MANAGED_BY = 'managed-by';
/** Who owns the sandbox: the owner's object id (older sandboxes: the name they were given). */
export const TAG_OWNER = 'sandbox-owner';
/** The owner's name, for people (`preferred_username` of the token that asked, or as named). */
export const TAG_OWNER_NAME = 'sandbox-owner-name';
/** When the lease ends, ISO 8601 in UTC (`2026-01-31T18:00:00.000Z`). */
export const TAG_EXPIRES_AT = 'sandbox-expires-at';
/** The blueprint the sandbox was built from. */
export const TAG_BLUEPRINT = 'sandbox-blueprint';
/** The operation that created the sandbox (`GET /api/operations/{id}`). */
export const TAG_OPERATION_ID = 'sandbox-operation-id';
/**
 * `failed` on the group a failed provisioning left for inspection (`FAILED_SANDBOX_POLICY=keep`):
 * its lease is short and it does not count against its owner's quota.
 */
export const TAG_SANDBOX_STATE = 'sandbox-state';
/** The value of `sandbox-state` on what a failed provisioning left. */
export const FAILED_SANDBOX_STATE = 'failed';
/** Set by people: cleanup leaves the group alone until this ISO 8601 instant. */
export const TAG_CLEANUP_EXEMPT_UNTIL = 'cleanup-exempt-until';
/** Written by cleanup on the groups it marks: the ISO 8601 instant after which it deletes them. */
export const TAG_CLEANUP_DELETE_AFTER = 'cleanup-delete-after';
/**
 * Who created the group: a person's sign-in name, or an application's display name and client id
 * (see `formatCreatedBy`). On every group the app creates, and on groups others create once the
 * app hears Azure's event about it.
 */
export const TAG_CREATED_BY = 'created-by';
/** When the group was created, ISO 8601 in UTC. Written with `created-by`. */
export const TAG_CREATED_AT = 'created-at';

/**
 * Set at request, by `PATCH /api/sandboxes/{name}`, by a blueprint's default, or by hand (on the
 * group or on a VM, the VM's winning): when the sandbox's VMs are stopped and started, in Cloud
 * Custodian's off-hours syntax (`off=(M-F,19);on=(M-F,7);tz=Europe/Berlin`), or `off` to opt out.
 */
export const TAG_POWER_SCHEDULE = 'sandbox-power-schedule';

/** The tags this app writes on a sandbox; a request may not set them itself. */
export const SANDBOX_TAG_NAMES = [
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_OWNER_NAME,
  TAG_EXPIRES_AT,
  TAG_BLUEPRINT,
  TAG_OPERATION_ID,
  TAG_CREATED_BY,
  TAG_CREATED_AT,
  TAG_SANDBOX_STATE,
] as const;

/** ARM's limits on tags: per resource group, per name and per value. */
export const TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 } as const;

/** The values behind the contract tags of one sandbox. */
export interface SandboxTagValues {
  managedBy: string;
  owner: string;
  ownerName: string;
  expiresAt: Date;
  blueprint: string;
  operationId: string;
  /** Who asked for the sandbox (see `formatCreatedBy`). */
  createdBy: string;
  createdAt: Date;
}

/**
 * A tag's value by name, ignoring the name's case as ARM does, so that a person who writes
 * `Cleanup-Exempt-Until` by hand is still protected.
 *
 * @example
 * readTag({ 'Managed-By': 'sandbox-automation' }, 'managed-by'); // 'sandbox-automation'
 */
export function readTag(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = tagKey(tags, name);
  return key === undefined ? undefined : tags[key];
}

/**
 * The key under which `tags` holds `name` (in whatever case it was written), or `undefined`.
 * Writing a tag back under that key changes it instead of adding a second spelling.
 *
 * @example
 * tagKey({ 'Sandbox-Expires-At': '…' }, 'sandbox-expires-at'); // 'Sandbox-Expires-At'
 */
export function tagKey(tags: Readonly<Record<string, string>>, name: string): string | undefined {
  if (Object.hasOwn(tags, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(tags).find((key) => key.toLowerCase() === wanted);
}

/**
 * The full tag set of a new sandbox group: the caller's own tags, then the contract tags, which
 * win (a caller's tag that spells a contract name in another case is dropped).
 *
 * @example
 * buildSandboxTags({ managedBy: 'sandbox-automation', owner: 'ana@contoso.com',
 *   ownerName: 'ana@contoso.com', expiresAt: new Date('2026-01-01T08:00:00Z'), blueprint: 'empty', operationId: 'op-1',
 *   createdBy: 'ana@contoso.com', createdAt: new Date('2025-12-31T08:00:00Z') },
 *   { team: 'data' });
 * // { team: 'data', 'managed-by': 'sandbox-automation', 'sandbox-owner': 'ana@contoso.com',
 * //   'sandbox-owner-name': 'ana@contoso.com', 'sandbox-expires-at': '2026-01-01T08:00:00.000Z', 'sandbox-blueprint': 'empty',
 * //   'sandbox-operation-id': 'op-1', 'created-by': 'ana@contoso.com', 'created-at': '2025-12-31T08:00:00.000Z' }
 */
export function buildSandboxTags(
  values: SandboxTagValues,
  userTags: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const reserved = new Set<string>(SANDBOX_TAG_NAMES);
  const own = Object.entries(userTags).filter(([name]) => !reserved.has(name.toLowerCase()));
  return {
    ...Object.fromEntries(own),
    [TAG_MANAGED_BY]: values.managedBy,
    [TAG_OWNER]: values.owner,
    [TAG_OWNER_NAME]: values.ownerName,
    [TAG_EXPIRES_AT]: values.expiresAt.toISOString(),
    [TAG_BLUEPRINT]: values.blueprint,
    [TAG_OPERATION_ID]: values.operationId,
    [TAG_CREATED_BY]: values.createdBy,
    [TAG_CREATED_AT]: values.createdAt.toISOString(),
  };
}

/** A sandbox as read back from its group's tags. */
export interface SandboxTagView {
  owner: string;
  /** The owner's name for people; absent on sandboxes made before it was recorded. */
  ownerName?: string;
  /** The lease's end, as written. */
  expiresAt: string;
  /** Absent on a group that was made a sandbox by hand. */
  blueprint?: string;
  operationId?: string;
  /** `failed`: what a failed provisioning left, kept for inspection. */
  sandboxState?: string;
  exemptUntil?: string;
  deleteAfter?: string;
  powerSchedule?: string;
}

/**
 * Whether the group is managed by this app (`managed-by` equals `appName`, in any case of the
 * tag's name).
 *
 * @example
 * isManagedBy({ 'Managed-By': 'sandbox-automation' }, 'sandbox-automation'); // true
 */
export function isManagedBy(tags: Readonly<Record<string, string>>, appName: string): boolean {
  return readTag(tags, TAG_MANAGED_BY) === appName;
}

/**
 * Reads the contract tags of a sandbox of `managedBy`. A group is a sandbox when it carries
 * `managed-by` (equal to `managedBy`), `sandbox-owner` and `sandbox-expires-at`, in any case;
 * the blueprint and operation tags are optional. `undefined` for anything else.
 *
 * @example
 * readSandboxTags(group.tags, 'sandbox-automation')?.owner; // 'ana@contoso.com'
 */
export function readSandboxTags(
  tags: Readonly<Record<string, string>>,
  managedBy: string,
): SandboxTagView | undefined {
  const owner = readTag(tags, TAG_OWNER);
  const expiresAt = readTag(tags, TAG_EXPIRES_AT);
  if (!isManagedBy(tags, managedBy) || !owner || !expiresAt) return undefined;
  const optional = {
    ownerName: readTag(tags, TAG_OWNER_NAME),
    blueprint: readTag(tags, TAG_BLUEPRINT),
    operationId: readTag(tags, TAG_OPERATION_ID),
    sandboxState: readTag(tags, TAG_SANDBOX_STATE),
    exemptUntil: readTag(tags, TAG_CLEANUP_EXEMPT_UNTIL),
    deleteAfter: readTag(tags, TAG_CLEANUP_DELETE_AFTER),
    powerSchedule: readTag(tags, TAG_POWER_SCHEDULE),
  };
  return {
    owner,
    expiresAt,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v)),
  };
}
