/**
 * An event as each receiver format takes it: a CloudEvents 1.0 message in structured JSON mode,
 * a Teams message carrying an Adaptive Card, or a Slack incoming-webhook message.
 */
import type { WebhookFormat } from '../../shared/webhooks/webhookTarget.js';
import type { AppEvent } from './AppEvent.js';
import { describeEvent } from './describeEvent.js';

export interface RenderedWebhook {
  contentType: string;
  body: string;
}

/**
 * @example
 * const { contentType, body } = await renderWebhook(event, 'cloudevents', 'urn:sandbox-automation:sandbox-automation');
 * // contentType: 'application/cloudevents+json; charset=utf-8'
 */
export async function renderWebhook(
  event: AppEvent,
  format: WebhookFormat,
  source: string,
): Promise<RenderedWebhook> {
  if (format === 'teams') return json(teamsMessage(event));
  if (format === 'slack') return json(slackMessage(event));
  // Loaded on first use: the SDK validates with ajv, which a cold start need not pay for.
  // The package is CommonJS: bundled, its exports may sit on the namespace's `default`.
  const loaded = (await import('cloudevents')) as typeof import('cloudevents') & {
    default?: typeof import('cloudevents');
  };
  const { CloudEvent, HTTP } = loaded.CloudEvent ? loaded : (loaded.default ?? loaded);
  const cloudEvent = new CloudEvent({
    specversion: '1.0',
    id: event.id,
    source,
    type: event.type,
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    data: event.data,
  });
  const message = HTTP.structured(cloudEvent);
  return {
    contentType: String(message.headers['content-type']),
    body: String(message.body),
  };
}

function json(value: unknown): RenderedWebhook {
  return { contentType: 'application/json', body: JSON.stringify(value) };
}

/** A Teams message with one Adaptive Card (Workflows' "when a webhook request is received"). */
function teamsMessage(event: AppEvent) {
  const { title, text, facts } = describeEvent(event);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text, wrap: true },
            { type: 'FactSet', facts: facts.map(([t, v]) => ({ title: t, value: v })) },
          ],
        },
      },
    ],
  };
}

/** A Slack incoming-webhook message: a fallback text and Block Kit blocks. */
function slackMessage(event: AppEvent) {
  const { title, text, facts } = describeEvent(event);
  return {
    text: `${title}: ${text}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: facts.slice(0, 10).map(([t, v]) => ({ type: 'mrkdwn', text: `*${t}:* ${v}` })),
      },
    ],
  };
}
