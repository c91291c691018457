import {
  type ProvisioningDeps,
  provisioningPorts,
} from '../../services/provisioning/ProvisioningDeps.js';
import { type HttpFunction, httpFunction } from '../../shared/functions/httpFunction.js';

/**
 * Declares an HTTP function of provisioning: its ports are the provisioning ports.
 *
 * @example
 * export const getSandbox = provisioningFunction('getSandbox', { route: 'api/sandboxes/{name}', methods: ['GET'], handle });
 */
export function provisioningFunction(
  name: string,
  spec: Omit<HttpFunction<ProvisioningDeps>, 'name' | 'ports'>,
): HttpFunction<ProvisioningDeps> {
  return httpFunction(name, { ...spec, ports: provisioningPorts });
}
