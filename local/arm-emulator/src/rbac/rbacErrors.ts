import { ArmError } from '../ArmError.js';

/** ARM marks refusals made at its front door, before any provider saw the request. */
const GATEWAY = { 'x-ms-failure-cause': 'gateway' };

/**
 * The errors of Azure RBAC and of `Microsoft.Authorization`, with ARM's codes, statuses and
 * messages (from real responses quoted in `MicrosoftDocs/azure-docs` and public logs).
 */
export const rbacErrors = {
  authorizationFailed: (client: string, objectId: string, action: string, scope: string) =>
    new ArmError(
      403,
      'AuthorizationFailed',
      `The client '${client}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      GATEWAY,
    ),
  linkedAuthorizationFailed: (
    client: string,
    objectId: string,
    action: string,
    scope: string,
    linked: ReadonlyArray<{ action: string; scope: string }>,
  ) =>
    new ArmError(
      403,
      'LinkedAuthorizationFailed',
      `The client '${client}' with object id '${objectId}' has permission to perform action '${action}' on scope '${scope}'; however, it does not have permission to perform action(s) '${linked.map((l) => l.action).join(',')}' on the linked scope(s) '${linked.map((l) => l.scope).join(',')}' (respectively) or the linked scope(s) are invalid.`,
      GATEWAY,
    ),
  roleAssignmentExists: (existingName: string) =>
    new ArmError(
      409,
      'RoleAssignmentExists',
      `The role assignment already exists. The ID of the existing role assignment is ${existingName.replace(/-/g, '')}.`,
    ),
  roleAssignmentUpdateNotPermitted: () =>
    new ArmError(
      409,
      'RoleAssignmentUpdateNotPermitted',
      'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
    ),
  roleAssignmentNotFound: (name: string) =>
    new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${name}' is not found.`),
  invalidRoleAssignmentId: (name: string) =>
    new ArmError(
      400,
      'InvalidRoleAssignmentId',
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    ),
  invalidPrincipalId: () =>
    new ArmError(
      400,
      'InvalidPrincipalId',
      'A valid principal ID must be provided for role assignment.',
    ),
  principalNotFound: (principalId: string, tenantId: string) =>
    new ArmError(
      400,
      'PrincipalNotFound',
      `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    ),
  unmatchedPrincipalType: (principalId: string, actual: string, given: string) =>
    new ArmError(
      400,
      'UnmatchedPrincipalType',
      `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actual}' , which is different from specified PrinciaplType '${given}'.`,
    ),
  roleDefinitionDoesNotExist: (status: 400 | 404, id: string) =>
    new ArmError(
      status,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${id}' does not exist.`,
    ),
  roleDefinitionWithSameNameExists: () =>
    new ArmError(
      409,
      'RoleDefinitionWithSameNameExists',
      'A custom role with the same name already exists in this directory.',
    ),
  roleDefinitionHasAssignments: () =>
    new ArmError(
      409,
      'RoleDefinitionHasAssignments',
      'There are existing role assignments referencing role.',
    ),
  invalidRoleDefinition: (message: string) => new ArmError(400, 'InvalidRoleDefinition', message),
  unsupportedFilter: (filter: string, supported: string) =>
    new ArmError(
      400,
      'UnsupportedQuery',
      `The filter '${filter}' is not supported. Supported filters: ${supported}.`,
    ),
};
