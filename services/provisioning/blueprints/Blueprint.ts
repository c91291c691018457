import { z } from 'zod';
import { ValidationError } from '../../../shared/apiErrors.js';
import { validate } from '../../../shared/validate.js';
import { BlueprintPlanError } from '../errors.js';
import { type ResourceSpec, type ResourceSpecInput, resourceSpecSchema } from './ResourceSpec.js';

/** What a blueprint knows when it lays out its resources. */
export interface BlueprintContext<P> {
  subscriptionId: string;
  /** The sandbox's name, which is also its resource group's name. */
  sandbox: string;
  location: string;
  parameters: P;
  /**
   * A fresh random secret, for the rare resource that cannot be created without one (a MySQL
   * administrator password). It is never stored or logged; the worker supplies a random value.
   */
  secret(): string;
}

/**
 * A blueprint: a name, its parameters' schema, and the resources it lays out with `dependsOn`.
 * Adding one is adding a file under `blueprints/` and registering it in `blueprints/index.ts`.
 */
export interface Blueprint<P = unknown> {
  name: string;
  description: string;
  parameters: z.ZodType<P>;
  resources(context: BlueprintContext<P>): ResourceSpecInput[];
}

const blueprintHeaderSchema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a lowercase name of at most 32 characters'),
  description: z.string().min(1),
});

/**
 * Declares a blueprint, checking its header with zod so a malformed one fails at load time.
 *
 * @example
 * export const empty = defineBlueprint({ name: 'empty', description: 'The group alone.',
 *   parameters: z.object({}).strict(), resources: () => [] });
 */
export function defineBlueprint<P>(blueprint: Blueprint<P>): Blueprint<P> {
  blueprintHeaderSchema.parse({ name: blueprint.name, description: blueprint.description });
  return blueprint;
}

/** A blueprint's resources for one sandbox, with its parameters parsed. */
export interface BlueprintLayout<P = unknown> {
  parameters: P;
  resources: ResourceSpec[];
}

/**
 * Parses the request's parameters against the blueprint, then lays out and validates its resources.
 * Bad parameters throw `ValidationError` (each violation named `parameters.<field>`); a
 * blueprint that lays out invalid resources throws `BlueprintPlanError`.
 *
 * @example
 * layoutBlueprint(storage, { subscriptionId, sandbox: 'ana-1', location: 'westeurope',
 *   parameters: { containerName: 'data' }, secret: () => '' }).resources.map((r) => r.key);
 * // ['account', 'container']
 */
export function layoutBlueprint<P>(
  blueprint: Blueprint<P>,
  context: Omit<BlueprintContext<unknown>, 'parameters'> & { parameters: unknown },
): BlueprintLayout<P> {
  const parameters = validate(blueprint.parameters, context.parameters ?? {}, {
    prefix: ['parameters'],
    invalid: (violations) => new ValidationError(violations),
  });
  const raw = blueprint.resources({ ...context, parameters });
  const resources = z.array(resourceSpecSchema).safeParse(raw);
  if (!resources.success) {
    throw new BlueprintPlanError(blueprint.name, z.prettifyError(resources.error));
  }
  return { parameters, resources: resources.data };
}
