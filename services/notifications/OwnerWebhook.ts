import type { WebhookFormat } from '../../shared/webhooks/webhookTarget.js';

/**
 * `notifications/owners/{subscriptionId}/{sandbox}.json`: the webhook a sandbox's request named
 * for its owner, written with every request so a sandbox that reuses a name never inherits
 * another's webhook. Kept out of the group's tags: a webhook URL is often a secret.
 */
export interface OwnerWebhook {
  operationId: string;
  url?: string;
  format?: WebhookFormat;
}
