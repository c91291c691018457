import { z } from 'zod';

/**
 * One resource a blueprint creates inside the sandbox group: plain data, validated with zod.
 * `generic` resources go through `resources.beginCreateOrUpdateById`; `virtualMachine` goes
 * through `@azure/arm-compute`, whose body is a `VirtualMachine` model.
 */
export const resourceSpecSchema = z
  .object({
    /** Unique within the blueprint; what `dependsOn` refers to and the step's name. */
    key: z.string().regex(/^[a-z][a-zA-Z0-9-]{0,62}$/, 'must be a short camelCase or kebab key'),
    kind: z.enum(['generic', 'virtualMachine']),
    /** Full type, child types included: `Microsoft.Storage/storageAccounts/blobServices/containers`. */
    type: z
      .string()
      .regex(/^[A-Za-z0-9.]+(\/[A-Za-z0-9]+)+$/, 'must be Namespace/type[/childType…]'),
    /** One segment per type segment: `account/default/container`. */
    name: z.string().regex(/^[^/]+(\/[^/]+)*$/, 'must be name[/childName…]'),
    apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must look like 2023-05-01'),
    dependsOn: z.array(z.string()).default([]),
    body: z.record(z.string(), z.unknown()),
  })
  .strict()
  .refine((spec) => spec.type.split('/').length - 1 === spec.name.split('/').length, {
    message: 'name must have one segment per resource type segment',
    path: ['name'],
  })
  .refine(
    (spec) => spec.kind !== 'virtualMachine' || spec.type === 'Microsoft.Compute/virtualMachines',
    {
      message: 'a virtualMachine resource must have type Microsoft.Compute/virtualMachines',
      path: ['type'],
    },
  );

export type ResourceSpec = z.output<typeof resourceSpecSchema>;
export type ResourceSpecInput = z.input<typeof resourceSpecSchema>;

/**
 * The ARM id of a resource in a group, child types interleaved with their names.
 *
 * @example
 * resourceIdOf('sub', 'rg', { type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
 *   name: 'acct/default/data' });
 * // '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/data'
 */
export function resourceIdOf(
  subscriptionId: string,
  resourceGroup: string,
  spec: Pick<ResourceSpec, 'type' | 'name'>,
): string {
  const [namespace, ...types] = spec.type.split('/');
  const names = spec.name.split('/');
  const path = types.map((type, i) => `${type}/${names[i]}`).join('/');
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${namespace}/${path}`;
}
