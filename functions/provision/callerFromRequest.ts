import type { HttpRequest } from '@azure/functions';
import type { Caller } from '../../services/provisioning/Caller.js';
import { clientPrincipalHeader, parseClientPrincipal } from '../../shared/http/principal.js';
import { HttpInputError } from './HttpInputError.js';

/**
 * The signed-in caller from `x-ms-client-principal`, or `undefined` when the header is absent
 * (automation under a function key). A header that is present but unreadable is a 401: it is
 * never silently treated as "no principal".
 *
 * @example
 * const caller = callerFromRequest(request); // { name: 'ana@contoso.com', roles: [], … }
 */
export function callerFromRequest(request: HttpRequest): Caller | undefined {
  const header = request.headers.get(clientPrincipalHeader);
  if (header === null || header.trim() === '') return undefined;
  const { principal, reason } = parseClientPrincipal(header);
  if (!principal)
    throw new HttpInputError(
      401,
      'Unauthorized',
      `Unreadable ${clientPrincipalHeader}: ${reason}.`,
    );
  return { id: principal.id, name: principal.name, roles: principal.roles, authenticated: true };
}
