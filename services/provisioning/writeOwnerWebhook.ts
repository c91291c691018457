import { recordKeys } from '../../shared/records/recordKeys.js';
import { parseWebhookTarget } from '../../shared/webhooks/webhookTarget.js';
import type { OwnerWebhook } from '../notifications/OwnerWebhook.js';
import type { Operation } from './Operation.js';
import type { ProvisioningDeps } from './ProvisioningDeps.js';

/**
 * Writes the webhook a provisioning's request named for its owner (or that it named none) as the
 * sandbox's `OwnerWebhook`, over whatever an earlier sandbox of the same name left. A request's
 * webhook was checked when it was accepted; one that today's settings refuse is left out.
 *
 * @example
 * await writeOwnerWebhook(deps, operation); // notifications/owners/{sub}/{sandbox}.json
 */
export async function writeOwnerWebhook(
  deps: Pick<ProvisioningDeps, 'records' | 'settings' | 'logger'>,
  operation: Operation,
): Promise<void> {
  if (operation.kind !== 'provision' || !operation.request) return;
  let target: Pick<OwnerWebhook, 'url' | 'format'> = {};
  if (operation.request.webhook) {
    try {
      target = parseWebhookTarget(operation.request.webhook, {
        allowPrivateNetworks: deps.settings.allowPrivateWebhooks,
      });
    } catch {
      deps.logger.warn("the request's webhook is refused by today's settings; left out", {
        operationId: operation.id,
      });
    }
  }
  await deps.records.put<OwnerWebhook>(
    recordKeys.notifications.ownerWebhook(operation.subscriptionId, operation.sandbox),
    { operationId: operation.id, ...target },
  );
}
