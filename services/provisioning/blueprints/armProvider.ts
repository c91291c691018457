import type { ResourceSpecInput } from './ResourceSpec.js';

/** What a resource needs besides its provider, type and name. */
export interface ResourceOptions {
  /** Keys of the resources that must exist first. */
  dependsOn?: string[];
  /** `virtualMachine` goes through the compute SDK; everything else is generic. */
  kind?: ResourceSpecInput['kind'];
}

/**
 * The resources of one resource provider at one api-version, so a blueprint names each resource
 * by what differs: its key, type, name and body.
 *
 * @example
 * const web = armProvider('Microsoft.Web', '2023-12-01');
 * web.resource('plan', 'serverfarms', planName, { location, sku: { name: 'B1' } });
 * web.resource('site', 'sites', siteName, body, { dependsOn: ['plan'] });
 */
export function armProvider(namespace: string, apiVersion: string) {
  return {
    /** The full type of `type` under this provider: `Microsoft.Web/sites`. */
    type: (type: string) => `${namespace}/${type}`,
    resource(
      key: string,
      type: string,
      name: string,
      body: Record<string, unknown>,
      options: ResourceOptions = {},
    ): ResourceSpecInput {
      return {
        key,
        kind: options.kind ?? 'generic',
        type: `${namespace}/${type}`,
        name,
        apiVersion,
        ...(options.dependsOn ? { dependsOn: options.dependsOn } : {}),
        body,
      };
    },
  };
}
