import { z } from 'zod';
import type { Blueprint } from './blueprints/Blueprint.js';

/** A blueprint as the API describes it: what it builds and the JSON Schema of its parameters. */
export interface BlueprintDescription {
  name: string;
  description: string;
  /** JSON Schema (2020-12) of `parameters` in a request: types, patterns, choices, defaults. */
  parameters: Record<string, unknown>;
}

/**
 * The JSON Schema of a zod schema as a request gives it (defaults make fields optional), without
 * its `$schema` line, so it can sit inside another document.
 *
 * @example
 * requestJsonSchema(z.strictObject({ sku: z.enum(['B1', 'S1']).default('B1') }));
 * // { type: 'object', properties: { sku: { type: 'string', enum: ['B1', 'S1'], default: 'B1' } }, additionalProperties: false }
 */
export function requestJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    // Refinements (a reserved name) cannot be said in JSON Schema; the API still checks them.
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/**
 * Every blueprint with its parameters' JSON Schema, sorted by name: what a form or a CLI needs to
 * ask for a sandbox.
 *
 * @example
 * describeBlueprints(blueprints).find((b) => b.name === 'storage')?.parameters.properties;
 * // { containerName: { type: 'string', pattern: '…', default: 'data' }, sku: { enum: [...] } }
 */
export function describeBlueprints(
  blueprints: ReadonlyMap<string, Blueprint<unknown>>,
): BlueprintDescription[] {
  return [...blueprints.values()]
    .map((blueprint) => ({
      name: blueprint.name,
      description: blueprint.description,
      parameters: requestJsonSchema(blueprint.parameters),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
