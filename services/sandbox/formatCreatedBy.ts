import { TAG_LIMITS } from './sandboxTags.js';

/** Who created a group, as far as it is known: from a token, or from the claims of Azure's event. */
export interface CreatorPrincipal {
  kind: 'user' | 'application';
  /** A person's sign-in name; an application's or managed identity's display name, when known. */
  name?: string;
  /** An application's or managed identity's client id. */
  appId?: string;
  objectId?: string;
}

/**
 * The `created-by` tag's value: a person's sign-in name; for an application or managed identity
 * its display name and client id, `name (appId)`, or the client id alone when no name is known;
 * the object id when nothing else is. At most 256 characters (ARM's limit on a tag value).
 * `undefined` when the principal names nothing at all.
 *
 * @example
 * formatCreatedBy({ kind: 'user', name: 'ana@contoso.com' }); // 'ana@contoso.com'
 * formatCreatedBy({ kind: 'application', name: 'id-deployer', appId: '5f0c…' }); // 'id-deployer (5f0c…)'
 */
export function formatCreatedBy(principal: CreatorPrincipal): string | undefined {
  const name = principal.name?.trim() || undefined;
  const appId = principal.appId?.trim() || undefined;
  const value =
    principal.kind === 'user'
      ? (name ?? principal.objectId)
      : name && appId && name.toLowerCase() !== appId.toLowerCase()
        ? `${name} (${appId})`
        : (appId ?? name ?? principal.objectId);
  return value?.slice(0, TAG_LIMITS.maxValueLength);
}
