import { PolicyViolationError, ValidationError } from '../../shared/apiErrors.js';
import { type Caller, ownerFor } from '../../shared/auth/Caller.js';
import { validate } from '../../shared/validate.js';
import { parseWebhookTarget } from '../../shared/webhooks/webhookTarget.js';
import { parsePowerSchedule } from '../power/parsePowerSchedule.js';
import { type Blueprint, layoutBlueprint } from './blueprints/Blueprint.js';
import { planBlueprint } from './blueprints/planBlueprint.js';
import type { ResourceSpec } from './blueprints/ResourceSpec.js';
import { evaluateSandboxPolicy } from './evaluateSandboxPolicy.js';
import type { ProvisioningPolicy } from './ProvisioningPolicy.js';
import { type SandboxRequest, sandboxRequestSchema } from './sandboxRequestSchema.js';

/** A request that passed every check that needs no I/O. */
export interface PreparedSandbox {
  /** The request as stored on the operation: validated, owner and TTL filled in. */
  request: SandboxRequest & { owner: string; ownerName: string; ttlHours: number };
  expiresAt: Date;
  resources: ResourceSpec[];
}

export interface PrepareSandboxInput {
  body: unknown;
  /** Who is calling, proven by the HTTP adapter. */
  caller: Caller;
  now: Date;
  subscriptionId: string;
  policy: ProvisioningPolicy;
  blueprints: ReadonlyMap<string, Blueprint<unknown>>;
  /** Each blueprint's default power schedule, by lower-case name. */
  powerDefaults?: Readonly<Record<string, string>>;
  allowPrivateWebhooks?: boolean;
}

/**
 * Validates a `POST /api/sandboxes` body completely without touching anything: schema, owner,
 * blueprint and its parameters, dependency plan and every policy rule except the per-owner quota
 * (which needs to count sandboxes). The owner is the caller (by object id) unless an admin names
 * another. Throws `ValidationError`, `ForbiddenError` or
 * `PolicyViolationError`.
 *
 * @example
 * prepareSandboxRequest({ body: { name: 'ana-1', location: 'westeurope', blueprint: 'empty' },
 *   caller: ana, now, subscriptionId, policy, blueprints }).request.owner;
 * // ana's object id
 */
export function prepareSandboxRequest(input: PrepareSandboxInput): PreparedSandbox {
  const body = validate(sandboxRequestSchema, input.body, {
    invalid: (violations) => new ValidationError(violations),
  });
  const owner = ownerFor(input.caller, body.owner);
  const blueprint = input.blueprints.get(body.blueprint);
  if (!blueprint) {
    throw new ValidationError([
      {
        rule: 'blueprint',
        message: `unknown blueprint '${body.blueprint}'; known: ${[...input.blueprints.keys()].join(', ')}`,
      },
    ]);
  }
  const layout = layoutBlueprint(blueprint, {
    subscriptionId: input.subscriptionId,
    sandbox: body.name,
    location: body.location,
    parameters: body.parameters ?? {},
    secret: () => 'not-used-for-validation',
  });
  planBlueprint(blueprint.name, layout.resources);
  const powerSchedule = body.powerSchedule ?? input.powerDefaults?.[blueprint.name.toLowerCase()];
  if (powerSchedule !== undefined) checkPowerSchedule(powerSchedule);
  if (body.webhook !== undefined) checkWebhook(body.webhook, input.allowPrivateWebhooks ?? false);
  const ttlHours = body.ttlHours ?? input.policy.defaultTtlHours;
  const violations = evaluateSandboxPolicy(
    {
      name: body.name,
      location: body.location,
      ttlHours,
      userTags: body.tags ?? {},
      resources: layout.resources,
    },
    input.policy,
  );
  if (violations.length > 0) throw new PolicyViolationError(violations);
  return {
    request: {
      ...body,
      owner: owner.id,
      ownerName: owner.name,
      ttlHours,
      ...(powerSchedule === undefined ? {} : { powerSchedule }),
    },
    expiresAt: new Date(input.now.getTime() + ttlHours * 3_600_000),
    resources: layout.resources,
  };
}

/**
 * A power schedule a request or an update sets: 400 with the parser's reason when it cannot be
 * read.
 *
 * @example
 * checkPowerSchedule('off=(M-F,19);on=(M-F,7);tz=Europe/Berlin');
 */
export function checkPowerSchedule(value: string): void {
  const reading = parsePowerSchedule(value);
  if (reading.kind === 'invalid') {
    throw new ValidationError([{ rule: 'powerSchedule', message: reading.reason }]);
  }
}

function checkWebhook(url: string, allowPrivateNetworks: boolean): void {
  try {
    parseWebhookTarget(url, { allowPrivateNetworks });
  } catch (error) {
    throw new ValidationError([{ rule: 'webhook', message: (error as Error).message }]);
  }
}
