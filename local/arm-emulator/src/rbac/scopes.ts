/**
 * Scope arithmetic for RBAC. Scopes are resource ids (`/subscriptions/{s}`,
 * `/subscriptions/{s}/resourceGroups/{g}`, a resource id) or `/`, the tenant root; ARM compares
 * them case-insensitively.
 */

/** One slash between segments, none at the end; `/` stays `/`. */
export function normalizeScope(scope: string): string {
  const segments = scope.split('/').filter((segment) => segment.length > 0);
  return `/${segments.join('/')}`;
}

/**
 * Whether `scope` is `ancestor` or lies under it, so that an assignment at `ancestor` applies.
 *
 * @example
 * isAtOrBelow('/subscriptions/s/resourceGroups/rg', '/subscriptions/S'); // true
 */
export function isAtOrBelow(scope: string, ancestor: string): boolean {
  const a = normalizeScope(ancestor).toLowerCase();
  if (a === '/') return true;
  const s = normalizeScope(scope).toLowerCase();
  return s === a || s.startsWith(`${a}/`);
}

/** The subscription id in a scope, lower case, or undefined for the tenant root. */
export function subscriptionOf(scope: string): string | undefined {
  const segments = normalizeScope(scope).split('/');
  return segments[1]?.toLowerCase() === 'subscriptions' ? segments[2]?.toLowerCase() : undefined;
}
