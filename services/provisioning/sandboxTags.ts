/**
 * The tag contract on every sandbox resource group. It is public: users, their tools and this
 * product's cleanup read these names, so they never change without a major version.
 */

/** The app that manages the group (`APP_NAME`). Only groups carrying it are sandboxes. */
export const TAG_MANAGED_BY = 'managed-by';
/** Who owns the sandbox: the principal's name, or the owner given under a function key. */
export const TAG_OWNER = 'sandbox-owner';
/** When the lease ends, ISO 8601 in UTC (`2026-01-31T18:00:00.000Z`). */
export const TAG_EXPIRES_AT = 'sandbox-expires-at';
/** The blueprint the sandbox was built from. */
export const TAG_BLUEPRINT = 'sandbox-blueprint';
/** The operation that created the sandbox (`GET /api/operations/{id}`). */
export const TAG_OPERATION_ID = 'sandbox-operation-id';
/** Set by people: cleanup leaves the group alone until this ISO 8601 instant. */
export const TAG_CLEANUP_EXEMPT_UNTIL = 'cleanup-exempt-until';
/** Written by cleanup on the groups it marks: the ISO 8601 instant after which it deletes them. */
export const TAG_CLEANUP_DELETE_AFTER = 'cleanup-delete-after';

/** The tags this app writes on a sandbox; a request may not set them itself. */
export const SANDBOX_TAG_NAMES = [
  TAG_MANAGED_BY,
  TAG_OWNER,
  TAG_EXPIRES_AT,
  TAG_BLUEPRINT,
  TAG_OPERATION_ID,
] as const;

/** ARM's limits on tags: per resource group, per name and per value. */
export const TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 } as const;

/** The values behind the contract tags of one sandbox. */
export interface SandboxTagValues {
  managedBy: string;
  owner: string;
  expiresAt: Date;
  blueprint: string;
  operationId: string;
}

/**
 * The full tag set of a sandbox group: the caller's own tags, then the contract tags, which win.
 *
 * @example
 * buildSandboxTags({ managedBy: 'sandbox-automation', owner: 'ana@contoso.com',
 *   expiresAt: new Date('2026-01-01T08:00:00Z'), blueprint: 'empty', operationId: 'op-1' },
 *   { team: 'data' });
 * // { team: 'data', 'managed-by': 'sandbox-automation', 'sandbox-owner': 'ana@contoso.com',
 * //   'sandbox-expires-at': '2026-01-01T08:00:00.000Z', 'sandbox-blueprint': 'empty',
 * //   'sandbox-operation-id': 'op-1' }
 */
export function buildSandboxTags(
  values: SandboxTagValues,
  userTags: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...userTags,
    [TAG_MANAGED_BY]: values.managedBy,
    [TAG_OWNER]: values.owner,
    [TAG_EXPIRES_AT]: values.expiresAt.toISOString(),
    [TAG_BLUEPRINT]: values.blueprint,
    [TAG_OPERATION_ID]: values.operationId,
  };
}

/** A sandbox as read back from its group's tags. */
export interface SandboxTagView {
  owner: string;
  expiresAt: string;
  blueprint: string;
  operationId: string;
  exemptUntil?: string;
  deleteAfter?: string;
}

/**
 * Reads the contract tags of a group managed by `managedBy`; `undefined` when the group is not a
 * sandbox of this app (another `managed-by`, or a contract tag missing).
 *
 * @example
 * readSandboxTags(group.tags, 'sandbox-automation')?.owner; // 'ana@contoso.com'
 */
export function readSandboxTags(
  tags: Readonly<Record<string, string>>,
  managedBy: string,
): SandboxTagView | undefined {
  const owner = tags[TAG_OWNER];
  const expiresAt = tags[TAG_EXPIRES_AT];
  const blueprint = tags[TAG_BLUEPRINT];
  const operationId = tags[TAG_OPERATION_ID];
  if (tags[TAG_MANAGED_BY] !== managedBy || !owner || !expiresAt || !blueprint || !operationId) {
    return undefined;
  }
  const view: SandboxTagView = { owner, expiresAt, blueprint, operationId };
  const exemptUntil = tags[TAG_CLEANUP_EXEMPT_UNTIL];
  const deleteAfter = tags[TAG_CLEANUP_DELETE_AFTER];
  if (exemptUntil) view.exemptUntil = exemptUntil;
  if (deleteAfter) view.deleteAfter = deleteAfter;
  return view;
}
