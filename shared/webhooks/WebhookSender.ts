/**
 * The port through which the app sends webhooks: one POST, its status and what the receiver said
 * about when to come back. The real implementation (`HttpWebhookSender`) guards against SSRF at
 * the moment it connects; tests use a real local server or a fake of this port.
 */

export interface WebhookRequest {
  url: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  /** How long to wait for the answer. Default 10 000 ms. */
  timeoutMs?: number;
}

export interface WebhookResponse {
  status: number;
  /** From `Retry-After`, when the receiver sent one. */
  retryAfterMs?: number;
}

export interface WebhookSender {
  /**
   * Sends the request. Throws `WebhookUrlRejectedError` (permanent) when the URL or the address
   * it resolves to is not allowed, and a transient `AppError` when no answer came (refused,
   * reset, timed out).
   */
  post(request: WebhookRequest): Promise<WebhookResponse>;
}
