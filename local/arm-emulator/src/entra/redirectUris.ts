/**
 * Entra's rules for an app registration's redirect URIs, as Microsoft documents them
 * ("Redirect URI (reply URL) restrictions and limitations", MicrosoftDocs/azure-docs
 * `articles/active-directory/develop/reply-url.md`): at most 256 characters, https, except that
 * loopback addresses may use http; and for loopback URIs the port is ignored when matching, so a
 * page on any local port matches `http://127.0.0.1/`. Paths are case-sensitive.
 */

const MAX_LENGTH = 256;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname.toLowerCase());

/**
 * Why `uri` cannot be registered as a redirect URI, or `undefined` when it can.
 *
 * @example
 * redirectUriProblem('http://contoso.com/'); // 'must use https (http is for loopback addresses only)'
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_LENGTH) return `is longer than ${MAX_LENGTH} characters`;
  const url = parse(uri);
  if (!url) return 'is not an absolute URI';
  if (uri.includes('*')) return 'has a wildcard, which the local Entra ID does not accept';
  if (url.hash) return 'must not have a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url)) return undefined;
  return 'must use https (http is for loopback addresses only)';
}

/**
 * The registered URI that `given` matches, or `undefined`. Loopback URIs match whatever their
 * port; any other must be the same URI.
 *
 * @example
 * matchRedirectUri(['http://127.0.0.1/'], 'http://127.0.0.1:7071/'); // 'http://127.0.0.1/'
 * matchRedirectUri(['http://127.0.0.1/'], 'http://127.0.0.1:7071/other'); // undefined
 */
export function matchRedirectUri(registered: readonly string[], given: string): string | undefined {
  const url = parse(given);
  if (!url || url.hash) return undefined;
  return registered.find((candidate) => {
    const known = parse(candidate);
    if (!known) return false;
    if (isLoopback(known) && isLoopback(url)) {
      return (
        known.protocol === url.protocol &&
        known.hostname.toLowerCase() === url.hostname.toLowerCase() &&
        known.pathname === url.pathname &&
        known.search === url.search
      );
    }
    return known.href === url.href;
  });
}
