import { ValidationError } from '../../shared/apiErrors.js';
import { recordAudit } from '../../shared/audit/recordAudit.js';
import { type Caller, ownerFor } from '../../shared/auth/Caller.js';
import { validate } from '../../shared/validate.js';
import { type SandboxView, toSandboxView } from '../sandbox/SandboxView.js';
import { TAG_POWER_SCHEDULE, tagKey } from '../sandbox/sandboxTags.js';
import { getSandbox } from './getSandbox.js';
import { mergeSandboxTags } from './mergeSandboxTags.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';
import { checkPowerSchedule } from './prepareSandboxRequest.js';
import { updateSandboxRequestSchema } from './sandboxRequestSchema.js';

/**
 * Sets a sandbox's power schedule (`off` opts it out) by merging its `sandbox-power-schedule`
 * tag. Only the owner or an admin may; a sandbox being deleted answers 409.
 *
 * @example
 * await updateSandbox(deps, { name: 'ana-1', caller, body: { powerSchedule: 'off=(M-F,19);on=(M-F,7)' } });
 */
export async function updateSandbox(
  deps: ProvisioningDeps,
  input: { name: string; caller: Caller; body: unknown },
): Promise<SandboxView> {
  const request = validate(updateSandboxRequestSchema, input.body, {
    invalid: (violations) => new ValidationError(violations),
  });
  checkPowerSchedule(request.powerSchedule);
  const { caller } = input;
  ownerFor(caller, request.owner);
  const sandbox = await getSandbox(deps, caller, input.name);
  const updated = await mergeSandboxTags(deps, sandbox, {
    [tagKey(sandbox.tags, TAG_POWER_SCHEDULE) ?? TAG_POWER_SCHEDULE]: request.powerSchedule,
  });
  await recordAudit(
    deps.records,
    {
      at: deps.clock.now().toISOString(),
      actor: caller.name,
      action: 'sandbox.updated',
      subscriptionId: deps.settings.subscriptionId,
      resourceGroup: sandbox.name,
      details: { powerSchedule: request.powerSchedule },
    },
    deps.newId(),
  );
  return toSandboxView(updated, deps.settings.appName) ?? sandbox;
}
