import type { IncomingMessage } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from './coreContract.js';

function nullable(record: Record<string, string>) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { value: v }]));
}

/** Request headers as the host passes them: one string per name, repeated values joined. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const existing = headers[name];
    headers[name] =
      existing === undefined ? value : `${existing}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

/** Query parameters as the host passes them: repeated keys joined with commas. */
export function queryOf(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  return query;
}

/** The `http` trigger input: method, full URL, headers, query, route params and raw body bytes. */
export function toRpcHttpData(options: {
  method: string;
  url: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  params: Record<string, string>;
  body: Buffer;
}): RpcHttpData {
  return {
    method: options.method,
    url: options.url,
    headers: options.headers,
    nullableHeaders: nullable(options.headers),
    query: options.query,
    nullableQuery: nullable(options.query),
    params: options.params,
    nullableParams: nullable(options.params),
    body: options.body.length > 0 ? { bytes: options.body } : null,
  };
}

/** The HTTP trigger's metadata: route parameters plus `Query`, `Headers` and `sys`. */
export function httpTriggerMetadata(data: RpcHttpData, now: Date): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(data.params ?? {})) metadata[name] = { string: value };
  metadata.Query = { json: JSON.stringify(data.query ?? {}) };
  metadata.Headers = { json: JSON.stringify(data.headers ?? {}) };
  metadata.sys = { json: JSON.stringify({ MethodName: data.method, UtcNow: now.toISOString() }) };
  return metadata;
}

/**
 * .NET's `Uri.EscapeDataString`: percent-encodes everything but RFC 3986 unreserved characters,
 * which `encodeURIComponent` also leaves `!'()*` out of.
 */
export function escapeDataString(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sameSiteTokens: Record<string, string | undefined> = {
  lax: 'lax',
  strict: 'strict',
  explicitNone: 'none',
};

/**
 * Serializes one response cookie into a `Set-Cookie` value as the real host does in RPC mode:
 * it appends the worker's cookie to ASP.NET Core's `Response.Cookies`, whose
 * `SetCookieHeaderValue` writes lower-case attributes in a fixed order (expires, max-age,
 * domain, path, secure, samesite, httponly), escapes the value with `Uri.EscapeDataString`, and
 * defaults the path to `/`.
 *
 * @example
 * toSetCookie({ name: 'a', value: 'b c', maxAge: { value: 60 } }); // 'a=b%20c; max-age=60; path=/'
 */
export function toSetCookie(cookie: RpcHttpCookie): string {
  let header = `${cookie.name ?? ''}=${escapeDataString(cookie.value ?? '')}`;
  const expires = cookie.expires?.value;
  if (expires && typeof expires.seconds === 'number') {
    const ms = expires.seconds * 1000 + Math.trunc((expires.nanos ?? 0) / 1e6);
    header += `; expires=${new Date(ms).toUTCString()}`;
  }
  if (typeof cookie.maxAge?.value === 'number')
    header += `; max-age=${Math.trunc(cookie.maxAge.value)}`;
  if (typeof cookie.domain?.value === 'string') header += `; domain=${cookie.domain.value}`;
  header += `; path=${cookie.path ? (cookie.path.value ?? '') : '/'}`;
  if (cookie.secure?.value) header += '; secure';
  const sameSite = sameSiteTokens[cookie.sameSite ?? 'none'];
  if (sameSite) header += `; samesite=${sameSite}`;
  if (cookie.httpOnly?.value) header += '; httponly';
  return header;
}

export interface HttpResponseParts {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** Turns the function's `http` output into status, headers (with `Set-Cookie`) and body bytes. */
export function fromRpcHttpResponse(data: RpcTypedData | null | undefined): HttpResponseParts {
  const http = data?.http;
  if (!http) return { status: 204, headers: {}, body: Buffer.alloc(0) };
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []).map(toSetCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const body = http.body;
  let bytes = Buffer.alloc(0);
  if (body?.bytes) bytes = Buffer.from(body.bytes);
  else if (typeof body?.string === 'string') bytes = Buffer.from(body.string);
  else if (typeof body?.json === 'string') bytes = Buffer.from(body.json);
  return { status: Number(http.statusCode ?? 200), headers, body: bytes };
}
