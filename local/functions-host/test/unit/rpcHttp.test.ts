import { describe, expect, it } from 'vitest';
import { fromRpcHttpResponse, queryOf, toSetCookie } from '../../src/rpcHttp.js';

// The real host appends the worker's cookies to ASP.NET Core's Response.Cookies
// (Azure/azure-functions-host, src/WebJobs.Script/Binding/Http/RawScriptResult.cs, with
// GrpcMessageExtensionUtilities.RpcHttpCookieConverter); SetCookieHeaderValue writes lower-case
// attributes in the order expires, max-age, domain, path, secure, samesite, httponly, and
// CookieOptions.Path defaults to "/". Issue 17 measured `mycookie=myvalue; max-age=200000; path=/`.
describe('toSetCookie', () => {
  it.each([
    [{ name: 'a', value: 'b' }, 'a=b; path=/'],
    [
      { name: 'a', value: 'b', httpOnly: { value: true }, secure: { value: true } },
      'a=b; path=/; secure; httponly',
    ],
    [
      { name: 'a', value: 'b', path: { value: '/' }, domain: { value: 'x.test' } },
      'a=b; domain=x.test; path=/',
    ],
    [
      { name: 'a', value: 'b', maxAge: { value: 60 }, sameSite: 'strict' as const },
      'a=b; max-age=60; path=/; samesite=strict',
    ],
    [{ name: 'a', value: 'b', sameSite: 'explicitNone' as const }, 'a=b; path=/; samesite=none'],
    [
      { name: 'a', value: 'b', expires: { value: { seconds: 0 } } },
      'a=b; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/',
    ],
    [
      { name: 'mycookie', value: 'myvalue', maxAge: { value: 200000 } },
      'mycookie=myvalue; max-age=200000; path=/',
    ],
    [{ name: 'a', value: 'b', path: { value: '/app' } }, 'a=b; path=/app'],
    [{ name: 'a', value: 'b', maxAge: { value: 1.9 } }, 'a=b; max-age=1; path=/'],
    [
      {
        name: 'all',
        value: 'v',
        expires: { value: { seconds: 86400 } },
        maxAge: { value: 5 },
        domain: { value: 'd.test' },
        path: { value: '/p' },
        secure: { value: true },
        sameSite: 'lax' as const,
        httpOnly: { value: true },
      },
      'all=v; expires=Fri, 02 Jan 1970 00:00:00 GMT; max-age=5; domain=d.test; path=/p; secure; samesite=lax; httponly',
    ],
  ])('%j → %s', (cookie, header) => {
    expect(toSetCookie(cookie)).toBe(header);
  });

  it('escapes the value with Uri.EscapeDataString, as ResponseCookies.Append does', () => {
    expect(toSetCookie({ name: 'a', value: "x y;z=é!'()*~" })).toBe(
      'a=x%20y%3Bz%3D%C3%A9%21%27%28%29%2A~; path=/',
    );
  });
});

describe('fromRpcHttpResponse', () => {
  it('answers 204 when the function returned no response', () => {
    expect(fromRpcHttpResponse(undefined)).toEqual({
      status: 204,
      headers: {},
      body: Buffer.alloc(0),
    });
  });

  it('carries status, headers, cookies and body bytes', () => {
    // Act
    const parts = fromRpcHttpResponse({
      http: {
        statusCode: '418',
        headers: { 'x-a': '1' },
        cookies: [{ name: 'c', value: 'd' }],
        body: { bytes: new Uint8Array([1, 2]) },
      },
    });
    // Assess
    expect(parts).toEqual({
      status: 418,
      headers: { 'x-a': '1', 'set-cookie': ['c=d; path=/'] },
      body: Buffer.from([1, 2]),
    });
  });
});

describe('queryOf', () => {
  it('joins repeated parameters with commas', () => {
    expect(queryOf(new URLSearchParams('a=1&a=2&b=x'))).toEqual({ a: '1,2', b: 'x' });
  });
});
