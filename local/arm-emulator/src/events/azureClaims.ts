/**
 * The claim types Azure Resource Manager records a token's claims under, in events and the
 * Activity Log: the long URIs .NET maps the short JWT names to. The pairs are the ones Azure's own
 * samples show (MicrosoftDocs/azure-docs, articles/event-grid/event-schema-subscriptions.md and
 * articles/azure-monitor/essentials/activity-log-schema.md); every other claim keeps its name.
 */
const CLAIM_TYPES: Readonly<Record<string, string>> = {
  acr: 'http://schemas.microsoft.com/claims/authnclassreference',
  amr: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
  deviceid: 'http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier',
  family_name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  given_name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  idp: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  oid: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  scp: 'http://schemas.microsoft.com/identity/claims/scope',
  sub: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  tid: 'http://schemas.microsoft.com/identity/claims/tenantid',
  unique_name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  upn: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
};

/** A claim's value as ARM writes it: always a string, lists joined with commas ("rsa,mfa"). */
function claimValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(claimValue).join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * A verified access token's claims as ARM records them with an operation: well-known claims under
 * their claim type URIs, all values strings, in the token's order.
 *
 * @example
 * azureClaimsOf({ oid: 'f409…', upn: 'rob@contoso.com', iat: 1234567890 });
 * // { 'http://schemas.microsoft.com/identity/claims/objectidentifier': 'f409…',
 * //   'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'rob@contoso.com', iat: '1234567890' }
 */
export function azureClaimsOf(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined || value === null) continue;
    mapped[CLAIM_TYPES[name] ?? name] = claimValue(value);
  }
  return mapped;
}
