import { checkApiVersion, LOCKS_API_VERSIONS, RESOURCES_API_VERSIONS } from './armApiVersions.js';
import { armErrors } from './armErrors.js';
import type { ArmRequest, ArmResponse } from './armRequest.js';
import type { EmulatorCore } from './EmulatorCore.js';
import { routeAuthorization } from './routes/authorization.js';
import { handleLocks } from './routes/locks.js';
import { operationResult, operationStatus } from './routes/operations.js';
import { handleResourceGroup, listResourceGroups } from './routes/resourceGroups.js';
import { handleProviderPath, listResources, listTypedInSubscription } from './routes/resources.js';
import { getSubscription, listSubscriptions } from './routes/subscriptions.js';
import { handleTags } from './routes/tags.js';
import { routeUserAssignedIdentities } from './routes/userAssignedIdentities.js';

/** Where `…/providers/Microsoft.Authorization/locks[/{name}]` starts, or -1. */
function locksIndex(lower: string[]): number {
  for (let i = lower.length - 2; i >= 0; i -= 1) {
    if (
      lower[i] === 'providers' &&
      lower[i + 1] === 'microsoft.authorization' &&
      lower[i + 2] === 'locks' &&
      lower.length - (i + 3) <= 1
    ) {
      return i;
    }
  }
  return -1;
}

function only(req: ArmRequest, ...methods: string[]): void {
  if (!methods.includes(req.method)) throw armErrors.methodNotAllowed(req.method);
}

/**
 * Maps an authenticated ARM request to its handler. Matching is case-insensitive, like ARM's
 * (`resourcegroups` and `resourceGroups` are the same path).
 */
export function routeArmRequest(core: EmulatorCore, req: ArmRequest): ArmResponse {
  const { segments: s, lower: l } = req;
  const identityAndAccess = routeAuthorization(core, req) ?? routeUserAssignedIdentities(core, req);
  if (identityAndAccess) return identityAndAccess;
  if (l[0] !== 'subscriptions') throw armErrors.noRoute(req.method, req.path);
  const locks = locksIndex(l);
  if (locks >= 2) {
    checkApiVersion(req.apiVersion, LOCKS_API_VERSIONS);
    return handleLocks(core, req, s.slice(0, locks), l.slice(0, locks), s[locks + 3]);
  }
  const n = l.length;
  if (
    n >= 6 &&
    l[n - 4] === 'providers' &&
    l[n - 3] === 'microsoft.resources' &&
    l[n - 2] === 'tags' &&
    l[n - 1] === 'default'
  ) {
    checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
    return handleTags(core, req, s.slice(0, n - 4), l.slice(0, n - 4));
  }
  if (l.length === 1) {
    checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
    only(req, 'GET');
    return listSubscriptions(core);
  }
  const subscriptionId = core.requireSubscription(s[1] as string);
  if (l.length === 2) {
    checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
    only(req, 'GET');
    return getSubscription(core, subscriptionId);
  }
  switch (l[2]) {
    case 'resourcegroups': {
      if (l.length <= 5 || l[4] !== 'providers') {
        checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
      }
      if (l.length === 3) {
        only(req, 'GET');
        return listResourceGroups(core, req, subscriptionId);
      }
      const groupName = s[3] as string;
      if (l.length === 4) return handleResourceGroup(core, req, subscriptionId, groupName);
      if (l.length === 5 && l[4] === 'resources') {
        only(req, 'GET');
        return listResources(core, req, subscriptionId, groupName);
      }
      if (l[4] === 'providers' && l.length >= 7) {
        checkApiVersion(req.apiVersion);
        return handleProviderPath(core, req, subscriptionId, groupName, s[5] as string, s.slice(6));
      }
      break;
    }
    case 'resources':
      if (l.length === 3) {
        checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
        only(req, 'GET');
        return listResources(core, req, subscriptionId);
      }
      break;
    case 'operationresults':
      if (l.length === 4) {
        checkApiVersion(req.apiVersion, RESOURCES_API_VERSIONS);
        only(req, 'GET');
        return operationResult(core, subscriptionId, s[3] as string);
      }
      break;
    case 'providers': {
      checkApiVersion(req.apiVersion);
      // `operationsStatus` is Event Grid's spelling of the same poll.
      if (
        l.length === 8 &&
        l[4] === 'locations' &&
        (l[6] === 'operationstatuses' || l[6] === 'operationsstatus')
      ) {
        only(req, 'GET');
        return operationStatus(core, subscriptionId, s[7] as string);
      }
      if (
        l.length === 8 &&
        l[4] === 'locations' &&
        (l[6] === 'operationresults' || l[6] === 'asyncoperations')
      ) {
        only(req, 'GET');
        return operationResult(core, subscriptionId, s[7] as string);
      }
      if (l.length === 5) {
        only(req, 'GET');
        return listTypedInSubscription(core, req, subscriptionId, `${s[3]}/${s[4]}`);
      }
      break;
    }
  }
  throw armErrors.noRoute(req.method, req.path);
}
