/**
 * A `WebhookSender` that records what it is asked to send and answers from a script: the next
 * answers in order (a status, or an error to throw), then 204.
 */
import type {
  WebhookRequest,
  WebhookResponse,
  WebhookSender,
} from '../../../shared/webhooks/WebhookSender.js';

export class FakeWebhookSender implements WebhookSender {
  readonly sent: WebhookRequest[] = [];
  private readonly script: Array<WebhookResponse | Error> = [];

  /** Queues answers for the next requests, in order. */
  answer(...answers: Array<WebhookResponse | Error>): this {
    this.script.push(...answers);
    return this;
  }

  async post(request: WebhookRequest): Promise<WebhookResponse> {
    this.sent.push({ ...request, headers: { ...request.headers } });
    const next = this.script.shift();
    if (next instanceof Error) throw next;
    return next ?? { status: 204 };
  }
}
