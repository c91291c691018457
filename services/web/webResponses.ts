/**
 * The page's HTTP answers: the headers that make it safe (CSP, no framing, no sniffing) and the
 * caching that makes it fast (the page revalidated every time, hashed assets kept for a year).
 */
import type { HttpResponseInit } from '@azure/functions';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import type { WebFile } from './WebAssets.js';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Whether the client's cached copy (`If-None-Match`) is still this file. */
function isFresh(file: WebFile, ifNoneMatch: string | null): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === file.etag || tag === '*');
}

/**
 * The page: revalidated on every load (`no-cache` with an ETag, 304 when unchanged), under a
 * strict Content-Security-Policy.
 *
 * @example
 * pageResponse(page, 'https://login.microsoftonline.com', request.headers.get('if-none-match'));
 */
export function pageResponse(
  page: WebFile,
  authorityOrigin: string,
  ifNoneMatch: string | null,
): HttpResponseInit {
  const headers = {
    ...SECURITY_HEADERS,
    'content-security-policy': contentSecurityPolicy(authorityOrigin),
    'x-frame-options': 'DENY',
    'cache-control': 'no-cache',
    etag: page.etag,
  };
  if (isFresh(page, ifNoneMatch)) return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'content-type': page.contentType },
    body: page.body,
  };
}

/**
 * A hashed asset: immutable, cached for a year.
 *
 * @example
 * assetResponse(file, request.headers.get('if-none-match'));
 */
export function assetResponse(file: WebFile, ifNoneMatch: string | null): HttpResponseInit {
  const headers = {
    ...SECURITY_HEADERS,
    'cache-control': 'public, max-age=31536000, immutable',
    etag: file.etag,
  };
  if (isFresh(file, ifNoneMatch)) return { status: 304, headers };
  return {
    status: 200,
    headers: { ...headers, 'content-type': file.contentType },
    body: file.body,
  };
}
