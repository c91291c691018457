/**
 * The real `WebhookSender`: one POST through `node:http`/`node:https`. The SSRF rules are applied
 * twice: to the URL (`checkWebhookUrl`) and to every address its name resolves to, inside the
 * connection's own DNS lookup, so a name cannot be made to resolve elsewhere between the check
 * and the connect. Redirects are never followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { AppError, parseRetryAfter } from '../errors.js';
import { checkWebhookUrl, isNonPublicAddress, WebhookUrlRejectedError } from './checkWebhookUrl.js';
import type { WebhookRequest, WebhookResponse, WebhookSender } from './WebhookSender.js';

export interface HttpWebhookSenderOptions {
  /** Allows private, loopback and link-local addresses, and plain http to them (local runs). */
  allowPrivateNetworks: boolean;
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: HttpWebhookSenderOptions) {}

  async post(webhook: WebhookRequest): Promise<WebhookResponse> {
    const url = checkWebhookUrl(webhook.url, this.options);
    const plain = url.protocol === 'http:';
    const send = plain ? httpRequest : httpsRequest;
    const body = Buffer.from(webhook.body, 'utf8');
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...webhook.headers, 'content-length': String(body.length) },
          lookup: this.guardedLookup(plain),
          timeout: webhook.timeoutMs ?? 10_000,
        },
        (res) => {
          // The answer's body says nothing the status does not; read and drop it.
          res.resume();
          res.on('end', () => {
            const retryAfterMs = parseRetryAfter(res.headers['retry-after'] as string | undefined);
            resolve({
              status: res.statusCode ?? 0,
              ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
            });
          });
          res.on('error', (error) => reject(noAnswer(error)));
        },
      );
      req.on('timeout', () => req.destroy(new Error('the receiver did not answer in time')));
      req.on('error', (error) =>
        reject(error instanceof WebhookUrlRejectedError ? error : noAnswer(error)),
      );
      req.end(body);
    });
  }

  /** A DNS lookup that refuses addresses the rules do not allow. */
  private guardedLookup(plain: boolean): LookupFunction {
    const { allowPrivateNetworks } = this.options;
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as LookupAddress[];
        const refused = list.find((a) => {
          const local = isNonPublicAddress(a.address);
          return (local && !allowPrivateNetworks) || (plain && !local);
        });
        if (refused || list.length === 0) {
          const reason =
            refused && !plain
              ? `resolves to ${refused.address}, a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow`
              : 'must use https';
          return callback(new WebhookUrlRejectedError(reason), '', 0);
        }
        if ((options as { all?: boolean }).all) return callback(null, list as never);
        const first = list[0]!;
        callback(null, first.address, first.family);
      });
    };
  }
}

function noAnswer(error: Error & { code?: string }): AppError {
  return new AppError(`no answer: ${error.code ?? error.message}`, {
    kind: 'transient',
    code: error.code ?? 'NoAnswer',
    cause: error,
  });
}
