/**
 * Who a probe can claim to be: every test user and service principal with their real tokens,
 * nobody at all, and every way a token can be wrong (expired, not yet valid, for another
 * audience, from another issuer, tampered, truncated, not a JWT, another scheme, a forged App
 * Service principal header).
 */
import { type RuntimeInfo, requestToken } from '@sandbox-automation/local-stack';
import { testCallers, testToken } from '../auth/testTokens.js';
import { type Stack, stackDirectory } from '../stack.js';

export interface Principal {
  /** What it is, for figures and reproductions: `ana@contoso.com`, `expired token`, … */
  label: string;
  /** Request headers that present it (none for nobody). */
  headers: Record<string, string>;
  /** Whether the app should accept it as someone. */
  valid: boolean;
}

/** Flips one character in the middle of a JWT's signature. */
function tamper(token: string): string {
  const at = token.length - 10;
  const c = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${c}${token.slice(at + 1)}`;
}

function unsigned(token: string): string {
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${payload}.`;
}

/**
 * Tokens for everyone in `stackDirectory`, then the broken ones. Expired and not-yet-valid tokens
 * are issued by the local Entra ID with its clock moved back and forth a day, then put right.
 *
 * @example
 * const principals = await fuzzPrincipals(stack);
 * await stack.fetch('/api/sandboxes', { as: 'nobody', headers: principals[0].headers });
 */
export async function fuzzPrincipals(stack: Stack): Promise<Principal[]> {
  const entra = await stack.arm.control.entra();
  const runtime = { entra, arm: { caCertPath: stack.arm.caCertPath } } as unknown as RuntimeInfo;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const principals: Principal[] = [];
  for (const user of stackDirectory.users) {
    principals.push({
      label: user.username,
      headers: bearer(await stack.token(user.username)),
      valid: true,
    });
  }
  for (const sp of stackDirectory.servicePrincipals) {
    principals.push({
      label: sp.displayName,
      headers: bearer(await stack.token(sp.displayName)),
      valid: true,
    });
  }
  const someone = 'ana@contoso.com';
  const good = await stack.token(someone);
  const shifted = async (seconds: number) => {
    await stack.arm.control.advanceClock(seconds);
    try {
      return await requestToken(runtime, { user: someone });
    } finally {
      await stack.arm.control.advanceClock(-seconds);
    }
  };
  const broken: Array<[string, Record<string, string>]> = [
    ['nobody', {}],
    ['expired token', bearer(await shifted(-86_400))],
    ['token not yet valid', bearer(await shifted(86_400))],
    [
      'token for ARM, not the API',
      bearer(
        await requestToken(runtime, { user: someone, scope: `${stack.arm.endpoint}/.default` }),
      ),
    ],
    ['token from another tenant and key', bearer(await testToken(testCallers.ops))],
    ['tampered signature', bearer(tamper(good))],
    ['unsigned (alg none)', bearer(unsigned(good))],
    ['truncated token', bearer(good.slice(0, good.lastIndexOf('.')))],
    ['not a JWT', bearer('not-a-token')],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['lower-case scheme', { authorization: `bearer ${good}` }],
    [
      'basic credentials',
      { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` },
    ],
    ['two tokens', { authorization: `Bearer ${good} ${good}` }],
    ['token as function key', { 'x-functions-key': good }],
    [
      'forged App Service principal',
      {
        'x-ms-client-principal': Buffer.from(
          JSON.stringify({
            auth_typ: 'aad',
            claims: [{ typ: 'roles', val: 'Sandbox.Admin' }],
            name_typ: 'name',
            role_typ: 'roles',
          }),
        ).toString('base64'),
        'x-ms-client-principal-name': 'ops@contoso.com',
      },
    ],
  ];
  for (const [label, headers] of broken) {
    // A lower-case scheme is still RFC 6750's Bearer: the app may accept it.
    principals.push({ label, headers, valid: label === 'lower-case scheme' });
  }
  return principals;
}
