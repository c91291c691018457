import { BlueprintPlanError } from '../errors.js';
import type { ResourceSpec } from './ResourceSpec.js';

/**
 * Orders a blueprint's resources into waves: every resource comes after all it depends on, and
 * the resources of one wave are independent of each other, so a worker may create them in
 * parallel. Throws `BlueprintPlanError` on a duplicate key, an unknown dependency or a cycle.
 *
 * @example
 * planBlueprint('vm', [nic, vnet, vm]).map((wave) => wave.map((r) => r.key));
 * // [['vnet'], ['nic'], ['vm']]
 */
export function planBlueprint(
  blueprint: string,
  resources: readonly ResourceSpec[],
): ResourceSpec[][] {
  const byKey = new Map<string, ResourceSpec>();
  for (const resource of resources) {
    if (byKey.has(resource.key)) {
      throw new BlueprintPlanError(blueprint, `duplicate resource key '${resource.key}'`);
    }
    byKey.set(resource.key, resource);
  }
  for (const resource of resources) {
    for (const dependency of resource.dependsOn) {
      if (!byKey.has(dependency)) {
        throw new BlueprintPlanError(
          blueprint,
          `'${resource.key}' depends on unknown resource '${dependency}'`,
        );
      }
    }
  }
  const waves: ResourceSpec[][] = [];
  const placed = new Set<string>();
  let remaining = [...resources];
  while (remaining.length > 0) {
    const wave = remaining.filter((r) => r.dependsOn.every((d) => placed.has(d)));
    if (wave.length === 0) {
      const keys = remaining.map((r) => r.key).join(', ');
      throw new BlueprintPlanError(blueprint, `dependency cycle among ${keys}`);
    }
    for (const r of wave) placed.add(r.key);
    remaining = remaining.filter((r) => !placed.has(r.key));
    waves.push(wave);
  }
  return waves;
}
