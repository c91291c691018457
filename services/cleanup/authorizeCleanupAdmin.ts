import { isAdmin, parseClientPrincipal } from '../../shared/http/principal.js';
import { NotCleanupAdminError } from './CleanupError.js';

/**
 * The admin behind a request on the principal routes: the platform's `x-ms-client-principal` must
 * match `ADMIN_PRINCIPALS` (a name, an id, or an app role listed as `role:<name>`). Returns the name recorded as
 * `requestedBy`/`approvedBy`; throws `NotCleanupAdminError` otherwise.
 *
 * @example
 * authorizeCleanupAdmin(request.headers.get('x-ms-client-principal'), config.adminPrincipals); // 'ana@contoso.com'
 */
export function authorizeCleanupAdmin(
  principalHeader: string | null | undefined,
  admins: readonly string[],
): string {
  const { principal } = parseClientPrincipal(principalHeader);
  if (!principal || !isAdmin(principal, admins)) throw new NotCleanupAdminError(principal?.name);
  return principal.name;
}
