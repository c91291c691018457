/**
 * Azure Resource Manager events as Event Grid delivers them (Event Grid schema), for unit tests:
 * the shape of MicrosoftDocs/azure-docs, articles/event-grid/event-schema-subscriptions.md, with
 * claims under the claim type URIs ARM writes them with.
 */
import { randomUUID } from 'node:crypto';

export const SUB = '00000000-0000-0000-0000-000000000001';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

/** The app's own identity in these tests (a user-assigned managed identity). */
export const APP = {
  clientId: 'a0a0a0a0-0000-4000-8000-00000000a0a0',
  principalId: 'b0b0b0b0-0000-4000-8000-00000000b0b0',
};

export const CLAIM_TYPES = {
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  oid: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
} as const;

/**
 * A person's claims, as ARM records them: `upn` and `unique_name` under their claim type URIs.
 *
 * @example
 * userClaims('ana@contoso.com', 'oid-ana');
 */
export function userClaims(username: string, objectId: string): Record<string, string> {
  return {
    aud: 'https://management.azure.com/',
    iss: `https://sts.windows.net/${TENANT}/`,
    appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    name: username.split('@')[0]!,
    [CLAIM_TYPES.upn]: username,
    [CLAIM_TYPES.name]: username,
    [CLAIM_TYPES.oid]: objectId,
    idtyp: 'user',
    ver: '1.0',
  };
}

/**
 * An application's claims: `appid` and its object id, and `xms_mirid` for a managed identity.
 *
 * @example
 * appClaims(APP.clientId, APP.principalId, '/subscriptions/…/userAssignedIdentities/id-app');
 */
export function appClaims(
  appId: string,
  objectId: string,
  managedIdentityResourceId?: string,
): Record<string, string> {
  return {
    aud: 'https://management.azure.com/',
    iss: `https://sts.windows.net/${TENANT}/`,
    appid: appId,
    appidacr: managedIdentityResourceId ? '2' : '1',
    idtyp: 'app',
    [CLAIM_TYPES.oid]: objectId,
    ver: '1.0',
    ...(managedIdentityResourceId ? { xms_mirid: managedIdentityResourceId } : {}),
  };
}

/** The app's own claims: its managed identity. */
export const appOwnClaims = appClaims(
  APP.clientId,
  APP.principalId,
  `/subscriptions/${SUB}/resourcegroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-sandbox-automation`,
);

export interface EventSpec {
  kind?: 'Write' | 'Delete' | 'Action';
  outcome?: 'Success' | 'Failure' | 'Cancel';
  resourceUri: string;
  claims: Record<string, string>;
  eventTime: string;
  id?: string;
  operationName?: string;
}

/**
 * One event in the Event Grid schema.
 *
 * @example
 * resourceEvent({ resourceUri: groupUri('rg-ana'), claims: userClaims('ana@contoso.com', 'oid-ana'), eventTime });
 */
export function resourceEvent(spec: EventSpec) {
  const kind = spec.kind ?? 'Write';
  const outcome = spec.outcome ?? 'Success';
  const status = { Success: 'Succeeded', Failure: 'Failed', Cancel: 'Canceled' }[outcome];
  return {
    subject: spec.resourceUri,
    eventType: `Microsoft.Resources.Resource${kind}${outcome}`,
    eventTime: spec.eventTime,
    id: spec.id ?? randomUUID(),
    data: {
      authorization: {
        scope: spec.resourceUri,
        action:
          spec.operationName ??
          `Microsoft.Resources/subscriptions/resourcegroups/${kind.toLowerCase()}`,
      },
      claims: spec.claims,
      correlationId: randomUUID(),
      resourceProvider: 'Microsoft.Resources',
      resourceUri: spec.resourceUri,
      operationName:
        spec.operationName ??
        `Microsoft.Resources/subscriptions/resourceGroups/${kind.toLowerCase()}`,
      status,
      subscriptionId: SUB,
      tenantId: TENANT,
    },
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${SUB}`,
  };
}

/** A group's id, in `@azure/arm-resources`' casing. */
export const groupUri = (name: string, subscriptionId = SUB) =>
  `/subscriptions/${subscriptionId}/resourcegroups/${name}`;

/** A group's tags resource (what the Tags API writes). */
export const groupTagsUri = (name: string, subscriptionId = SUB) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${name}/providers/Microsoft.Resources/tags/default`;
