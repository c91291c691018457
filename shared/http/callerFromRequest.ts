import type { HttpRequest } from '@azure/functions';
import { UnauthorizedError } from '../apiErrors.js';
import { ADMIN_KEY_CALLER, type Caller } from '../auth/Caller.js';
import { clientPrincipalHeader, parseClientPrincipal } from '../auth/parseClientPrincipal.js';

/**
 * The caller of a request. On a route the host guards with the admin key, it is the key's
 * holder. Otherwise it is the signed-in principal from `x-ms-client-principal`, or `undefined`
 * when the header is absent (automation under a function key). A header that is present but
 * unreadable is a 401: it is never silently treated as "no principal".
 *
 * @example
 * const caller = callerFromRequest(request, 'function'); // { name: 'ana@contoso.com', via: 'principal', … }
 */
export function callerFromRequest(
  request: HttpRequest,
  authLevel: 'anonymous' | 'function' | 'admin',
): Caller | undefined {
  if (authLevel === 'admin') return ADMIN_KEY_CALLER;
  const header = request.headers.get(clientPrincipalHeader);
  if (header === null || header.trim() === '') return undefined;
  const { principal, reason } = parseClientPrincipal(header);
  if (!principal) {
    throw new UnauthorizedError(`Unreadable ${clientPrincipalHeader}: ${reason}.`, {
      code: 'InvalidClientPrincipal',
    });
  }
  return { id: principal.id, name: principal.name, roles: principal.roles, via: 'principal' };
}
