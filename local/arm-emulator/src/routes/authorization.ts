import { checkApiVersion } from '../armApiVersions.js';
import { armErrors } from '../armErrors.js';
import type { ArmRequest, ArmResponse } from '../armRequest.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { resolveScope } from './locks.js';
import { handleRoleAssignments } from './roleAssignments.js';
import { handleRoleDefinitions } from './roleDefinitions.js';

/** Every api-version of role assignments in `Azure/azure-rest-api-specs`. */
export const ROLE_ASSIGNMENTS_API_VERSIONS = [
  '2022-04-01',
  '2022-01-01-preview',
  '2020-10-01-preview',
  '2020-08-01-preview',
  '2020-04-01-preview',
  '2020-03-01-preview',
  '2018-09-01-preview',
  '2018-01-01-preview',
  '2017-10-01-preview',
  '2015-07-01',
] as const;

/** Every api-version of role definitions in `Azure/azure-rest-api-specs`. */
export const ROLE_DEFINITIONS_API_VERSIONS = [
  '2022-05-01-preview',
  '2022-04-01',
  '2018-01-01-preview',
  '2015-07-01',
] as const;

/** Where `…/providers/Microsoft.Authorization/{type}[/{name}]` starts, or -1. */
function indexOf(lower: string[], type: string): number {
  for (let i = lower.length - 2; i >= 0; i -= 1) {
    if (
      lower[i] === 'providers' &&
      lower[i + 1] === 'microsoft.authorization' &&
      lower[i + 2] === type &&
      lower.length - (i + 3) <= 1
    ) {
      return i;
    }
  }
  return -1;
}

/**
 * Routes role assignments and role definitions at any scope: the tenant (role definitions only),
 * a subscription, a group or a resource. Answers undefined for other paths.
 */
export function routeAuthorization(core: EmulatorCore, req: ArmRequest): ArmResponse | undefined {
  const { segments: s, lower: l } = req;
  const assignments = indexOf(l, 'roleassignments');
  const definitions = indexOf(l, 'roledefinitions');
  const at = Math.max(assignments, definitions);
  if (at < 0) return undefined;
  checkApiVersion(
    req.apiVersion,
    at === assignments ? ROLE_ASSIGNMENTS_API_VERSIONS : ROLE_DEFINITIONS_API_VERSIONS,
  );
  if (at === 0 && at === assignments) throw armErrors.noRoute(req.method, req.path);
  const scope = at === 0 ? '/' : resolveScope(core, s.slice(0, at), l.slice(0, at)).scope;
  const name = s[at + 3];
  return at === assignments
    ? handleRoleAssignments(core, req, scope, name)
    : handleRoleDefinitions(core, req, scope, name);
}
