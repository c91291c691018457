import { describe, expect, it } from 'vitest';
import { fromRpcHttpResponse, queryOf, toSetCookie } from '../../src/rpcHttp.js';

describe('toSetCookie', () => {
  it.each([
    [{ name: 'a', value: 'b' }, 'a=b'],
    [
      { name: 'a', value: 'b', httpOnly: { value: true }, secure: { value: true } },
      'a=b; Secure; HttpOnly',
    ],
    [
      { name: 'a', value: 'b', path: { value: '/' }, domain: { value: 'x.test' } },
      'a=b; Domain=x.test; Path=/',
    ],
    [
      { name: 'a', value: 'b', maxAge: { value: 60 }, sameSite: 'strict' as const },
      'a=b; Max-Age=60; SameSite=Strict',
    ],
    [{ name: 'a', value: 'b', sameSite: 'explicitNone' as const }, 'a=b; SameSite=None'],
    [
      { name: 'a', value: 'b', expires: { value: { seconds: 0 } } },
      'a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ],
  ])('%j → %s', (cookie, header) => {
    expect(toSetCookie(cookie)).toBe(header);
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
      headers: { 'x-a': '1', 'set-cookie': ['c=d'] },
      body: Buffer.from([1, 2]),
    });
  });
});

describe('queryOf', () => {
  it('joins repeated parameters with commas', () => {
    expect(queryOf(new URLSearchParams('a=1&a=2&b=x'))).toEqual({ a: '1,2', b: 'x' });
  });
});
