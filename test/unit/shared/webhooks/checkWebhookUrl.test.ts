import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  isNonPublicAddress,
} from '../../../../shared/webhooks/checkWebhookUrl.js';
import { HttpWebhookSender } from '../../../../shared/webhooks/HttpWebhookSender.js';

const strict = { allowPrivateNetworks: false };
const local = { allowPrivateNetworks: true };

describe('checkWebhookUrl', () => {
  it.each([
    ['http://hooks.contoso.com/a', 'must use https'],
    ['ftp://hooks.contoso.com/a', 'must use https'],
    ['https://user:pw@hooks.contoso.com/a', 'must not carry a user name or password'],
    ['not a url', 'is not an absolute URL'],
    [
      'https://127.0.0.1/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://localhost:8080/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://169.254.169.254/metadata',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://10.1.2.3/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://[::1]/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://[fe80::1]/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
    [
      'https://[::ffff:192.168.1.1]/a',
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    ],
  ])('refuses %s: %s', (url, reason) => {
    expect(() => checkWebhookUrl(url, strict)).toThrow(reason);
  });

  it('allows a public https URL, and loopback http only where private networks are allowed', () => {
    expect(checkWebhookUrl('https://hooks.contoso.com/a', strict).host).toBe('hooks.contoso.com');
    expect(checkWebhookUrl('http://127.0.0.1:8446/events', local).port).toBe('8446');
    expect(() => checkWebhookUrl('http://hooks.contoso.com/a', local)).toThrow('must use https');
  });

  it.each([
    ['100.64.0.1', true],
    ['192.0.0.8', true],
    ['fd00::1', true],
    ['20.50.2.1', false],
    ['2603:1030::1', false],
  ])('classifies %s as non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });
});

describe('HttpWebhookSender', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(503, { 'retry-after': '7' });
        res.end('busy');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the body with its headers and reads the status and Retry-After', async () => {
    // Act
    const response = await new HttpWebhookSender(local).post({
      url,
      headers: { 'content-type': 'application/json', 'webhook-id': 'e1' },
      body: '{"a":1}',
    });

    // Assess
    expect(response).toEqual({ status: 503, retryAfterMs: 7000 });
    expect(seen.at(-1)).toMatchObject({ body: '{"a":1}', headers: { 'webhook-id': 'e1' } });
  });

  it('refuses a loopback receiver unless private networks are allowed, without connecting', async () => {
    // Prepare
    const before = seen.length;

    // Act
    const error = await new HttpWebhookSender(strict)
      .post({ url: url.replace('http:', 'https:'), headers: {}, body: '{}' })
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      code: 'WebhookUrlRejected',
      kind: 'permanent',
      message:
        'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    });
    expect(seen).toHaveLength(before);
  });

  it('reports a receiver that does not answer as transient', async () => {
    const error = await new HttpWebhookSender(local)
      .post({ url: 'http://127.0.0.1:1/hook', headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', code: 'ECONNREFUSED' });
  });
});
