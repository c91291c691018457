/**
 * Claims as ARM records them with an operation: the claim type URIs and plain names of
 * MicrosoftDocs/azure-docs, articles/event-grid/event-schema-subscriptions.md and
 * articles/azure-monitor/essentials/activity-log-schema.md (values all strings, "rsa,mfa").
 */
import { describe, expect, it } from 'vitest';
import { azureClaimsOf } from '../../../src/events/azureClaims.js';

describe('azureClaimsOf', () => {
  it.each([
    ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'],
    ['upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'],
    ['unique_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'],
    ['sub', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier'],
    ['tid', 'http://schemas.microsoft.com/identity/claims/tenantid'],
    ['scp', 'http://schemas.microsoft.com/identity/claims/scope'],
    ['idp', 'http://schemas.microsoft.com/identity/claims/identityprovider'],
    ['given_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'],
    ['family_name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'],
    ['acr', 'http://schemas.microsoft.com/claims/authnclassreference'],
    ['amr', 'http://schemas.microsoft.com/claims/authnmethodsreferences'],
    ['deviceid', 'http://schemas.microsoft.com/2012/01/devicecontext/claims/identifier'],
  ])('records %s under %s', (name, type) => {
    expect(azureClaimsOf({ [name]: 'value' })).toEqual({ [type]: 'value' });
  });

  it('keeps the names of the claims Azure shows by name', () => {
    // Prepare
    const claims = {
      aud: 'a',
      iss: 'i',
      appid: 'x',
      appidacr: '0',
      name: 'Rob',
      ver: '1.0',
      uti: 'u',
    };
    // Act
    const mapped = azureClaimsOf(claims);
    // Assess
    expect(mapped).toEqual(claims);
  });

  it('writes numbers as strings and joins lists with commas', () => {
    expect(azureClaimsOf({ iat: 1234567890, amr: ['rsa', 'mfa'] })).toEqual({
      iat: '1234567890',
      'http://schemas.microsoft.com/claims/authnmethodsreferences': 'rsa,mfa',
    });
  });

  it('keeps the token order and leaves out empty claims', () => {
    expect(Object.keys(azureClaimsOf({ ver: '1.0', upn: undefined, aud: 'a' }))).toEqual([
      'ver',
      'aud',
    ]);
  });
});
