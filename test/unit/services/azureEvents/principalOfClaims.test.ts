import { describe, expect, it } from 'vitest';
import {
  isOwnPrincipal,
  principalOfClaims,
} from '../../../../services/azureEvents/principalOfClaims.js';
import {
  APP,
  appClaims,
  appOwnClaims,
  CLAIM_TYPES,
  userClaims,
} from '../../../support/azureEvents/azureEventFactory.js';

describe('principalOfClaims', () => {
  it('names a person by the upn ARM records under its claim type URI', () => {
    // Act
    const principal = principalOfClaims(userClaims('ana@contoso.com', 'OID-ANA'));

    // Assess
    expect(principal).toEqual({
      kind: 'user',
      name: 'ana@contoso.com',
      objectId: 'oid-ana',
      managedIdentity: false,
      label: 'ana@contoso.com',
    });
  });

  it.each<{ description: string; claims: Record<string, string>; label: string }>([
    {
      description: 'unique_name, under its claim type URI',
      claims: { [CLAIM_TYPES.name]: 'live.com#ana@outlook.com', [CLAIM_TYPES.oid]: 'o' },
      label: 'live.com#ana@outlook.com',
    },
    {
      description: 'preferred_username (a v2 token)',
      claims: { preferred_username: 'ana@contoso.com', oid: 'o', azp: 'client' },
      label: 'ana@contoso.com',
    },
    {
      description: 'upn by its short name',
      claims: { upn: 'bob@contoso.com' },
      label: 'bob@contoso.com',
    },
  ])('names a person by $description', ({ claims, label }) => {
    // Act & Assess
    expect(principalOfClaims(claims)).toMatchObject({ kind: 'user', label });
  });

  it('names a service principal by its client id when the token gives no name', () => {
    // Act
    const principal = principalOfClaims(
      appClaims('5E2C0000-0000-4000-8000-000000000001', 'oid-sp'),
    );

    // Assess
    expect(principal).toEqual({
      kind: 'application',
      appId: '5e2c0000-0000-4000-8000-000000000001',
      objectId: 'oid-sp',
      managedIdentity: false,
      label: '5e2c0000-0000-4000-8000-000000000001',
    });
  });

  it('names a service principal by app_displayname and client id where the token carries it', () => {
    // Act
    const principal = principalOfClaims({
      ...appClaims('5e2c0000-0000-4000-8000-000000000001', 'oid-sp'),
      app_displayname: 'deploy-pipeline',
    });

    // Assess
    expect(principal.label).toBe('deploy-pipeline (5e2c0000-0000-4000-8000-000000000001)');
  });

  it("names a managed identity by its resource's name (xms_mirid) and client id", () => {
    // Act
    const principal = principalOfClaims(appOwnClaims);

    // Assess
    expect(principal).toMatchObject({
      kind: 'application',
      managedIdentity: true,
      name: 'id-sandbox-automation',
      label: `id-sandbox-automation (${APP.clientId})`,
    });
  });

  it('names a system-assigned identity by the name of the resource it belongs to', () => {
    // Act
    const principal = principalOfClaims(
      appClaims(
        'c1',
        'o1',
        '/subscriptions/s/resourcegroups/rg/providers/Microsoft.Web/sites/func-ops',
      ),
    );

    // Assess
    expect(principal.label).toBe('func-ops (c1)');
  });

  it('takes an app token with a name claim for an application, not a person', () => {
    // Act
    const principal = principalOfClaims({
      idtyp: 'app',
      appid: 'c2',
      upn: 'odd@contoso.com',
      name: 'svc',
    });

    // Assess
    expect(principal).toMatchObject({ kind: 'application', label: 'svc (c2)' });
  });

  it('names nobody for claims that name nobody', () => {
    // Act & Assess
    expect(principalOfClaims({ aud: 'x' }).label).toBeUndefined();
  });
});

describe('isOwnPrincipal', () => {
  it("recognises the app's identity by its client id", () => {
    // Act & Assess
    expect(
      isOwnPrincipal(principalOfClaims(appOwnClaims), { clientId: APP.clientId.toUpperCase() }),
    ).toBe(true);
  });

  it("recognises the app's identity by its object id", () => {
    // Act & Assess
    expect(isOwnPrincipal(principalOfClaims(appOwnClaims), { principalId: APP.principalId })).toBe(
      true,
    );
  });

  it('does not take another application for the app', () => {
    // Act & Assess
    expect(isOwnPrincipal(principalOfClaims(appClaims('other', 'other-oid')), APP_SELF)).toBe(
      false,
    );
  });

  it('does not take a person for the app, even one signed in through a client with its id', () => {
    // Prepare
    const claims = { ...userClaims('ana@contoso.com', APP.principalId), appid: APP.clientId };

    // Act & Assess
    expect(isOwnPrincipal(principalOfClaims(claims), APP_SELF)).toBe(false);
  });

  it('recognises nothing when the settings know no identity', () => {
    // Act & Assess
    expect(isOwnPrincipal(principalOfClaims(appOwnClaims), {})).toBe(false);
  });
});

const APP_SELF = { clientId: APP.clientId, principalId: APP.principalId };
