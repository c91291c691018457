import { ArmError } from './ArmError.js';

/** The errors real ARM answers, with its codes, statuses and messages. */
export const armErrors = {
  missingApiVersion: () =>
    new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    ),
  invalidApiVersion: (apiVersion: string, supported: readonly string[]) =>
    new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${supported.join(',')}'.`,
    ),
  invalidRequestContent: (detail: string) =>
    new ArmError(
      400,
      'InvalidRequestContent',
      `The request content was invalid and could not be deserialized: '${detail}'.`,
    ),
  invalidSubscriptionId: (id: string) =>
    new ArmError(
      400,
      'InvalidSubscriptionId',
      `The provided subscription identifier '${id}' is malformed or invalid.`,
    ),
  subscriptionNotFound: (id: string) =>
    new ArmError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`),
  resourceGroupNotFound: (name: string) =>
    new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`),
  resourceNotFound: (typeAndName: string, group: string) =>
    new ArmError(
      404,
      'ResourceNotFound',
      `The Resource '${typeAndName}' under resource group '${group}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  parentResourceNotFound: (parentName: string) =>
    new ArmError(
      404,
      'ParentResourceNotFound',
      `Can not perform requested operation on nested resource. Parent resource '${parentName}' not found.`,
    ),
  resourceGroupBeingDeleted: (name: string) =>
    new ArmError(
      409,
      'ResourceGroupBeingDeleted',
      `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
    ),
  invalidResourceGroupLocation: (requested: string, existing: string) =>
    new ArmError(
      409,
      'InvalidResourceGroupLocation',
      `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'.`,
    ),
  invalidResourceGroupName: (name: string, invalid: string) =>
    new ArmError(
      400,
      'InvalidResourceGroup',
      `The provided resource group name '${name}' has these invalid characters: '${invalid}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_'. See https://aka.ms/ResourceGroupNamingRestrictions for more information.`,
    ),
  locationRequired: () =>
    new ArmError(400, 'LocationRequired', 'The location property is required for this definition.'),
  locationNotAvailableForResourceGroup: (location: string, available: readonly string[]) =>
    new ArmError(
      400,
      'LocationNotAvailableForResourceGroup',
      `The provided location '${location}' is not available for resource group. List of available regions is '${available.join(',')}'.`,
    ),
  locationNotAvailableForResourceType: (
    location: string,
    type: string,
    available: readonly string[],
  ) =>
    new ArmError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${location}' is not available for resource type '${type}'. List of available regions for the resource type is '${available.join(',')}'.`,
    ),
  invalidResourceName: (name: string) =>
    new ArmError(
      400,
      'InvalidResourceName',
      `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.`,
    ),
  scopeLocked: (scope: string, operation: 'delete' | 'write', lockedScopes: readonly string[]) =>
    new ArmError(
      409,
      'ScopeLocked',
      `The scope '${scope}' cannot perform ${operation} operation because following scope(s) are locked: '${lockedScopes.join("','")}'. Please remove the lock and try again.`,
    ),
  invalidResourceReference: (referenced: string, by: string) =>
    new ArmError(
      400,
      'InvalidResourceReference',
      `Resource ${referenced} referenced by resource ${by} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    ),
  operationNotAllowed: (message: string) => new ArmError(409, 'OperationNotAllowed', message),
  invalidParameter: (message: string) => new ArmError(400, 'InvalidParameter', message),
  noRoute: (method: string, path: string) =>
    new ArmError(
      404,
      'NoRegisteredProviderFound',
      `No registered resource provider found for the request '${method} ${path}'.`,
    ),
  methodNotAllowed: (method: string) =>
    new ArmError(
      405,
      'MethodNotAllowed',
      `The requested resource does not support http method '${method}'.`,
    ),
  throttled: (kind: string, subscriptionId: string, actor: string, retryAfterSeconds: number) =>
    new ArmError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${kind}' requests for subscription '${subscriptionId}' actor '${actor}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  operationFailed: (operation: string) =>
    new ArmError(
      500,
      'InternalServerError',
      `The operation '${operation}' failed: an internal error was injected by the emulator's fault settings.`,
    ),
  injectedServerError: (status: 500 | 503) =>
    status === 500
      ? new ArmError(
          500,
          'InternalServerError',
          'Encountered internal server error. Diagnostic information: injected by the emulator.',
        )
      : new ArmError(
          503,
          'ServiceUnavailable',
          'The service is temporarily unavailable. Diagnostic information: injected by the emulator.',
        ),
};
