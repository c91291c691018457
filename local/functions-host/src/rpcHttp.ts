import type { IncomingMessage } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from './coreContract.js';

function nullable(record: Record<string, string>) {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { value: v }]));
}

/** Request headers as the host passes them: one string per name, repeated values joined. */
export function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values) headers[name] = values.join(name === 'cookie' ? '; ' : ', ');
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
 * Serializes one response cookie into a `Set-Cookie` value.
 *
 * @example
 * toSetCookie({ name: 'a', value: 'b', httpOnly: { value: true } }); // 'a=b; HttpOnly'
 */
export function toSetCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const expires = cookie.expires?.value;
  if (expires && typeof expires.seconds === 'number') {
    parts.push(
      `Expires=${new Date(expires.seconds * 1000 + (expires.nanos ?? 0) / 1e6).toUTCString()}`,
    );
  }
  if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None', none: undefined }[
    cookie.sameSite ?? 'none'
  ];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
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
