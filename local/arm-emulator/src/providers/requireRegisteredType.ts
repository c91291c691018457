import { ArmError } from '../ArmError.js';
import { checkApiVersion } from '../armApiVersions.js';
import { AZURE_LOCATIONS } from '../azureLocations.js';
import type { ResourceTypeSpec } from './ResourceTypeSpec.js';
import { resourceTypeOf } from './resourceTypes.js';

/**
 * The registered type for a request, or ARM's refusal: 404 `InvalidResourceType` for a type no
 * provider registers, 400 `NoRegisteredProviderFound` listing the supported versions for an
 * api-version the provider does not publish. The message is ARM's, as real answers quote it
 * (for example Azure/azure-cli#28496 and Azure/ResourceModules#454).
 *
 * @example
 * requireRegisteredType('Microsoft.Storage/storageAccounts', '2023-13-45', 'westeurope');
 * // throws NoRegisteredProviderFound: "… The supported api-versions are '2026-09-01, …'."
 */
export function requireRegisteredType(
  type: string,
  apiVersion: string,
  location: string,
): ResourceTypeSpec {
  checkApiVersion(apiVersion);
  const [namespace, ...types] = type.split('/');
  const spec = resourceTypeOf(type);
  if (!spec) {
    throw new ArmError(
      404,
      'InvalidResourceType',
      `The resource type '${types.join('/')}' could not be found in the namespace '${namespace}' for api version '${apiVersion}'.`,
    );
  }
  if (!spec.apiVersions.includes(apiVersion.toLowerCase())) {
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location '${location}' and API version '${apiVersion}' for type '${spec.type.split('/').slice(1).join('/')}'. The supported api-versions are '${spec.apiVersions.join(', ')}'. The supported locations are '${AZURE_LOCATIONS.join(', ')}'.`,
    );
  }
  return spec;
}
