/**
 * Where a webhook goes and in which format: CloudEvents (the default), a Microsoft Teams Adaptive
 * Card (a Workflows or incoming webhook), or a Slack incoming webhook message. An entry names its
 * format with a prefix (`teams:https://…`, `slack:https://…`, `cloudevents:https://…`); without
 * one, Slack's and Teams' well-known webhook hosts are recognised and anything else gets
 * CloudEvents.
 */
import { checkWebhookUrl } from './checkWebhookUrl.js';

export type WebhookFormat = 'cloudevents' | 'teams' | 'slack';

export interface WebhookTarget {
  url: string;
  format: WebhookFormat;
}

const PREFIX = /^(cloudevents|teams|slack):(?=https?:)/i;

/**
 * Reads one entry and checks its URL against the SSRF rules (`checkWebhookUrl`); throws
 * `WebhookUrlRejectedError` with the reason.
 *
 * @example
 * parseWebhookTarget('teams:https://contoso.webhook.office.com/webhookb2/…', { allowPrivateNetworks: false });
 * // { url: 'https://contoso.webhook.office.com/webhookb2/…', format: 'teams' }
 */
export function parseWebhookTarget(
  entry: string,
  options: { allowPrivateNetworks: boolean },
): WebhookTarget {
  const text = entry.trim();
  const prefix = PREFIX.exec(text)?.[1]?.toLowerCase() as WebhookFormat | undefined;
  const url = prefix ? text.slice(prefix.length + 1) : text;
  const parsed = checkWebhookUrl(url, options);
  return { url: parsed.toString(), format: prefix ?? formatOfHost(parsed.hostname) };
}

function formatOfHost(host: string): WebhookFormat {
  const h = host.toLowerCase();
  if (h === 'hooks.slack.com') return 'slack';
  if (
    h.endsWith('.webhook.office.com') ||
    h.endsWith('.logic.azure.com') ||
    h.endsWith('.powerplatform.com')
  ) {
    return 'teams';
  }
  return 'cloudevents';
}
