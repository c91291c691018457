/**
 * The SSRF rules for a webhook URL, checked without any I/O: where a URL may point before it is
 * ever called. The address a name resolves to is checked again when the request connects
 * (`HttpWebhookSender`), so a name that resolves to a private address is refused too.
 */
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';

/** A webhook URL that the rules refuse. Permanent: sending it again gives the same answer. */
export class WebhookUrlRejectedError extends AppError {
  constructor(reason: string) {
    super(reason, { kind: 'permanent', code: 'WebhookUrlRejected' });
    this.name = 'WebhookUrlRejectedError';
  }
}

/** Private, loopback, link-local and other non-public ranges, IPv4 and IPv6. */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/**
 * Whether `address` (an IP literal) is private, loopback, link-local or otherwise not on the
 * public internet. IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 *
 * @example
 * isNonPublicAddress('169.254.169.254'); // true (the cloud metadata endpoint)
 * isNonPublicAddress('::ffff:127.0.0.1'); // true
 * isNonPublicAddress('20.50.2.1'); // false
 */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return nonPublic.check(mapped[1]!, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return nonPublic.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Checks a webhook URL: an absolute `https` URL without credentials, whose host is not a
 * private, loopback or link-local address (`localhost` included). With `allowPrivateNetworks`
 * (the local stack) such addresses are allowed, and so is plain `http` to them. Throws
 * `WebhookUrlRejectedError` with the reason; returns the parsed URL.
 *
 * @example
 * checkWebhookUrl('https://hooks.example.com/a', { allowPrivateNetworks: false }); // URL
 * checkWebhookUrl('http://10.0.0.4/a', { allowPrivateNetworks: false }); // throws: must use https
 */
export function checkWebhookUrl(url: string, options: { allowPrivateNetworks: boolean }): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookUrlRejectedError('is not an absolute URL');
  }
  if (parsed.username || parsed.password) {
    throw new WebhookUrlRejectedError('must not carry a user name or password');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new WebhookUrlRejectedError('must use https');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    (isIP(host) !== 0 && isNonPublicAddress(host));
  if (local && !options.allowPrivateNetworks) {
    throw new WebhookUrlRejectedError(
      'points at a private, loopback or link-local address, which NOTIFY_ALLOW_PRIVATE_NETWORKS does not allow',
    );
  }
  if (parsed.protocol === 'http:' && !(local && options.allowPrivateNetworks)) {
    throw new WebhookUrlRejectedError('must use https');
  }
  return parsed;
}
