/**
 * The page's Content-Security-Policy: scripts, styles, fonts and images from the app itself only,
 * no inline script or style and no `eval`; the only other origin is the identity provider's, which
 * MSAL.js calls (`connect-src`: discovery and the token endpoint) and may frame for a silent
 * renewal (`frame-src`). The page can be framed by nobody.
 *
 * @example
 * contentSecurityPolicy('https://login.microsoftonline.com');
 * // "default-src 'none'; script-src 'self'; … connect-src 'self' https://login.microsoftonline.com; …"
 */
export function contentSecurityPolicy(authorityOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${authorityOrigin}`,
    `frame-src ${authorityOrigin}`,
    `form-action 'self' ${authorityOrigin}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
