import { describe, expect, it } from 'vitest';
import { matchRedirectUri, redirectUriProblem } from '../../../src/entra/redirectUris.js';

// Microsoft's rules, "Redirect URI (reply URL) restrictions and limitations"
// (MicrosoftDocs/azure-docs articles/active-directory/develop/reply-url.md): https only, http for
// loopback; for loopback URIs "the port component … is ignored for the purposes of matching".
describe('matchRedirectUri', () => {
  it.each([
    ['http://127.0.0.1/', 'http://127.0.0.1:7071/', 'http://127.0.0.1/'],
    ['http://127.0.0.1/MyApp', 'http://127.0.0.1:5000/MyApp', 'http://127.0.0.1/MyApp'],
    ['http://localhost/', 'http://localhost:51234/', 'http://localhost/'],
    ['https://app.contoso.com/', 'https://app.contoso.com/', 'https://app.contoso.com/'],
    ['https://app.contoso.com', 'https://app.contoso.com/', 'https://app.contoso.com'],
  ])('matches %s for %s', (registered, given, expected) => {
    expect(matchRedirectUri([registered], given)).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1/MyWebApp', 'http://127.0.0.1:7071/MyNativeApp'],
    ['http://127.0.0.1/MyApp', 'http://127.0.0.1/myapp'],
    ['http://127.0.0.1/', 'https://127.0.0.1/'],
    ['http://127.0.0.1/', 'http://localhost:7071/'],
    ['https://app.contoso.com/', 'https://app.contoso.com:8443/'],
    ['https://app.contoso.com/', 'https://app.contoso.com/#x'],
    ['https://app.contoso.com/', 'not a uri'],
  ])('does not match %s for %s', (registered, given) => {
    expect(matchRedirectUri([registered], given)).toBeUndefined();
  });
});

describe('redirectUriProblem', () => {
  it.each([
    ['http://contoso.com/', 'must use https (http is for loopback addresses only)'],
    ['https://*.contoso.com/', 'has a wildcard, which the local Entra ID does not accept'],
    ['https://contoso.com/#x', 'must not have a fragment'],
    ['contoso.com', 'is not an absolute URI'],
    [`https://contoso.com/${'a'.repeat(256)}`, 'is longer than 256 characters'],
  ])('refuses %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toBe(problem);
  });

  it('accepts https anywhere and http on loopback', () => {
    expect(
      ['https://contoso.com/', 'http://127.0.0.1/', 'http://localhost:3000/cb'].map(
        redirectUriProblem,
      ),
    ).toEqual([undefined, undefined, undefined]);
  });
});
