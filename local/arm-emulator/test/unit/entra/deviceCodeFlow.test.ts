import { describe, expect, it } from 'vitest';
import { AuthorizationCodes } from '../../../src/entra/AuthorizationCodes.js';
import { DeviceCodes } from '../../../src/entra/DeviceCodes.js';
import { EntraDirectory } from '../../../src/entra/EntraDirectory.js';
import { handleEntraRequest } from '../../../src/entra/handleEntraRequest.js';
import { DEVICE_CODE_GRANT, type TokenService } from '../../../src/entra/issueToken.js';
import { createSigningKey, SigningKeys } from '../../../src/entra/SigningKeys.js';

// The device code flow as Entra answers it ("Microsoft identity platform and the OAuth 2.0 device
// authorization grant flow", v2-oauth2-device-code) and as MSAL Node's test constants record it
// (AzureAD/microsoft-authentication-library-for-js, lib/msal-node/test/utils/TestConstants.ts:
// DEVICE_CODE_RESPONSE, AUTHORIZATION_PENDING_RESPONSE): the device gets a device code and a
// user code (15 minutes, polls every 5 seconds), a person enters the user code at the
// verification URI and signs in, and the device's polls answer `authorization_pending` (AADSTS70016)
// until then.
const tenant = '00000000-0000-4000-8000-0000000e0001';
let now = Date.UTC(2026, 0, 1, 12, 0, 0);
const directory = EntraDirectory.create(
  { users: [{ username: 'alice@sandbox.test', password: 'alice-pw', roles: ['Sandbox.User'] }] },
  tenant,
);
const authority = `https://127.0.0.1:8445/${tenant}`;
const service: TokenService = {
  directory,
  keys: new SigningKeys([createSigningKey()]),
  nowMs: () => now,
  authority,
  armAudiences: new Set(['https://management.azure.com']),
  refreshSecret: Buffer.from('refresh'),
  codes: new AuthorizationCodes(),
  deviceCodes: new DeviceCodes(),
};
const scope = `${directory.api.identifierUri}/access_as_user openid profile offline_access`;

const post = (path: string, form: Record<string, string>) =>
  handleEntraRequest(
    service,
    'POST',
    new URL(`${authority}${path}`),
    {},
    Buffer.from(new URLSearchParams(form).toString()),
  );

const start = () => {
  const answer = post('/oauth2/v2.0/devicecode', { client_id: directory.api.clientId, scope });
  return answer.body as Record<string, string | number>;
};

const poll = (deviceCode: string, grantType = DEVICE_CODE_GRANT) =>
  post('/oauth2/v2.0/token', {
    grant_type: grantType,
    client_id: directory.api.clientId,
    device_code: deviceCode,
  });

describe('the device code flow', () => {
  it('gives a device a device code, a user code and where to enter it', () => {
    // Act
    const answer = start();

    // Assess
    expect(answer).toEqual({
      user_code: expect.stringMatching(/^[A-Z2-9]{9}$/),
      device_code: expect.any(String),
      verification_uri: `${authority}/devicelogin`,
      expires_in: 900,
      interval: 5,
      message: `To sign in, use a web browser to open the page ${authority}/devicelogin and enter the code ${answer.user_code} to authenticate.`,
    });
  });

  it('answers authorization_pending until someone signs in, then the tokens, once', () => {
    // Prepare
    const { device_code, user_code } = start();

    // Act
    const pending = poll(String(device_code));
    const codePage = handleEntraRequest(
      service,
      'GET',
      new URL(`${authority}/devicelogin`),
      {},
      Buffer.alloc(0),
    );
    const signInPage = post('/devicelogin', { otc: String(user_code).toLowerCase() });
    const signedIn = post('/devicelogin/signin', {
      ctx: String(user_code),
      login: 'alice@sandbox.test',
      passwd: 'alice-pw',
    });
    const tokens = poll(String(device_code));
    const again = poll(String(device_code));

    // Assess
    expect(pending.status).toBe(400);
    expect(pending.body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    expect(codePage.html).toContain('<label for="otc">Code</label>');
    expect(signInPage.html).toContain(`action="/${tenant}/devicelogin/signin"`);
    expect(signedIn.html).toContain('You have signed in to the');
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    const claims = JSON.parse(
      Buffer.from(
        String((tokens.body as { access_token: string }).access_token).split('.')[1]!,
        'base64url',
      ).toString(),
    );
    expect(claims).toMatchObject({ scp: 'access_as_user', roles: ['Sandbox.User'] });
    expect(again.body).toMatchObject({ error: 'bad_verification_code', error_codes: [70018] });
  });

  it('takes the grant as MSAL spells it, device_code', () => {
    // Prepare
    const { device_code, user_code } = start();
    post('/devicelogin/signin', {
      ctx: String(user_code),
      login: 'alice@sandbox.test',
      passwd: 'alice-pw',
    });

    // Act
    const tokens = poll(String(device_code), 'device_code');

    // Assess
    expect(tokens.status).toBe(200);
  });

  it('refuses a wrong user code, and a wrong password, on the page', () => {
    // Prepare
    const { user_code } = start();

    // Act
    const wrongCode = post('/devicelogin', { otc: 'NOTACODE1' });
    const wrongPassword = post('/devicelogin/signin', {
      ctx: String(user_code),
      login: 'alice@sandbox.test',
      passwd: 'nope',
    });

    // Assess
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.html).toContain('That code didn&#39;t work. Check the code and try again.');
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.html).toContain('Your account or password is incorrect.');
  });

  it('expires a device code after 15 minutes', () => {
    // Prepare
    const { device_code } = start();
    now += 901_000;

    // Act
    const answer = poll(String(device_code));

    // Assess
    expect(answer.body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
  });

  it('starts only for the public client registration', () => {
    // Act
    const answer = post('/oauth2/v2.0/devicecode', {
      client_id: '11111111-1111-4111-8111-111111111111',
      scope,
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });
});
