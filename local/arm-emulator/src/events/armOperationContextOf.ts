import type { ArmRequest } from '../armRequest.js';
import type { EmulatorCore } from '../EmulatorCore.js';
import { resourceTypeOf } from '../providers/resourceTypes.js';
import { armOperationOf } from '../rbac/armOperationOf.js';
import { scopeExists } from '../rbac/authorizeArmRequest.js';
import { azureClaimsOf } from './azureClaims.js';
import type {
  ArmOperationContext,
  AuthorizationEvidence,
  ResourceOperationKind,
} from './resourceEvent.js';

const KINDS: Record<string, ResourceOperationKind> = {
  PUT: 'Write',
  PATCH: 'Write',
  DELETE: 'Delete',
  POST: 'Action',
};

const GROUPS = 'microsoft.resources/subscriptions/resourcegroups';

/**
 * The operation's name in its provider's casing (`Microsoft.Storage/storageAccounts/write`,
 * `Microsoft.Resources/subscriptions/resourceGroups/write`), whatever casing the URL had.
 */
export function canonicalOperationName(action: string): string {
  if (action.toLowerCase().startsWith(`${GROUPS}/`)) {
    return `Microsoft.Resources/subscriptions/resourceGroups${action.slice(GROUPS.length)}`;
  }
  const parts = action.split('/');
  const verbs = parts[parts.length - 1]?.toLowerCase() === 'action' ? 2 : 1;
  const type = parts.slice(0, -verbs).join('/');
  const spec = resourceTypeOf(type);
  return spec ? [spec.type, ...parts.slice(-verbs)].join('/') : action;
}

/** GUIDs as ARM writes them in evidence: without dashes. */
const compact = (guid: string) => guid.replaceAll('-', '');

export interface RequestDetails {
  correlationId: string;
  clientRequestId?: string;
  clientIpAddress: string;
  /** The full request URL, as the caller sent it. */
  url: string;
}

/**
 * What an event about this request carries, captured before the route runs (so that it knows
 * whether a write creates or updates): the resource, the operation, the caller's claims and the
 * role assignment that let them in. Undefined for requests that raise no event: reads, and
 * anything outside a known subscription.
 *
 * @example
 * const context = armOperationContextOf(core, request, { correlationId, clientIpAddress: '127.0.0.1', url });
 */
export function armOperationContextOf(
  core: EmulatorCore,
  req: ArmRequest,
  details: RequestDetails,
): ArmOperationContext | undefined {
  const kind = KINDS[req.method];
  if (!kind) return undefined;
  const operation = armOperationOf(req.method, req.segments);
  if (operation.kind !== 'check') return undefined;
  const subscriptionId = operation.subscriptionId.toLowerCase();
  if (!core.subscriptions.includes(subscriptionId)) return undefined;
  const grant = core.rbac.grantFor(req.claims.oid, operation.action, operation.scope);
  const evidence: AuthorizationEvidence | undefined = grant && {
    role: grant.role.roleName,
    roleAssignmentScope: grant.assignment.scope,
    roleAssignmentId: compact(grant.assignment.name),
    roleDefinitionId: compact(grant.role.name),
    principalId: compact(grant.assignment.principalId),
    principalType: grant.assignment.principalType,
  };
  const operationName = canonicalOperationName(operation.action);
  // An action is about the resource it acts on, not the action's own path segment.
  const resourceUri = kind === 'Action' ? operation.scope : req.path;
  // "httpRequest … is only included when updating an existing resource or deleting a resource."
  const creates = kind === 'Write' && !scopeExists(core, req.path);
  return {
    kind,
    subscriptionId,
    resourceUri,
    operationName,
    resourceProvider: operationName.split('/')[0] as string,
    authorization: {
      scope: operation.scope,
      action: operation.action,
      ...(evidence ? { evidence } : {}),
    },
    claims: azureClaimsOf(req.claims),
    correlationId: details.correlationId,
    ...(creates
      ? {}
      : {
          httpRequest: {
            clientRequestId: details.clientRequestId ?? '',
            clientIpAddress: details.clientIpAddress,
            method: req.method,
            url: details.url,
          },
        }),
    tenantId: req.claims.tid,
  };
}
